"""Values as a person (or a JSON reader) expects them: whole numbers without `.0`.

Parquet keeps parameter counts and FLOP as float64, so a naive `str()` prints
`671000000000.0` and pandas' JSON escapes `/` in ids (`"xai\\/grok-2"`). Every command that
prints values goes through these two functions instead, so text, CSV and JSON agree.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math

# Floats at or above this are not exact integers in float64: keep them as floats (1e+25).
EXACT_INTEGERS = 2**53


def plain(value):
    """JSON-ready: whole floats as ints, dates as ISO text, NaN as null, containers recursively."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < EXACT_INTEGERS:
            return int(value)
        return value
    if type(value).__name__ == "NaTType":  # pandas' missing time (a datetime subclass)
        return None
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | str | bool) or value is None:
        return value
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if hasattr(value, "tolist"):  # numpy arrays (list columns read through pandas)
        return plain(value.tolist())
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return str(value)  # UUID, blobs, ...


def cell(value) -> str:
    """Text and CSV cells: empty for null, JSON for lists, ISO for dates, ints unpadded."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def dumps(records) -> str:
    """JSON text: indented, UTF-8 kept, slashes never escaped."""
    return json.dumps(plain(records), indent=2, ensure_ascii=False)
