"""The validation gate on corrupted copies of the real recorded Epoch data: what blocks, what is
quarantined, what only warns; rows in = rows published + quarantined.

Where quarantined rows go (the quarantine file, Data Docs, artifacts) is in
test_gate_quarantine.py; the shared records and helpers in gate_frames.py."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from ai_landscape.http.client import make_client
from ai_landscape.pipeline.census.steps import split_census
from ai_landscape.pipeline.ingest import ingest
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.selection import select_datasets
from ai_landscape.validate.gate import (
    REASON_COLUMN,
    GateAccountingError,
    _check_accounting,
    gate,
    previous_counts_from_manifest,
)
from tests.gate_frames import RUN, assert_rows_add_up, replay_records, row_of, run_gate
from tests.real_frames import replay_tables
from tests.validate_frames import dates_since, utc_today


def test_real_replay_passes_with_one_warning():
    tables = replay_tables()
    result = run_gate(tables)
    assert result.publishable
    assert result.blocking == []
    assert result.quarantined == {}
    assert [m.split(": FAILED")[0] for m in result.warnings] == [
        "models: models.open_models_link_weights"
    ]
    assert_rows_add_up(result, tables)
    assert result.summary["rows"] == {
        "models": {"in": 1355, "published": 1355, "quarantined": 0},
        "source_records": {"in": 1658, "published": 1658, "quarantined": 0},
    }
    assert sorted(result.summary["reports"]) == [
        "models",
        "models_country_codes",
        "records_epoch:epoch.frontier",
        "records_epoch:epoch.large_scale",
        "records_epoch:epoch.notable",
    ]
    large = result.summary["reports"]["records_epoch:epoch.large_scale"]
    assert (large["parameters"]["min_rows"], large["parameters"]["max_rows"]) == (357, 765)
    assert large["success"] is True  # "Gemini 3.1 Pro" twice: 509 of 510 names distinct
    json.dumps(result.summary, allow_nan=False)


@pytest.fixture(scope="module")
def every_source_records(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every registered dataset's records, ingested from the real replay data."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    client = make_client("replay", warehouse)
    # The census streams around ingest (pipeline/census) and has its own suites.
    _, requests = split_census(select_datasets(None, None, "replay"))
    results = [ingest(r, client, warehouse) for r in requests]
    assert [r.error for r in results if r.status != "ok"] == []
    return {r.request.key: r.records for r in results}


def test_every_sources_real_records_pass(every_source_records):
    counts = {key: len(frame) for key, frame in every_source_records.items()}
    result = gate({}, every_source_records, counts, RUN)
    assert result.publishable, result.describe()
    suites = {k.split(":")[0] for k in result.summary["reports"]}
    assert suites == {f"records_{source}" for source in SOURCES}  # each source has its own


def test_repeated_openrouter_id_blocks(every_source_records):
    records = every_source_records["openrouter.models"]
    doubled = pd.concat([records, records.iloc[[0]]], ignore_index=True)
    result = gate({}, {"openrouter.models": doubled}, {"openrouter.models": len(records)}, RUN)
    assert [m.split(": FAILED")[0] for m in result.blocking] == [
        "openrouter.models records: records_openrouter.key_unique"
    ]


def test_duplicate_model_id_blocks():
    tables = replay_tables()
    models = tables["models"]
    tables["models"] = pd.concat([models, models.iloc[[291]]], ignore_index=True)
    assert tables["models"].loc[1355, "model_id"] == "deepseek/deepseek-r1"
    result = run_gate(tables)
    assert not result.publishable
    assert result.blocking == [
        "models: models.model_id_unique: FAILED expect_column_values_to_be_unique(model_id): "
        "2 unexpected, e.g. ['deepseek/deepseek-r1'] in rows "
        "[{'model_id': 'deepseek/deepseek-r1', 'name': 'DeepSeek-R1'}, "
        "{'model_id': 'deepseek/deepseek-r1', 'name': 'DeepSeek-R1'}] - "
        "One row per canonical model; a duplicate means resolve merged badly."
    ]
    assert_rows_add_up(result, tables)


def test_bad_compute_and_parameters_are_quarantined_and_named():
    tables = replay_tables()
    one_peace = row_of(tables, "alibaba/one-peace")  # 2023, 1.8e20 FLOP, large_scale below
    gopher = row_of(tables, "google/gopher-280b")  # Gopher (280B): 2.8e11 parameters
    tables["models"].loc[one_peace, "training_compute_flop"] = -1.0
    tables["models"].loc[gopher, "parameters"] = 280.0
    result = run_gate(tables)
    assert result.publishable, result.describe()
    quarantined = result.quarantined["models"]
    assert quarantined[["model_id", REASON_COLUMN]].values.tolist() == [
        ["alibaba/one-peace", "models.compute_in_range; models.compute_floor_since_2010"],
        ["google/gopher-280b", "models.parameters_match_size_in_name"],
    ]
    assert quarantined["parameters"].tolist()[1] == 280.0
    published = result.tables["models"]
    assert len(published) == 1353
    assert not published["model_id"].isin(["alibaba/one-peace", "google/gopher-280b"]).any()
    # Their records leave source_records with them: 1 for ONE-PEACE, 3 for Gopher.
    records = result.quarantined["source_records"]
    assert records.groupby("model_id").size().to_dict() == {
        "alibaba/one-peace": 1,
        "google/gopher-280b": 3,
    }
    assert set(records[REASON_COLUMN]) == {
        "models row quarantined: models.compute_in_range; models.compute_floor_since_2010",
        "models row quarantined: models.parameters_match_size_in_name",
    }
    assert_rows_add_up(result, tables)
    assert result.summary["rows"]["models"] == {"in": 1355, "published": 1353, "quarantined": 2}
    assert result.summary["rows"]["source_records"]["quarantined"] == 4


def test_unknown_enum_value_blocks():
    tables = replay_tables()
    tables["models"].loc[row_of(tables, "openai/gpt-4o"), "weights_access"] = "open_weights"
    result = run_gate(tables)
    assert not result.publishable
    assert [m.split(" in rows")[0] for m in result.blocking] == [
        "models: models.weights_access_in_set: FAILED expect_column_values_to_be_in_set"
        "(weights_access): 1 unexpected, e.g. ['open_weights']"
    ]


def test_release_date_next_year_is_quarantined():
    tables = replay_tables()
    llama = row_of(tables, "meta-ai/llama-3.1-8b")
    today = utc_today()
    tables["models"].loc[llama, "release_date"] = today.replace(year=today.year + 1, day=1)
    result = run_gate(tables)
    assert result.publishable
    assert result.quarantined["models"][["model_id", REASON_COLUMN]].values.tolist() == [
        ["meta-ai/llama-3.1-8b", "models.release_date_in_range"]
    ]
    assert_rows_add_up(result, tables)


def test_source_with_40_percent_of_its_rows_blocks_and_is_named():
    records = replay_records()
    records["epoch.large_scale"] = records["epoch.large_scale"].iloc[:204]  # 40% of 510
    result = run_gate(records=records)
    assert not result.publishable
    assert result.blocking == [
        "epoch.large_scale records: records_epoch.row_count_near_previous: FAILED "
        "expect_table_row_count_to_be_between(): observed 204, expected 357..765 "
        "(previous run: 510 records) - Within 70%..150% of the previous run's record count "
        "for this dataset (parameters min_rows/max_rows, set by the gate from the previous "
        "manifest): a sudden drop is a failed scrape, not a landscape change; a jump is "
        "usually a pagination loop."
    ]


def test_first_run_has_no_row_band():
    records = replay_records()
    records["epoch.large_scale"] = records["epoch.large_scale"].iloc[:204]
    before = utc_today()
    result = run_gate(records=records, counts={})
    assert result.publishable
    parameters = result.summary["reports"]["records_epoch:epoch.large_scale"]["parameters"]
    assert parameters["today"] in dates_since(before)
    assert parameters == {"today": parameters["today"], "min_rows": 1, "max_rows": None}


def test_dataset_read_twice_blocks():
    records = replay_records()
    twice = pd.concat([records["epoch.frontier"]] * 2, ignore_index=True)
    records["epoch.frontier"] = twice
    result = run_gate(records=records)
    assert [m.split(": FAILED")[0] for m in result.blocking] == [
        "epoch.frontier records: records_epoch.row_count_near_previous",
        "epoch.frontier records: records_epoch.key_nearly_unique",
    ]
    assert "observed 274, expected 96..205" in result.blocking[0]
    assert "observed 0.5," in result.blocking[1]


def test_missing_source_column_blocks():
    records = replay_records()
    records["epoch.notable"] = records["epoch.notable"].drop(columns=["Model accessibility"])
    result = run_gate(records=records)
    (message,) = result.blocking
    assert message.startswith(
        "epoch.notable records: records_epoch.required_columns: FAILED "
        "expect_table_columns_to_match_set(): observed ["
    )


def test_row_level_expectation_that_cannot_run_blocks():
    tables = replay_tables()
    tables["models"] = tables["models"].drop(columns=["parameters"])
    result = run_gate(tables)
    assert not result.publishable
    assert [m.split(": FAILED")[0] for m in result.blocking] == [
        "models: models.parameters_in_range",
        "models: models.parameters_match_size_in_name",
    ]
    assert result.blocking[0].endswith(
        "[row-level, but no offending rows to quarantine: treated as blocking] - Outside "
        "1..1e15 parameters is a unit or parsing error. (Epoch lists real pre-2000 networks "
        "with 16 parameters, so the floor is 1.)"
    )
    assert result.quarantined == {}


def test_quarantining_more_than_5_percent_blocks():
    tables = replay_tables()
    below = tables["models"].index[tables["models"]["large_scale"] == "below"][:70]
    tables["models"].loc[below, "training_compute_flop"] = -1.0
    result = run_gate(tables)
    assert len(result.quarantined["models"]) == 70
    assert result.blocking == [
        "models: 70 of 1355 rows would be quarantined (5.2%), above the 5% limit: "
        "a systematic error, not a few bad rows"
    ]
    assert_rows_add_up(result, tables)


def events_removing(share: float) -> pd.DataFrame:
    """A batch of design-shaped events: `model_removed` for the first `share` of the real
    catalogue's model ids, plus one real access change."""
    ids = replay_tables()["models"]["model_id"]
    removed = ids.iloc[: math.ceil(share * len(ids))]
    detected = pd.Timestamp("2026-05-03T06:00:00Z")
    frame = pd.DataFrame(
        {
            "event_type": "model_removed",
            "model_id": removed.to_numpy(),
            "field": None,
            "old": None,
            "new": None,
            "detected_at": detected,
            "evidence": "epoch.notable: not in the 2026-05-03 export",
        }
    )
    change = {
        "event_type": "access_changed",
        "model_id": "openai/gpt-oss-120b",
        "field": "weights_access",
        "old": "api",
        "new": "open_unrestricted",
        "detected_at": detected,
        "evidence": "epoch.notable:replay/epoch/notable_ai_models.csv#row=1",
    }
    return pd.concat([frame, pd.DataFrame([change])], ignore_index=True)


