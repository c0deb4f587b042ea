"""Helpers shared by the per-source tests (models.dev, OpenRouter)."""

from __future__ import annotations

import http.server

import pandas as pd


def one(frame: pd.DataFrame, source_key: str) -> pd.Series:
    """The single candidate with that `source_key` (asserting there is exactly one)."""
    rows = frame[frame["source_key"] == source_key]
    assert len(rows) == 1, source_key
    return rows.iloc[0]


def error_page(code: int, message: str, explain: str) -> bytes:
    """The HTML error page Python's own http.server sends for that status."""
    fields = {"code": code, "message": message, "explain": explain}
    return (http.server.DEFAULT_ERROR_MESSAGE % fields).encode()
