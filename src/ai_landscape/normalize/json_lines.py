"""A frame as one JSON object per row, held as one Arrow string column.

pandas' `to_json(orient="records", lines=True)` (C code) writes the text; what this module
changes is how the lines become a column. Writing a whole frame at once and `splitlines()`
held about 17 times the JSON text at once (the text, pandas' line conversion, one Python
`str` per row, the replaced copy): at 100 copies of the replay inputs that was gigabytes
(#17). Here the text is made a block of rows at a time, split and unescaped by Arrow
(`pyarrow.compute`), and appended to ONE growing buffer: no per-row Python object, the
transient text stays small, and the column is a single Arrow chunk, so publishing it
(`contract_table` merges chunks) copies nothing: a column of 1,000-row chunks was copied
whole at each of the publish's two conversions (#17, ~880 MiB at x100 for `source_records`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Rows serialised at once: bounds the transient text (~60 MB for Epoch's widest records)
# while keeping to_json's per-call cost negligible.
BLOCK_ROWS = 1_000


class JsonLines:
    """The JSON lines of one or more frames, appended in order into one buffer.

    The text goes into a `bytearray` (grown in place by `realloc`, which moves large blocks
    by remapping pages, not copying) and the row offsets into int64 arrays; `column()` wraps
    both as one `large_string` array without copying them."""

    def __init__(self, *, force_ascii: bool = True) -> None:
        self.force_ascii = force_ascii
        self.text = bytearray()
        self.ends: list[np.ndarray] = [np.zeros(1, np.int64)]

    def add(self, frame: pd.DataFrame) -> None:
        for start in range(0, len(frame), BLOCK_ROWS):
            block = frame.iloc[start : start + BLOCK_ROWS]
            text = block.to_json(orient="records", lines=True, force_ascii=self.force_ascii)
            lines = pc.split_pattern(pa.array([text.removesuffix("\n")], pa.large_string()), "\n")
            lines = pc.replace_substring(lines.flatten(), "\\/", "/")
            if len(lines) != len(block):  # a programming error, never data: say so loudly
                raise ValueError(f"to_json gave {len(lines)} lines for {len(block)} rows")
            self._append(lines)

    def _append(self, lines: pa.LargeStringArray) -> None:
        offsets = np.frombuffer(lines.buffers()[1], np.int64)[
            lines.offset : lines.offset + len(lines) + 1
        ]
        first, last = int(offsets[0]), int(offsets[-1])
        self.ends.append(offsets[1:] - first + len(self.text))
        self.text += memoryview(lines.buffers()[2])[first:last]

    def column(self) -> pa.LargeStringArray:
        """Every line added, as one array (this builder is spent: its buffer is the array's)."""
        offsets = np.concatenate(self.ends)
        text, self.text, self.ends = self.text, bytearray(), []
        return pa.LargeStringArray.from_buffers(
            len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(text)
        )


def json_lines(frame: pd.DataFrame, *, force_ascii: bool = True) -> pd.Series:
    """pandas' JSON of each row, with `\\/` written `/`, as a `str` Series on `frame.index`.

    Lines are split at `\\n` only: JSON escapes every control character inside a string, so
    a newline always ends a row (U+2028 and U+0085, where `str.splitlines` also splits, are
    written raw by `force_ascii=False` and belong to the row)."""
    lines = JsonLines(force_ascii=force_ascii)
    lines.add(frame)
    return as_str_series(lines.column(), frame.index)


def as_str_series(column: pa.Array, index: pd.Index) -> pd.Series:
    """An Arrow string column as a pandas `str` Series, sharing its buffers."""
    return pd.Series(pd.array(pa.chunked_array([column]), dtype="str"), index=index)