def test_events_removing_30_percent_of_models_block():
    tables = {**replay_tables(), "events": events_removing(0.30)}
    result = run_gate(tables, previous_models=1355)
    assert not result.publishable
    assert result.blocking == [
        "events: events.removals_below_share: FAILED expect_table_row_count_to_be_between(): "
        "observed 407, expected ..135 - At most max_removed_share (10%) of the previous "
        "catalogue may disappear in one run: a mass removal is a failed or truncated source, "
        "not models withdrawn. A failed source is carried over as stale and removes nothing, "
        "so this limit has no exception."
    ]


def test_events_removing_10_percent_pass():
    tables = {**replay_tables(), "events": events_removing(0.0996)}  # 135 of 1355
    result = run_gate(tables, previous_models=1355)
    assert result.publishable, result.describe()
    assert result.summary["reports"]["events"]["parameters"]["max_removed"] == 135
    assert result.summary["rows"]["events"] == {"in": 136, "published": 136, "quarantined": 0}


def test_unknown_event_type_blocks():
    events = events_removing(0.01)
    events.loc[0, "event_type"] = "model_deleted"
    result = run_gate({**replay_tables(), "events": events}, previous_models=1355)
    assert [m.split(" in rows")[0] for m in result.blocking] == [
        "events: events.event_type_in_set: FAILED expect_column_values_to_be_in_set(event_type): "
        "1 unexpected, e.g. ['model_deleted']"
    ]


def test_accounting_is_checked():
    tables = replay_tables()
    with pytest.raises(GateAccountingError, match="models: 1355 rows in, 1354 published"):
        _check_accounting(tables, {**tables, "models": tables["models"].iloc[1:]}, {})


def test_previous_counts_from_manifest():
    manifest = {
        "sources": {
            "epoch.large_scale": {"status": "ok", "records": 510},
            "epoch.notable": {"status": "stale", "records": 1011},
            "epoch.frontier": {"status": "failed", "error": "HTTP 404"},
            "huggingface.trending": {"status": "skipped"},
        }
    }
    assert previous_counts_from_manifest(manifest) == {
        "epoch.large_scale": 510,
        "epoch.notable": 1011,
    }
    assert previous_counts_from_manifest(None) == {}
