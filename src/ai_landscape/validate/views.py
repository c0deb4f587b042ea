"""Frames a suite sees instead of the table itself (`meta.view` in the suite JSON).

GX expectations test scalar cells; list columns (`country_codes`, `hf_repo_ids`) are checked
through a view: exploded to one row per element, or reduced to a count. Every view keeps the
table's index labels, repeated for exploded rows, so an offending view row names the table
row it came from (what the gate quarantines). Views are vectorized: `explode` and `str.len`
run in pandas' C loops (`map(len)` calls one builtin per cell), which matters at a million rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def models_with_counts(models: pd.DataFrame) -> pd.DataFrame:
    """The models table with `hf_repo_count` (how many weights repos a row links to) and
    `base_model_listed` (its base_model_id, if any, is a row of this table; snapshots from
    before the column existed have none)."""
    base = models.get("base_model_id", pd.Series(None, index=models.index, dtype=object))
    return models.assign(
        hf_repo_count=_lengths(models["hf_repo_ids"]),
        base_model_listed=base.isna() | base.isin(models["model_id"]),
    )


def country_codes_exploded(models: pd.DataFrame) -> pd.DataFrame:
    """One row per (model, country code); models with no code contribute no row."""
    codes = models["country_codes"].explode().dropna()
    ids = models["model_id"].loc[codes.index].to_numpy()
    return pd.DataFrame({"model_id": ids, "country_code": codes.to_numpy()}, index=codes.index)


def _lengths(lists: pd.Series) -> pd.Series:
    """Length of each list (or numpy array, as parquet gives them: `.str.len()` says NaN for
    those); 0 for a missing cell."""
    return lists.map(len, na_action="ignore").fillna(0).astype("int64")


VIEWS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "models_with_counts": models_with_counts,
    "country_codes_exploded": country_codes_exploded,
}
