"""`source_records`: every parsed record kept whole, as JSON, beside the model it became.

The record's JSON is built by `normalize.json_lines` (pandas' text, split and stored by
Arrow a block of rows at a time), never as one string per record in Python (#17).
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.json_lines import json_lines

INTERNAL_COLUMNS = ["_row", "_raw_locator", "_retrieved_at", "_stale"]


def source_records_of(records: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Every parsed record kept whole (as JSON), with the model it resolved to."""
    return pd.DataFrame(
        {
            "source": candidates["source"],
            "dataset": candidates["dataset"],
            "row": candidates["row"],
            "source_key": candidates["source_key"].fillna("").astype(str),
            "model_id": candidates["model_id"],
            "raw_locator": records["_raw_locator"],
            "retrieved_at": records["_retrieved_at"],
            "stale": records["_stale"],
            "record": json_lines(records.drop(columns=INTERNAL_COLUMNS), force_ascii=False),
        }
    )
