"""`source_records`: every parsed record kept whole, as JSON, beside the model it became.

The record's JSON is built by `normalize.json_lines` (pandas' text, split by Arrow a block of
rows at a time), never as one string per record in Python, and every dataset's records go
into one buffer: the `record` column is a single Arrow chunk that publishing writes without
copying it (#17).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ai_landscape.normalize.json_lines import JsonLines, as_str_series

INTERNAL_COLUMNS = ["_row", "_raw_locator", "_retrieved_at", "_stale"]


def source_records_of(records: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """One dataset's parsed records kept whole (as JSON), with the model each resolved to."""
    return source_records_table([(records, candidates)])


def source_records_table(
    datasets: Iterable[tuple[pd.DataFrame, pd.DataFrame]],
) -> pd.DataFrame:
    """Every dataset's `(records, candidates)` as one table, in order."""
    lines = JsonLines(force_ascii=False)
    frames = []
    for records, candidates in datasets:
        frames.append(
            pd.DataFrame(
                {
                    "source": candidates["source"],
                    "dataset": candidates["dataset"],
                    "row": candidates["row"],
                    "source_key": candidates["source_key"].fillna("").astype(str),
                    "model_id": candidates["model_id"],
                    "raw_locator": records["_raw_locator"],
                    "retrieved_at": records["_retrieved_at"],
                    "stale": records["_stale"],
                }
            )
        )
        lines.add(records.drop(columns=INTERNAL_COLUMNS))
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return table.assign(record=as_str_series(lines.column(), table.index))
