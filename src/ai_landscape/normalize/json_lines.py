"""A frame as one JSON object per row, held as an Arrow string column.

pandas' `to_json(orient="records", lines=True)` (C code) writes the text; what this module
changes is how the lines become a column. Writing a whole frame at once and `splitlines()`
held about 17 times the JSON text at once (the text, pandas' line conversion, one Python
`str` per row, the replaced copy): at 100 copies of the replay inputs that was gigabytes
(#17). Here the text is made a block of rows at a time and split, unescaped and stored by
Arrow (`pyarrow.compute`): no per-row Python object, and the transient text stays small.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Rows serialised at once: bounds the transient text (~60 MB for Epoch's widest records)
# while keeping to_json's per-call cost negligible.
BLOCK_ROWS = 1_000


def json_lines(frame: pd.DataFrame, *, force_ascii: bool = True) -> pd.Series:
    """pandas' JSON of each row, with `\\/` written `/`, as a `str` Series on `frame.index`.

    Lines are split at `\\n` only: JSON escapes every control character inside a string, so
    a newline always ends a row (U+2028 and U+0085, where `str.splitlines` also splits, are
    written raw by `force_ascii=False` and belong to the row)."""
    blocks = []
    for start in range(0, len(frame), BLOCK_ROWS):
        block = frame.iloc[start : start + BLOCK_ROWS]
        text = block.to_json(orient="records", lines=True, force_ascii=force_ascii)
        lines = pc.split_pattern(pa.array([text.removesuffix("\n")], pa.large_string()), "\n")
        lines = lines.flatten()
        if len(lines) != len(block):  # a programming error, never data: say so loudly
            raise ValueError(f"to_json gave {len(lines)} lines for {len(block)} rows")
        blocks.append(pc.replace_substring(lines, "\\/", "/"))
    column = pa.chunked_array(blocks, pa.large_string())
    return pd.Series(pd.array(column, dtype="str"), index=frame.index)
