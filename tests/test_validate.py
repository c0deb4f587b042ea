"""The models suite (expectations/models.json) run through gx_runner on real replay rows."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from ai_landscape import schema
from ai_landscape.validate.gx_runner import load_suite, validate_frame
from tests.real_frames import replay_models

TODAY = dt.datetime.now(dt.UTC).date()
# Real rows from the recorded Epoch exports; Grok 4.20 has no release date, compute figure or
# compute method, so the nullable columns are exercised too.
MODEL_IDS = ("deepseek/deepseek-r1", "openai/gpt-4o", "meta-ai/llama-3.1-8b", "xai/grok-4.20")


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


def failures(report) -> dict:
    return {(f.expectation, f.column): f for f in report.failed}


@pytest.fixture(params=["date", "datetime64", "datetime64-utc"])
def release_dates(request) -> str:
    return request.param


def test_suite_loads_and_mirrors_schema_sets():
    suite = load_suite("models")
    assert suite["name"] == "models"
    sets = {
        e["kwargs"]["column"]: tuple(e["kwargs"]["value_set"])
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
    }
    assert sets == {
        "weights_access": schema.WEIGHTS_ACCESS,
        "openness": schema.OPENNESS,
        "commercial_use": schema.COMMERCIAL_USE,
        "large_scale": schema.LARGE_SCALE,
        "compute_method": schema.COMPUTE_METHOD,
        "compute_confidence": schema.COMPUTE_CONFIDENCE,
    }
    for expectation in suite["expectations"]:
        assert expectation["meta"]["severity"] == "blocking"
        assert expectation["meta"]["why"]


def test_valid_frame_passes(release_dates):
    frame = models_frame(release_dates, model_ids=())  # every real row: 1355 models
    assert len(frame) == 1355
    assert frame["release_date"].isna().sum() == 4
    dtypes = {"date": object, "datetime64": "datetime64[s]", "datetime64-utc": "datetime64[s, UTC]"}
    assert frame["release_date"].dtype == dtypes[release_dates]
    report = validate_frame(frame, "models")
    assert report.success, report.describe()
    assert report.failed == ()
    assert report.evaluated == len(load_suite("models")["expectations"]) == 17
    assert report.parameters == {"today": TODAY.isoformat()}


def test_list_columns_as_numpy_arrays_are_accepted():
    frame = models_frame()
    frame["sources"] = [np.array(v, dtype=object) for v in frame["sources"]]  # as from parquet
    assert validate_frame(frame, "models").success


def test_duplicate_model_id():
    frame = models_frame()
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)  # DeepSeek-R1 twice
    report = validate_frame(frame, "models")
    assert not report.success
    assert set(failures(report)) == {("expect_column_values_to_be_unique", "model_id")}
    failed = report.failed[0]
    assert failed.unexpected_count == 2  # GX counts every row of a duplicated value
    assert failed.unexpected_sample == ["deepseek/deepseek-r1"]
    assert failed.severity == "blocking"
    assert report.describe().splitlines()[1] == (
        "FAILED expect_column_values_to_be_unique(model_id): 2 unexpected, "
        "e.g. ['deepseek/deepseek-r1']"
    )


def test_weights_access_outside_set():
    frame = models_frame()
    frame.loc[0, "weights_access"] = "open_weights"
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("expect_column_values_to_be_in_set", "weights_access")}
    failed = report.failed[0]
    assert failed.unexpected_count == 1
    assert failed.unexpected_sample == ["open_weights"]
    assert failed.kwargs["value_set"] == list(schema.WEIGHTS_ACCESS)


def test_compute_above_range():
    frame = models_frame()
    frame.loc[1, "training_compute_flop"] = 1e30
    report = validate_frame(frame, "models")
    expected = {("expect_column_values_to_be_between", "training_compute_flop")}
    assert set(failures(report)) == expected
    assert report.failed[0].unexpected_count == 1
    assert report.failed[0].unexpected_sample == [1e30]


def test_compute_floor_applies_from_2010_only():
    frame = models_frame(model_ids=("bell-laboratories/theseus", "meta-ai/llama-3.1-405b"))
    assert frame["release_date"].tolist() == [dt.date(1950, 7, 2), dt.date(2024, 7, 23)]
    assert frame["training_compute_flop"].tolist() == [40.0, 3.8e25]  # as Epoch lists them
    assert validate_frame(frame, "models").success
    frame.loc[1, "training_compute_flop"] = 3.8  # "3.8e25" read without its exponent
    report = validate_frame(frame, "models")
    assert [(f.column, f.unexpected_sample, f.kwargs["min_value"]) for f in report.failed] == [
        ("training_compute_flop", [3.8], 1e10)
    ]
    frame.loc[0, "training_compute_flop"] = -1.0
    report = validate_frame(frame, "models")
    assert [(f.unexpected_sample, f.kwargs["min_value"]) for f in report.failed] == [
        ([-1.0], 1.0),
        ([3.8], 1e10),
    ]


def test_release_date_in_future_fails(release_dates):
    frame = models_frame(release_dates, r2=TODAY + dt.timedelta(days=366))
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("expect_column_values_to_be_between", "release_date")}
    failed = report.failed[0]
    assert failed.unexpected_count == 1
    assert failed.unexpected_sample == [(TODAY + dt.timedelta(days=366)).isoformat()]
    assert failed.kwargs["max_value"] == TODAY.isoformat()
    json.dumps(report.to_dict())  # JSON-safe with dates in kwargs and samples


def test_release_date_today_passes(release_dates):
    frame = models_frame(release_dates, r2=TODAY)
    report = validate_frame(frame, "models")
    assert report.success, report.describe()


def test_today_parameter_is_used(release_dates):
    frame = models_frame(release_dates)
    report = validate_frame(frame, "models", parameters={"today": "2020-01-01"})
    assert set(failures(report)) == {("expect_column_values_to_be_between", "release_date")}
    # DeepSeek-R1 2025-01-20, GPT-4o 2024-05-13, Llama 3.1-8B 2024-07-23; Grok 4.20's null skipped
    assert report.failed[0].unexpected_count == 3
    assert report.parameters == {"today": "2020-01-01"}


def test_null_model_id():
    frame = models_frame()
    frame.loc[3, "model_id"] = None
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("expect_column_values_to_not_be_null", "model_id")}
    assert report.failed[0].unexpected_count == 1
    assert report.failed[0].unexpected_sample == [None]


def test_missing_column_fails_that_expectation_without_crashing():
    report = validate_frame(models_frame().drop(columns=["name"]), "models")
    assert set(failures(report)) == {("expect_column_values_to_not_be_null", "name")}
    failed = report.failed[0]
    assert failed.unexpected_count is None
    assert "name" in failed.error
    assert report.evaluated == 17


def test_caller_frame_is_not_modified():
    frame = models_frame("datetime64")
    before = frame.copy()
    validate_frame(frame, "models")
    pd.testing.assert_frame_equal(frame, before)
