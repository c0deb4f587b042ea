"""Where the sources of one model disagree: data for analysts, never an error.

`models` publishes one value per field (precedence.py); this table keeps what every dataset
said where they differ, so a reader can see that models.dev dates Mistral Large 2512 to
2024-11 while Epoch has 2025-12, or that Epoch and the Hub disagree on a licence.

What counts as a disagreement:
- organizations: the lead organization (co-authors listed by one source only are not one);
- country_codes: the set of codes;
- release_date: only dates that state a release (announcement, publication, a model page's
  release date); a listing or upload date disagrees with them by nature;
- parameters, training compute: values that differ at two significant digits (7.0e9 vs
  7.24e9 is a disagreement, 7.00e9 vs 7.04e9 is rounding);
- weights_access, license_id: any different value ("unknown" and the placeholders of
  precedence.PLACEHOLDERS are no value);
- a source's own training compute against 6·N·D from its own parameters and tokens, when
  they differ more than ESTIMATE_RATIO times either way (Epoch's OPT-13B: 3.53e23 stated,
  6 × 13B × 180B = 1.4e22): two rows, the stated value and `<source> 6·N·D` with the
  product spelled out. A fine-tune's compute includes its base model's and is not compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.normalize.compute import ESTIMATE_METHOD, estimate_compute
from ai_landscape.plain import EXACT_INTEGERS
from ai_landscape.resolve.grouping import sorted_codes
from ai_landscape.resolve.precedence import PLACEHOLDERS, RELEASE_DATE_KINDS
from ai_landscape.schema import CONFLICT_FIELDS, TABLES

NUMERIC_FIELDS = ("parameters", "training_compute_flop")
SIGNIFICANT_DIGITS = 2
ESTIMATE_RATIO = 10.0
ESTIMATE_SOURCE = " 6·N·D"  # appended to the dataset that gave N and D


def find_conflicts(candidates: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """`candidates`: resolved (`model_id` is the canonical id) and with `locator`; `models`:
    the merged table. One row per model, field and dataset that disagrees, the first record
    of each dataset speaking for it (for release dates, its earliest)."""
    frame = candidates.dropna(subset=["model_id"])
    source = frame["source"] + "." + frame["dataset"]
    # Sorted and grouped on the ids' codes (grouping.py): sorting the id strings and hashing
    # (id, field, dataset) triples grew 14x from 10 to 100 times the replay (#17).
    model, model_ids = sorted_codes(frame["model_id"])
    dataset, datasets = pd.factorize(source, sort=True)
    order = np.lexsort((frame["row"].to_numpy(), dataset, model))
    frame = frame.iloc[order].assign(_source=source.to_numpy()[order])
    model = model[order]
    pair = model * len(datasets) + dataset[order]
    rows = pd.concat(
        [_disagreeing(frame, field, model, pair, len(model_ids)) for field in CONFLICT_FIELDS]
        + [compute_against_estimate(frame)],
        ignore_index=True,
    ).drop_duplicates(["model_id", "field", "source"])
    named = models[models["model_id"].isin(rows["model_id"])]
    published = pd.concat(
        [
            pd.DataFrame(
                {"model_id": named["model_id"], "field": f, "_chosen": comparable(named[f], f)[1]}
            )
            for f in CONFLICT_FIELDS
        ],
        ignore_index=True,
    )
    rows = rows.merge(published, on=["model_id", "field"], how="left")
    rows["chosen"] = rows["_key"].eq(rows["_chosen"]).fillna(False).astype(bool)
    columns = [c.name for c in TABLES["conflicts"]]
    return rows.sort_values(["model_id", "field", "source"]).reset_index(drop=True)[columns]


def _disagreeing(
    frame: pd.DataFrame, field: str, model: np.ndarray, pair: np.ndarray, models: int
) -> pd.DataFrame:
    """One field's rows of the models whose datasets disagree on it, each dataset's first
    value speaking for it (for release dates, its earliest, as in merge). `frame` is sorted
    by model, dataset and row; `model` and `pair` number its models and (model, dataset)
    pairs in that order."""
    values = frame[field]
    if field == "release_date":
        values = values.where(frame["release_date_field"].isin(RELEASE_DATE_KINDS))
    text, key = comparable(values, field)
    stated = np.flatnonzero(text.notna().to_numpy())
    if field == "release_date":
        dates = pd.factorize(text.iloc[stated], sort=True)[0]
        stated = stated[np.lexsort((dates, pair[stated]))]
    pairs = pair[stated]
    first = stated[np.r_[True, pairs[1:] != pairs[:-1]]] if len(stated) else stated
    # How many different keys each model's datasets give (a null key is no value).
    keys = pd.factorize(key.iloc[first])[0]
    keyed = keys >= 0
    width = int(keys.max()) + 1 if keyed.any() else 1
    distinct = np.unique(model[first][keyed] * width + keys[keyed]) // width
    kept = first[(np.bincount(distinct, minlength=models) > 1)[model[first]]]
    return pd.DataFrame(
        {
            "model_id": frame["model_id"].iloc[kept].to_numpy(),
            "field": field,
            "source": frame["_source"].iloc[kept].to_numpy(),
            "value": text.iloc[kept].to_numpy(),
            "_key": key.iloc[kept].to_numpy(),
            "locator": frame["locator"].iloc[kept].to_numpy(),
        }
    )


def compute_against_estimate(frame: pd.DataFrame) -> pd.DataFrame:
    """Per model and dataset (its first record), a stated training compute more than
    ESTIMATE_RATIO times off 6·N·D from the same record's N and D: the stated row and the
    estimate's row (`frame` sorted as in find_conflicts, with `_source`)."""
    n = frame["active_parameters"].astype("float64").fillna(frame["parameters"].astype("float64"))
    estimate = estimate_compute(
        frame["parameters"], frame["active_parameters"], frame["training_tokens"]
    )
    stated = pd.to_numeric(frame["training_compute_flop"], errors="coerce").astype("float64")
    own_run = frame["finetune_compute_flop"].isna()
    if "base_models" in frame:
        own_run &= frame["base_models"].str.len().fillna(0).eq(0)
    ratio = stated / estimate
    off = (
        frame["compute_method"].ne(ESTIMATE_METHOD)
        & own_run
        & ((ratio > ESTIMATE_RATIO) | (ratio < 1 / ESTIMATE_RATIO))
    )
    # Which record is a dataset's first is asked only when some record is off: the replay's
    # never are, and the question hashes every (model, dataset) pair.
    first = off & ~frame[["model_id", "_source"]].duplicated() if off.any() else off
    part = frame[first]
    if part.empty:
        return pd.DataFrame(columns=["model_id", "field", "source", "value", "_key", "locator"])
    field = "training_compute_flop"
    product = (
        pd.Series([f"{v:.2g}" for v in estimate[first]], index=part.index)
        + " = 6 × "
        + number_text(n[first])
        + " parameters × "
        + number_text(part["training_tokens"].astype("float64"))
        + " tokens"
    )
    common = {"model_id": part["model_id"], "field": field, "locator": part["locator"]}
    return pd.concat(
        [
            pd.DataFrame(
                {
                    **common,
                    "source": part["_source"],
                    "value": number_text(stated[first]),
                    "_key": significant(stated[first]),
                }
            ),
            pd.DataFrame(
                {
                    **common,
                    "source": part["_source"] + ESTIMATE_SOURCE,
                    "value": product,
                    "_key": significant(estimate[first]),
                }
            ),
        ],
        ignore_index=True,
    )


