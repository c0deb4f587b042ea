"""Fine-tunes and their bases: which model a model was trained from, and what its compute counts.

Epoch counts a fine-tune's training compute as its base's plus its own (DeepSeek-R1: 3.5e24 =
DeepSeek-V3's 3.3e24 + 1.83e23 of its own, in `Finetune compute (FLOP)`), and so does the
seed's headline count of models over 1e23 FLOP. That is kept; what this module adds is the
mark an analyst needs to tell such models apart:

- `base_model_id`: the base a source *states* (Epoch's `Base model` names, the Hub's
  `base_model:finetune:` tags), found among the run's resolved records by name or repo id;
  a stated base beats one guessed from an `-instruct` name (`resolution._base_models`);
- `compute_scope`: whether the published compute is the model's own training run or
  includes a base model's.

Pure: frames in, frames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.normalize.text import none_for_missing
from ai_landscape.schema import COMPUTE_SCOPES

OWN_RUN, INCLUDES_BASE = COMPUTE_SCOPES


def _key(values: pd.Series) -> pd.Series:
    """Names compared as sources write them, ignoring case and runs of white space ("" for
    none). One pass in Python: four pandas string passes over every record's key, name and
    repos grew 18x from 10 to 100 times the replay (#17)."""
    return pd.Series(
        [" ".join(_text(v).split()).casefold() for v in values.tolist()],
        index=values.index,
        dtype=object,
    )


def _text(value) -> str:
    if isinstance(value, str):
        return value
    return "" if pd.isna(value) else str(value)


def declared_bases(resolved: pd.DataFrame) -> pd.Series:
    """Per candidate row (same index): the `model_id` of the first base it names that a record
    of this run resolved to (by the record's own key, its display name or one of its repo
    ids), never the row's own model; null where it names none or none is listed."""
    named = resolved["base_models"].explode().dropna()
    if named.empty:
        return pd.Series(None, index=resolved.index, dtype=object)
    known = resolved[resolved["model_id"].notna()]
    repos = known[["hf_repo_ids", "model_id"]].explode("hf_repo_ids").dropna()
    # Earlier tables win a name two models share: a source's own key before a display name.
    lookup = pd.concat(
        [
            pd.DataFrame({"key": _key(known["source_key"]), "id": known["model_id"]}),
            pd.DataFrame({"key": _key(known["name"]), "id": known["model_id"]}),
            pd.DataFrame({"key": _key(repos["hf_repo_ids"]), "id": repos["model_id"]}),
        ],
        ignore_index=True,
    )
    lookup = lookup[lookup["key"] != ""].drop_duplicates("key").set_index("key")["id"]
    base = _key(named).map(lookup)
    own = resolved["model_id"].reindex(base.index)
    base = base[base.notna() & (base != own)]
    return none_for_missing(base.groupby(level=0).first().reindex(resolved.index))


def compute_scope(
    compute_flop: pd.Series, finetune_flop: pd.Series, derived: pd.Series
) -> pd.Series:
    """`includes_base` where a derived model's compute is more than its own fine-tuning (or
    its own part is not given: Epoch then counts the base in); `own_run` for every other
    known compute; null where compute is unknown."""
    known = compute_flop.notna().to_numpy()
    beyond_own = (finetune_flop.isna() | (compute_flop > finetune_flop * (1 + 1e-9))).to_numpy()
    scope = np.select(
        [known & derived.to_numpy(dtype=bool) & beyond_own, known],
        [INCLUDES_BASE, OWN_RUN],
        default="",
    )
    return none_for_missing(pd.Series(scope, index=compute_flop.index).replace("", None))
