"""Candidate rows of every source -> one row per model, each field traced to its record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pandas as pd

from ai_landscape.normalize import access
from ai_landscape.normalize.json_lines import json_lines
from ai_landscape.normalize.text import none_for_missing
from ai_landscape.resolve import lineage
from ai_landscape.resolve.grouping import sorted_codes
from ai_landscape.resolve.precedence import (
    DATE_KIND_RANK,
    PLACEHOLDERS,
    UNION_FIELDS,
    field_rank,
)
from ai_landscape.schema import TABLES

# Fields taken from the best-ranked candidate that has a value (precedence.py says which is
# best for each field); "unknown" counts as no value so that one dataset's blank never hides
# another's fact.
MERGED_FIELDS = (
    "name",
    "organizations",
    "country_codes",
    "release_date",
    "weights_access",
    "license_id",
    "commercial_use",
    "parameters",
    "active_parameters",
    "training_tokens",
    "training_compute_flop",
    "finetune_compute_flop",
    "compute_confidence",
    "compute_method",
    "hf_repo_ids",
    "openrouter_ids",
)
_UNKNOWN_MEANS_MISSING = ("weights_access", "compute_confidence", "commercial_use")
_LIST_FIELDS = ("organizations", "country_codes", "hf_repo_ids", "openrouter_ids")


def candidate_locators(candidates: pd.DataFrame, raw_locators: pd.Series) -> pd.Series:
    """`source.dataset:<raw object>#row=N`: enough to find the exact record again."""
    return (
        candidates["source"]
        + "."
        + candidates["dataset"]
        + ":"
        + raw_locators
        + "#row="
        + candidates["row"].astype(str)
    )


def merge_candidates(
    candidates: pd.DataFrame,
    *,
    rank: Sequence[str],
    previous: pd.DataFrame | None,
    seen_at: datetime,
) -> pd.DataFrame:
    """Rows must carry `locator`; `rank` orders `source.dataset` keys, best first.

    `previous` is the last published `models` table: it keeps `first_seen` stable.
    """
    frame = candidates[candidates["model_id"].notna()].copy()
    for field in _UNKNOWN_MEANS_MISSING:
        frame[field] = frame[field].mask(frame[field] == "unknown")
    for field in _LIST_FIELDS:
        frame[field] = frame[field].mask(frame[field].str.len() == 0)
    # "epoch.large_scale:Publication date": the dataset and field that gave release_date.
    frame["_dataset"] = frame["source"] + "." + frame["dataset"]
    frame["release_date_source"] = (
        frame["_dataset"] + ":" + frame["release_date_field"].fillna("")
    ).where(frame["release_date"].notna())
    frame["_rank"] = frame["_dataset"].map({d: i for i, d in enumerate(rank)}).fillna(len(rank))
    # Sorted and grouped on the ids' codes (grouping.py): on the id strings, the merge's sorts
    # and group-bys grew 14x from 10 to 100 times the replay, and were half of it there (#17).
    codes, model_ids = sorted_codes(frame["model_id"])
    order = np.lexsort((frame["row"].to_numpy(), frame["_rank"].to_numpy(), codes))
    frame, codes = frame.iloc[order], codes[order]
    starts = np.flatnonzero(np.diff(codes, prepend=-1))  # each model's first row
    index = pd.Index(model_ids, name="model_id")
    models, provenance = _by_precedence(frame, rank, codes, index)
    columns = ["release_date_source"] + (["base_model_id"] if "base_model_id" in frame else [])
    firsts = frame[columns].groupby(codes, sort=False).first().set_axis(index, axis=0)
    models["release_date_source"] = firsts["release_date_source"]
    models["base_model_id"] = firsts["base_model_id"] if "base_model_id" in frame else None
    best, dated = _best_release_dates(frame, codes)
    for column in ("release_date", "release_date_source"):
        models.iloc[dated, models.columns.get_loc(column)] = best[column].to_numpy()
    provenance.iloc[dated, provenance.columns.get_loc("release_date")] = best["locator"].to_numpy()
    listed_large_scale = _any_by_model(frame["listed_large_scale"], starts)
    names_base = _any_by_model(_names_base(frame), starts)
    sources = _sources(frame["source"], starts)
    models = models.reset_index()

    for field in _LIST_FIELDS:
        models[field] = pd.Series(
            [v if isinstance(v, list) else [] for v in models[field]], dtype=object
        )
    models["weights_access"] = models["weights_access"].fillna("unknown")
    models["compute_confidence"] = models["compute_confidence"].where(
        models["training_compute_flop"].notna(), None
    )
    models["openness"] = access.openness(models["weights_access"])
    # A licence's terms where one was read; else what the access state implies.
    models["commercial_use"] = models["commercial_use"].fillna(
        access.commercial_use(models["weights_access"])
    )
    models["large_scale"] = access.large_scale(
        models["training_compute_flop"], listed_large_scale, models["compute_method"]
    )
    models["listed_large_scale"] = listed_large_scale
    models["compute_scope"] = lineage.compute_scope(
        models["training_compute_flop"],
        models["finetune_compute_flop"],
        models["base_model_id"].notna() | names_base,
    )
    models["sources"] = pd.Series(sources, dtype=object)
    # One JSON object per row, built by Arrow; null marks a field no record supplied.
    models["provenance"] = json_lines(provenance).set_axis(models.index)
    models["family"] = None
    models["base_model_id"] = none_for_missing(models["base_model_id"])
    _stamp_seen(models, previous, seen_at)
    return models[[col.name for col in TABLES["models"]]]


def _names_base(frame: pd.DataFrame) -> pd.Series:
    """Per record: whether it names a base model (listed or not)."""
    if "base_models" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["base_models"].str.len().fillna(0).gt(0)


def _any_by_model(flags: pd.Series, starts: np.ndarray) -> np.ndarray:
    """Per model, whether any of its records' flags is set (null: not set); `starts`: each
    model's first row in the frame, sorted by model."""
    if not len(starts):
        return np.zeros(0, dtype=bool)
    return np.logical_or.reduceat(flags.fillna(False).to_numpy(dtype=bool), starts)


