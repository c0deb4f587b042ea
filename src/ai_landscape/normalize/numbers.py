"""Numeric clean-up shared by every source. Vectorized."""

from __future__ import annotations

import numpy as np
import pandas as pd

SIGNIFICANT_DIGITS = 12


def to_float(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text to float64; returns (numbers, mask of cells that had text but no number)."""
    text = values.fillna("").astype(str).str.strip().str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text.replace("", np.nan), errors="coerce").astype("float64")
    invalid = numbers.isna() & (text != "")
    return tidy_float(numbers), invalid


def tidy_float(values: pd.Series) -> pd.Series:
    """Round to 12 significant digits: `5.0000000000001e+26` is 5e26 written by a spreadsheet.

    Multiplying or dividing by an exact power of ten and rounding gives the double nearest the
    decimal value, so tidied numbers equal what parsing the short form would give.
    """
    x = values.to_numpy(dtype="float64", copy=True)
    finite = np.isfinite(x) & (x != 0)
    magnitude = np.zeros_like(x)
    magnitude[finite] = np.floor(np.log10(np.abs(x[finite])))
    shift = (SIGNIFICANT_DIGITS - 1 - magnitude).clip(-22, 22)
    up = shift >= 0
    out = x.copy()
    scale_up = np.power(10.0, shift[finite & up])
    out[finite & up] = np.round(x[finite & up] * scale_up) / scale_up
    scale_down = np.power(10.0, -shift[finite & ~up])
    out[finite & ~up] = np.round(x[finite & ~up] / scale_down) * scale_down
    return pd.Series(out, index=values.index, name=values.name)
