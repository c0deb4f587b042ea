"""Epoch CSV bytes -> one frame of records. Pure: no I/O, every column kept as text."""

from __future__ import annotations

import csv
import io

import pandas as pd

from ai_landscape.sources.base import SourceSchemaError, refuse_html
from ai_landscape.sources.epoch.constants import (
    COLUMN_ALIASES,
    MODEL,
    ORGANIZATION,
    REQUIRED_COLUMNS,
)

# Cells that name things are compared across files, so their whitespace must be canonical:
# exports contain trailing tabs, newlines and non-breaking spaces in names.
_NAME_COLUMNS = (MODEL, ORGANIZATION)


def parse_csv(body: bytes, dataset: str, origin: str) -> pd.DataFrame:
    refuse_html(body[:8192].decode("utf-8", "replace"), origin, "CSV")
    if body and not body.endswith((b"\n", b"\r")):
        # Epoch's exports end with a line break; without one the download was cut short and
        # the last record would silently lose its trailing fields.
        raise SourceSchemaError(f"{origin}: ends in the middle of a line (truncated download?)")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceSchemaError(f"{origin}: not UTF-8 text ({exc})") from exc
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceSchemaError(f"{origin}: not a readable CSV ({exc})") from exc
    header = [_canonical_column(c) for c in next(csv.reader(io.StringIO(text)), [])]
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        # pandas would rename the second to `Model.1` and read the first alone.
        raise SourceSchemaError(f"{origin}: column {twice[0]!r} appears more than once")
    raw_names = list(frame.columns)
    frame.columns = header
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceSchemaError(
            f"{origin}: required column {missing[0]!r} is missing"
            + (f" (also missing: {', '.join(map(repr, missing[1:]))})" if len(missing) > 1 else "")
        )
    frame = frame.fillna("")  # a truncated last line leaves its missing cells empty, not NaN
    for column in frame.columns:
        frame[column] = frame[column].str.replace("\ufeff", "", regex=False).str.strip()
    for column in _NAME_COLUMNS:
        frame[column] = frame[column].str.replace(r"\s+", " ", regex=True)
    # A second header line inside the file (two exports joined) would be a model "Model".
    repeated = frame[MODEL].isin(_spellings(MODEL, raw_names)) & frame[ORGANIZATION].isin(
        _spellings(ORGANIZATION, raw_names)
    )
    if repeated.any():
        raise SourceSchemaError(
            f"{origin}: record {int(repeated.to_numpy().argmax()) + 1} repeats the header row "
            "(two exports joined into one file?)"
        )
    frame.insert(0, "_row", range(len(frame)))
    return frame


def _spellings(column: str, raw_names: list[str]) -> set[str]:
    """How the header spells a canonical column (aliases included)."""
    return {
        column,
        *(n.replace("\ufeff", "").strip() for n in raw_names if _canonical_column(n) == column),
    }


def _canonical_column(name: str) -> str:
    cleaned = name.replace("\ufeff", "").strip()
    return COLUMN_ALIASES.get(cleaned, cleaned)
