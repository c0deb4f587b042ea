"""Shared by the validation-suite tests: real `models` rows from the recorded Epoch exports,
and a report's failures keyed by (suite, expectation)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ai_landscape import schema
from tests.real_frames import replay_models


def utc_today() -> dt.date:
    """The date the gate defaults `today` to; read at the call, never at import, because a
    suite run started before midnight UTC finishes after it."""
    return dt.datetime.now(dt.UTC).date()


def dates_since(before: dt.date) -> set[str]:
    """The `today` a validation may have used if it ran between `before` and now."""
    return {before.isoformat(), utc_today().isoformat()}


# Real rows from the recorded Epoch exports; Grok 4.20 has no release date, compute figure or
# compute method, so the nullable columns are exercised too.
MODEL_IDS = ("deepseek/deepseek-r1", "openai/gpt-4o", "meta-ai/llama-3.1-8b", "xai/grok-4.20")
WARNING = ("models", "open_models_link_weights")  # fails on every open model today (no HF links)


def models_frame(
    release_dates: str = "date", model_ids: tuple[str, ...] = MODEL_IDS, **dates: dt.date
) -> pd.DataFrame:
    """The real models rows (MODEL_IDS, or all 1355 for `model_ids=()`); `release_dates` picks
    the column's representation (`date` objects, naive or UTC datetime64); keyword
    `r<i>=date` changes row i's real date first."""
    frame = replay_models(*model_ids)
    assert list(frame.columns) == [c.name for c in schema.TABLES["models"]]
    for key, value in dates.items():
        frame.loc[int(key[1:]), "release_date"] = value
    if release_dates != "date":
        frame["release_date"] = pd.to_datetime(frame["release_date"])
    if release_dates == "datetime64-utc":
        frame["release_date"] = frame["release_date"].dt.tz_localize("UTC")
    return frame


def failures(report, *, include_warnings: bool = False) -> dict:
    return {
        (report.suite, f.name): f
        for f in report.failed
        if include_warnings or (report.suite, f.name) != WARNING
    }
