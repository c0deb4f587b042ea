"""Model ids that survive renames.

An id is built once, from the record that first introduced the model (`org/name` of its
canonical lead organization). After that, a record keeps the id it resolved to in the
previous snapshot even if its source renames the organization or the normalizer's rules
change, so history, first_seen and links from outside stay valid.
"""

from __future__ import annotations

import pandas as pd

RECORD_KEY = ["source", "dataset", "source_key"]


def keep_previous_ids(candidates: pd.DataFrame, previous_records: pd.DataFrame | None) -> pd.Series:
    """The model id of each candidate: the one its record had before, else the one built now.
    A record that now resolves to no model (no name) stays unresolved."""
    if previous_records is None or previous_records.empty:
        return candidates["model_id"]
    known = (
        previous_records.dropna(subset=["model_id"])
        .drop_duplicates(subset=RECORD_KEY)[[*RECORD_KEY, "model_id"]]
        .rename(columns={"model_id": "_previous"})
    )
    previous = candidates[RECORD_KEY].merge(known, on=RECORD_KEY, how="left")["_previous"]
    previous.index = candidates.index
    return previous.where(previous.notna() & candidates["model_id"].notna(), candidates["model_id"])
