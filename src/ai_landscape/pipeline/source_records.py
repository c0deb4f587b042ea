"""`source_records`: every parsed record kept whole, as JSON, beside the model it became.

The JSON is pandas' own (`to_json(orient="records", lines=True)`, C code), as it always was,
so a record's text is unchanged. What changed is how the lines become a column: the old
`str.splitlines()` over the whole catalogue's text made one Python `str` per record, and the
text itself was held a second and third time (the whole string, the list, the replaced
copy); at 100 copies of the replay inputs that was gigabytes. Here the text is made a block
of rows at a time and split, unescaped and stored by Arrow (`pyarrow.compute`), so the
column is Arrow bytes and no per-row Python object is ever made.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Rows serialised at once: bounds the transient text (a few MB) while keeping to_json's
# per-call cost negligible.
BLOCK_ROWS = 1_000
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
            "record": pd.Series(
                pd.array(record_json(records.drop(columns=INTERNAL_COLUMNS)), dtype="str"),
                index=records.index,
            ),
        }
    )


def record_json(fields: pd.DataFrame) -> pa.ChunkedArray:
    """One JSON object per row, as Arrow strings: pandas' JSON with `\\/` written `/`.

    Lines are split at `\\n` only: JSON escapes every control character inside a string, so
    a newline always ends a record (U+2028 and U+0085, which `str.splitlines` also splits
    at, are written raw and belong to the record)."""
    blocks = []
    for start in range(0, len(fields), BLOCK_ROWS):
        block = fields.iloc[start : start + BLOCK_ROWS]
        text = block.to_json(orient="records", lines=True, force_ascii=False)
        lines = pc.split_pattern(pa.array([text.removesuffix("\n")], pa.large_string()), "\n")
        lines = lines.flatten()
        if len(lines) != len(block):  # a programming error, never data: say so loudly
            raise ValueError(f"to_json gave {len(lines)} lines for {len(block)} records")
        blocks.append(pc.replace_substring(lines, "\\/", "/"))
    return pa.chunked_array(blocks, pa.large_string())