def _sources(sources: pd.Series, starts: np.ndarray) -> list[list[str]]:
    """Per model, the sources of its records, sorted: a bit per source, or-ed per model, so
    the few combinations are spelled once."""
    if not len(starts):
        return []
    codes, names = pd.factorize(sources, sort=True)
    bits = np.bitwise_or.reduceat(np.left_shift(1, codes.astype(np.int64)), starts)
    combinations, which = np.unique(bits, return_inverse=True)
    spelled = [[n for i, n in enumerate(names) if c >> i & 1] for c in combinations.tolist()]
    return [list(spelled[w]) for w in which.tolist()]


def unlink_missing_bases(models: pd.DataFrame) -> pd.DataFrame:
    """A variant whose base release was quarantined keeps no link to a row that is not
    published (the link returns once the base passes validation)."""
    base = models["base_model_id"]
    return models.assign(base_model_id=none_for_missing(base.where(base.isin(models["model_id"]))))


def _by_precedence(
    frame: pd.DataFrame, rank: Sequence[str], codes: np.ndarray, index: pd.Index
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per model, each field's value and the locator of the record that gave it: the first
    value in that field's precedence order; list fields of UNION_FIELDS collect every record's
    (provenance: the first contributor). `frame` is sorted by model, default rank, row;
    `codes` are its rows' positions in `index`, the sorted model ids."""
    by_order: dict[tuple[str, ...], list[str]] = {}
    for field in MERGED_FIELDS:
        order = field_rank(field, rank)
        by_order.setdefault(tuple(sorted(order, key=order.get)), []).append(field)
    datasets, dataset_keys = pd.factorize(frame["_dataset"])
    rows = frame["row"].to_numpy()
    values, locators = [], []
    for order, fields in by_order.items():
        position = {key: i for i, key in enumerate(order)}
        ranks = np.array([position.get(k, len(order)) for k in dataset_keys])[datasets]
        # Stable, as sort_values(["model_id", field rank, "row"], kind="stable") was.
        sorter = np.lexsort((rows, ranks, codes))
        ranked = frame[[*fields, "locator"]].iloc[sorter]
        ranked_codes = codes[sorter]
        placeholders = [f for f in fields if f in PLACEHOLDERS]
        real = ranked[fields].assign(
            **{f: ranked[f].mask(ranked[f].eq(PLACEHOLDERS[f])) for f in placeholders}
        )
        chosen, where = _first_values(real, ranked["locator"], ranked_codes, index)
        if placeholders:  # published only where no record has a real value
            held, held_where = _first_values(
                ranked[placeholders], ranked["locator"], ranked_codes, index
            )
            chosen[placeholders] = chosen[placeholders].fillna(held)
            where[placeholders] = where[placeholders].fillna(held_where)
        values.append(chosen)
        locators.append(where)
    models = pd.concat(values, axis=1)[list(MERGED_FIELDS)]
    provenance = pd.concat(locators, axis=1)[list(MERGED_FIELDS)]
    for field in UNION_FIELDS:
        models[field] = pd.Series(_union(frame[field], codes, len(index)), index, dtype=object)
    return models, provenance


def _first_values(
    fields: pd.DataFrame, locator: pd.Series, codes: np.ndarray, model_ids: pd.Index
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per model, each column's first non-null value (rows in precedence order, `codes` the
    rows' positions in the sorted `model_ids`, ascending) and the locator of the row that had
    it; indexed by model id."""
    found = pd.DataFrame({f: locator.where(fields[f].notna()) for f in fields.columns})
    index = pd.Index(model_ids, name="model_id")
    # Every code has rows and they come in ascending order: the groups are `index`, in order.
    first = fields.groupby(codes, sort=False).first().set_axis(index, axis=0)
    first_where = found.groupby(codes, sort=False).first().set_axis(index, axis=0)
    return first, first_where


def _union(items: pd.Series, codes: np.ndarray, models: int) -> list[list]:
    """Every record's items of a list field, per model (`codes`: each record's model, sorted),
    in rank order, first spelling of each (repo ids differ in case between sources). One pass
    in Python: the lists are short and mostly missing."""
    union: list[list] = [[] for _ in range(models)]
    seen: set[tuple[int, str]] = set()
    for code, listed in zip(codes.tolist(), items.tolist(), strict=True):
        if not isinstance(listed, list | tuple | np.ndarray):
            continue
        for item in listed:
            if item is None or item != item:
                continue
            spelling = (code, str(item).lower())
            if spelling not in seen:
                seen.add(spelling)
                union[code].append(item)
    return union


def _best_release_dates(frame: pd.DataFrame, codes: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The best kind of date (DATE_KIND_RANK), earliest first within a kind: the rows that
    give it, and their models' positions (`codes`: each row's model, `frame` sorted by it)."""
    dated = np.flatnonzero(frame["release_date"].notna().to_numpy())
    rows = frame.iloc[dated]
    kind = rows["release_date_field"].map(DATE_KIND_RANK).fillna(len(DATE_KIND_RANK))
    dates = pd.factorize(rows["release_date"], sort=True)[0]
    order = np.lexsort(
        (rows["row"].to_numpy(), rows["_rank"].to_numpy(), dates, kind.to_numpy(), codes[dated])
    )
    ordered = codes[dated][order]
    first = order[np.r_[True, ordered[1:] != ordered[:-1]]] if len(order) else order
    best = rows.iloc[first][["release_date", "release_date_source", "locator"]]
    return best, codes[dated][first]


def _stamp_seen(models: pd.DataFrame, previous: pd.DataFrame | None, seen_at: datetime) -> None:
    now = pd.Timestamp(seen_at)
    first = pd.Series(now, index=models.index, dtype="datetime64[us, UTC]")
    if previous is not None and len(previous):
        known = previous.set_index("model_id")["first_seen"]
        first = models["model_id"].map(known).fillna(now).astype("datetime64[us, UTC]")
    models["first_seen"] = first
    models["last_seen"] = pd.Series(now, index=models.index, dtype="datetime64[us, UTC]")
