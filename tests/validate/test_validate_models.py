"""The models and models_country_codes suites run through gx_runner on real replay rows and
corrupted copies of them; the custom expectations on their own."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from ai_landscape import schema
from ai_landscape.validate.custom import stated_size
from ai_landscape.validate.gx_runner import load_suite, validate_frame
from tests.validate_frames import dates_since, failures, models_frame, utc_today


@pytest.fixture(params=["date", "datetime64", "datetime64-utc"])
def release_dates(request) -> str:
    return request.param


# --- models on real rows ----------------------------------------------------------------------


def test_every_real_row_passes_but_the_weights_link_warning(release_dates):
    frame = models_frame(release_dates, model_ids=())  # every real row: 1355 models
    assert len(frame) == 1355
    assert frame["release_date"].isna().sum() == 4
    dtypes = {"date": object, "datetime64": "datetime64[s]", "datetime64-utc": "datetime64[s, UTC]"}
    assert frame["release_date"].dtype == dtypes[release_dates]
    before = utc_today()
    report = validate_frame(frame, "models")
    assert report.success  # a failed warning does not fail the report
    assert failures(report) == {}
    (warning,) = report.failed
    assert (warning.name, warning.severity, warning.unexpected_count) == (
        "open_models_link_weights",
        "warn",
        447,  # of 498 open models, 51 have a repo from Epoch's `Link`; the Hub will add more
    )
    assert report.mostly == {
        "open_models_link_weights": {"mostly": 0.5, "unexpected_percent": 89.759, "success": False}
    }
    assert report.evaluated == len(load_suite("models")["expectations"]) == 28
    assert list(report.parameters) == ["today"]
    assert report.parameters["today"] in dates_since(before)  # the UTC date, read at the run
    assert report.rows == 1355


def test_real_country_codes_pass():
    report = validate_frame(models_frame(model_ids=()), "models_country_codes")
    assert report.success, report.describe()
    assert report.rows == 1550  # one row per (model, code); 21 models list no country


def test_list_columns_as_numpy_arrays_are_accepted():
    frame = models_frame()
    for column in ("sources", "hf_repo_ids", "country_codes"):
        frame[column] = [np.array(v, dtype=object) for v in frame[column]]  # as from parquet
    assert failures(validate_frame(frame, "models")) == {}
    assert validate_frame(frame, "models_country_codes").success


def test_duplicate_model_id():
    frame = models_frame()
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)  # DeepSeek-R1 twice
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "model_id_unique")}
    failed = failures(report)[("models", "model_id_unique")]
    assert failed.unexpected_count == 2  # GX counts every row of a duplicated value
    assert failed.unexpected_sample == ["deepseek/deepseek-r1"]
    assert failed.severity == "blocking"
    assert failed.rows == (0, 4)
    assert report.describe().splitlines()[1] == (
        "FAILED expect_column_values_to_be_unique(model_id): 2 unexpected, "
        "e.g. ['deepseek/deepseek-r1'] in rows "
        "[{'model_id': 'deepseek/deepseek-r1', 'name': 'DeepSeek-R1'}, "
        "{'model_id': 'deepseek/deepseek-r1', 'name': 'DeepSeek-R1'}]"
    )


def test_weights_access_outside_set():
    frame = models_frame()
    frame.loc[0, "weights_access"] = "open_weights"
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "weights_access_in_set")}
    failed = failures(report)[("models", "weights_access_in_set")]
    assert failed.unexpected_count == 1
    assert failed.unexpected_sample == ["open_weights"]
    assert failed.kwargs["value_set"] == list(schema.WEIGHTS_ACCESS)


def test_commercial_use_must_follow_open_access():
    frame = models_frame()  # DeepSeek-R1 is open_unrestricted, so its use is allowed
    frame.loc[0, "commercial_use"] = "prohibited"
    frame.loc[1, "commercial_use"] = "allowed"  # GPT-4o (api): not constrained
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "commercial_use_follows_weights_access")}
    failed = failures(report)[("models", "commercial_use_follows_weights_access")]
    assert (failed.rows, failed.severity) == ((0,), "blocking")
    assert failed.sample_rows == [
        {
            "model_id": "deepseek/deepseek-r1",
            "name": "DeepSeek-R1",
            "weights_access": "open_unrestricted",
            "commercial_use": "prohibited",
        }
    ]


def test_large_scale_must_agree_with_compute():
    frame = models_frame()  # Llama 3.1-8B: confirmed, 1.224e24 FLOP
    frame.loc[2, "training_compute_flop"] = 5e22
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "confirmed_large_scale_at_least_1e23")}
    frame.loc[2, "training_compute_flop"] = None
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "confirmed_large_scale_has_compute")}


def test_compute_above_range_is_a_row_failure():
    frame = models_frame()
    frame.loc[1, "training_compute_flop"] = 1e30
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {
        ("models", "compute_in_range"),
        ("models", "compute_floor_since_2010"),
    }
    for failed in failures(report).values():
        assert (failed.rows, failed.severity, failed.unexpected_sample) == ((1,), "row", [1e30])


def test_compute_floor_applies_from_2010_only():
    frame = models_frame(model_ids=("bell-laboratories/theseus", "meta-ai/llama-3.1-405b"))
    assert frame["release_date"].tolist() == [dt.date(1950, 7, 2), dt.date(2024, 7, 23)]
    assert frame["training_compute_flop"].tolist() == [40.0, 3.8e25]  # as Epoch lists them
    assert failures(validate_frame(frame, "models")) == {}
    frame.loc[1, "training_compute_flop"] = 3.8  # "3.8e25" read without its exponent
    frame.loc[1, "large_scale"] = "below"  # as access.large_scale would derive it
    report = validate_frame(frame, "models")
    assert [(f.name, f.rows, f.kwargs["min_value"]) for f in failures(report).values()] == [
        ("compute_floor_since_2010", (1,), 1e10)
    ]
    frame.loc[0, "training_compute_flop"] = -1.0
    report = validate_frame(frame, "models")
    assert [(f.name, f.rows) for f in failures(report).values()] == [
        ("compute_in_range", (0,)),
        ("compute_floor_since_2010", (1,)),
    ]


def test_parameters_against_the_size_in_the_name():
    ids = ("google/gopher-280b", "stanford-university/glove-32b", "google/rnn-for-1b-words")
    frame = models_frame(model_ids=ids)
    assert frame[["name", "parameters"]].values.tolist() == [
        ["Gopher (280B)", 2.8e11],
        ["GloVe (32B)", 1.2e8],  # 32B are its training tokens: a ratio of 0.00375 passes
        ["RNN for 1B words", 2e10],  # 1B words of data: a ratio of 20 passes
    ]
    assert failures(validate_frame(frame, "models")) == {}
    frame.loc[0, "parameters"] = 280.0  # "280B" read as 280
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "parameters_match_size_in_name")}
    failed = failures(report)[("models", "parameters_match_size_in_name")]
    assert (failed.rows, failed.severity) == ((0,), "row")
    assert failed.unexpected_sample == [["Gopher (280B)", 280.0]]


def test_stated_size_reads_b_and_m_only():
    names = pd.Series(
        [
            *("Gopher (280B)", "Qwen2.5-7B", "GPT-2 (355M)", "Ling-mini-base-2.0-20T"),
            *("Mixtral 8x7B", "Qwen3-0.6B", None),
        ]
    )
    assert np.array_equal(
        stated_size(names),
        [2.8e11, 7e9, 3.55e8, np.nan, np.nan, 6e8, np.nan],
        equal_nan=True,
    )


def test_hub_sentinel_only_from_hub_creation_dates():
    frame = models_frame(model_ids=("openai/statement-curriculum-learning", "openai/gpt-4o"))
    assert frame["release_date"].tolist()[0] == dt.date(2022, 3, 2)  # a real Epoch date
    assert failures(validate_frame(frame, "models")) == {}
    frame.loc[1, "release_date"] = dt.date(2022, 3, 2)
    frame.loc[1, "release_date_source"] = "huggingface.trending:createdAt"
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "release_date_not_hub_sentinel")}
    assert failures(report)[("models", "release_date_not_hub_sentinel")].rows == (1,)


def test_release_date_in_future_fails(release_dates):
    before = utc_today()
    frame = models_frame(release_dates, r2=before + dt.timedelta(days=366))
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "release_date_in_range")}
    failed = failures(report)[("models", "release_date_in_range")]
    assert (failed.unexpected_count, failed.rows, failed.severity) == (1, (2,), "row")
    assert failed.unexpected_sample == [(before + dt.timedelta(days=366)).isoformat()]
    assert failed.kwargs["max_value"] == report.parameters["today"]
    assert report.parameters["today"] in dates_since(before)
    json.dumps(report.to_dict(), allow_nan=False)  # JSON-safe with dates in kwargs and samples


def test_release_date_today_passes(release_dates):
    frame = models_frame(release_dates, r2=utc_today())
    assert failures(validate_frame(frame, "models")) == {}


def test_today_parameter_is_used(release_dates):
    frame = models_frame(release_dates)
    report = validate_frame(frame, "models", parameters={"today": "2020-01-01"})
    assert set(failures(report)) == {("models", "release_date_in_range")}
    # DeepSeek-R1 2025-01-20, GPT-4o 2024-05-13, Llama 3.1-8B 2024-07-23; Grok 4.20's null skipped
    assert failures(report)[("models", "release_date_in_range")].rows == (0, 1, 2)
    assert report.parameters == {"today": "2020-01-01"}


def test_null_model_id():
    frame = models_frame()
    frame.loc[3, "model_id"] = None
    report = validate_frame(frame, "models")
    assert set(failures(report)) == {("models", "model_id_not_null")}
    assert failures(report)[("models", "model_id_not_null")].unexpected_count == 1


def test_invalid_country_code():
    frame = models_frame()
    frame.at[1, "country_codes"] = ["US", "UK"]  # GPT-4o; "UK" is not ISO (GB is)
    report = validate_frame(frame, "models_country_codes")
    (failed,) = report.failed
    assert (failed.name, failed.severity, failed.unexpected_sample) == (
        "country_codes_iso_alpha2",
        "blocking",
        ["UK"],
    )
    assert failed.rows == (1,)  # the models row it came from
    assert failed.sample_rows == [{"model_id": "openai/gpt-4o"}]


def test_a_base_model_id_outside_the_table_blocks():
    frame = models_frame()
    # Llama 3.1 8B as the base of GPT-4o: resolution never links that, and the id exists.
    frame.loc[frame["model_id"] == "openai/gpt-4o", "base_model_id"] = "meta-ai/llama-3.1-8b"
    assert failures(validate_frame(frame, "models")) == {}
    frame.loc[frame["model_id"] == "openai/gpt-4o", "base_model_id"] = "openai/gpt-4"  # not here
    failed = failures(validate_frame(frame, "models"))
    assert list(failed) == [("models", "base_model_in_models")]
    assert failed[("models", "base_model_in_models")].unexpected_count == 1


def test_a_quarantined_base_leaves_its_variants_unlinked():
    from ai_landscape.resolve.merge import unlink_missing_bases

    frame = models_frame()
    frame.loc[frame["model_id"] == "openai/gpt-4o", "base_model_id"] = "meta-ai/llama-3.1-8b"
    published = frame[frame["model_id"] != "meta-ai/llama-3.1-8b"]  # the base was quarantined
    unlinked = unlink_missing_bases(published)
    assert unlinked["base_model_id"].isna().all()
    assert unlink_missing_bases(frame)["base_model_id"].tolist() == frame["base_model_id"].tolist()
