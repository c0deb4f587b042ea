"""Model ids that survive renames.

An id is built once, from the record that first introduced the model (`org/name` of its
canonical lead organization). After that, a model keeps the id its records resolved to in the
previous snapshot even if a source renames the organization, another source starts listing
it, or the normalizer's rules change, so history, first_seen and links from outside stay
valid (`name_clusters.py` gives these ids precedence over fresh slugs).
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.text import none_for_missing

RECORD_KEY = ["source", "dataset", "source_key"]


def previous_ids(candidates: pd.DataFrame, previous_records: pd.DataFrame | None) -> pd.Series:
    """The model id each candidate's record resolved to in the previous snapshot (null: new
    record, or none before). Resolution keeps these ids for the models they now belong to."""
    if previous_records is None or previous_records.empty:
        return pd.Series(None, index=candidates.index, dtype=object)
    known = (
        previous_records.dropna(subset=["model_id"])
        .drop_duplicates(subset=RECORD_KEY)[[*RECORD_KEY, "model_id"]]
        .rename(columns={"model_id": "_previous"})
    )
    previous = candidates[RECORD_KEY].merge(known, on=RECORD_KEY, how="left")["_previous"]
    previous.index = candidates.index
    return none_for_missing(previous)