def comparable(values: pd.Series, field: str) -> tuple[pd.Series, pd.Series]:
    """(text as published, key that decides equality) of one field's values; null where a
    value is missing."""
    if field == "organizations":
        lead = values.str[0]
        return lead, lead.str.lower()
    if field == "country_codes":
        # One pass over the short lists: exploding and sorting every code, then regrouping
        # them by row, grew 16x from 10 to 100 times the replay (#17).
        joined = pd.Series(
            [_joined_codes(codes) for codes in values.tolist()], index=values.index, dtype=object
        )
        return joined, joined
    if field == "release_date":
        text = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d")
        return text, text
    if field in NUMERIC_FIELDS:
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        return number_text(numbers), significant(numbers)
    # A placeholder (the Hub's licence `other`, an open state of unknown terms) only says a
    # value exists: it disagrees with nothing.
    text = values.where(values.ne("unknown") & values.ne(PLACEHOLDERS.get(field, "unknown")))
    return text, text


def _joined_codes(codes) -> str | None:
    """A list's codes sorted and joined by commas; None for no list or no code."""
    if not isinstance(codes, list | np.ndarray):
        return None
    present = sorted(c for c in codes if isinstance(c, str))
    return ",".join(present) if present else None


def number_text(numbers: pd.Series) -> pd.Series:
    """Whole numbers without `.0` (`7000000000`, as `plain.cell` prints them), others as
    Python writes floats (`3.8e+25`); null stays null."""
    whole = numbers.notna() & (numbers % 1 == 0) & (numbers.abs() < EXACT_INTEGERS)
    integers = numbers.where(whole).astype("Int64").astype(str)
    return integers.where(whole, numbers.astype(str)).where(numbers.notna())


def significant(numbers: pd.Series, digits: int = SIGNIFICANT_DIGITS) -> pd.Series:
    """Numbers rounded to `digits` significant digits (equal inputs give equal floats)."""
    array = numbers.to_numpy(dtype="float64")
    finite = np.isfinite(array) & (array != 0)
    scale = np.zeros_like(array)
    scale[finite] = np.floor(np.log10(np.abs(array[finite]))) - (digits - 1)
    rounded = np.round(array / 10.0**scale) * 10.0**scale
    return pd.Series(rounded, index=numbers.index).where(numbers.notna())
