"""`landscape validate`: a published snapshot re-validated against the current suites."""

from __future__ import annotations

from datetime import UTC, datetime

from ai_landscape.commands.validate import validate_snapshot
from ai_landscape.pipeline.tables import VOLATILE_COLUMNS
from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.summary import summary_by_year
from ai_landscape.validate.recheck import records_by_dataset
from tests.gate_frames import COUNTS, replay_records
from tests.real_frames import replay_tables

FIRST = datetime(2026, 5, 2, 12, tzinfo=UTC)
SECOND = datetime(2026, 5, 3, 12, tzinfo=UTC)


def publish(warehouse, tables: dict, created_at: datetime, counts: dict = COUNTS) -> str:
    """A snapshot as the flow writes one: the tables and each dataset's record count."""
    tables = {**tables, "summary_by_year": summary_by_year(tables["models"])}
    info = {"sources": {key: {"status": "ok", "records": n} for key, n in counts.items()}}
    result = open_store(warehouse).publish(
        tables, created_at=created_at, info=info, volatile_columns=VOLATILE_COLUMNS
    )
    return result.snapshot_id


def test_records_are_rebuilt_from_source_records():
    rebuilt = records_by_dataset(replay_tables()["source_records"])
    parsed = replay_records()
    assert sorted(rebuilt) == sorted(parsed) == sorted(COUNTS)
    for key, records in parsed.items():
        expected = records.drop(columns=["_raw_locator", "_retrieved_at", "_stale"])
        assert list(rebuilt[key].columns) == list(expected.columns)
        assert rebuilt[key].astype(str).values.tolist() == expected.astype(str).values.tolist()


def test_valid_snapshot_passes(warehouse):
    snapshot = publish(warehouse, replay_tables(), FIRST)
    code, text = validate_snapshot("latest", warehouse)
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == f"snapshot {snapshot} against the current suites: passes"
    assert lines[1:6] == [
        "  suite records_epoch on epoch.frontier records: passed (5/5 expectations met)",
        "  suite records_epoch on epoch.large_scale records: passed (5/5 expectations met)",
        "  suite records_epoch on epoch.notable records: passed (5/5 expectations met)",
        "  suite models: passed with warnings (27/28 expectations met)",
        "  suite models_country_codes on models: passed (1/1 expectations met)",
    ]
    assert lines[6].startswith("  warning models: models.open_models_link_weights: FAILED")
    assert len(lines) == 7


def test_snapshot_holding_rows_todays_suites_reject_fails(warehouse):
    tables = replay_tables()
    models = tables["models"]
    models.loc[models["model_id"] == "google/gopher-280b", "parameters"] = 280.0
    publish(warehouse, tables, FIRST)  # published directly, past no gate
    code, text = validate_snapshot(warehouse=warehouse)
    assert code == 1
    assert text.splitlines()[0].endswith("against the current suites: FAILS")
    assert "  models: 1 rows would be quarantined: models.parameters_match_size_in_name" in (
        text.splitlines()
    )
    assert "  source_records: 3 rows would be quarantined: models row quarantined: " in text


def test_record_counts_are_compared_with_the_parent_snapshot(warehouse):
    first = publish(warehouse, replay_tables(), FIRST)
    tables = replay_tables()
    records = tables["source_records"]
    large = records.index[records["dataset"] == "large_scale"]
    tables["source_records"] = records.drop(index=large[204:]).reset_index(drop=True)
    second = publish(warehouse, tables, SECOND, {**COUNTS, "epoch.large_scale": 204})
    assert open_store(warehouse).manifest(second)["parent_id"] == first

    code, text = validate_snapshot(second, warehouse)
    assert code == 1
    assert (
        "  BLOCKING epoch.large_scale records: records_epoch.row_count_near_previous: FAILED "
        "expect_table_row_count_to_be_between(): observed 204, expected 357..765 "
        "(previous run: 510 records)"
    ) in text
    code, _ = validate_snapshot(first, warehouse)  # no parent: no band
    assert code == 0


def test_unknown_snapshot_is_a_usage_error(warehouse):
    publish(warehouse, replay_tables(), FIRST)
    code, text = validate_snapshot("20200101", warehouse)
    assert code == 2
    assert text == f"error: snapshot '20200101' not found in {warehouse}"
    code, text = validate_snapshot("latest", warehouse / "empty")
    assert (code, text) == (2, f"error: no snapshot in {warehouse / 'empty'}")


def test_records_from_a_stored_snapshot(warehouse):
    """From parquet, records come back with parse's columns only (no flow bookkeeping)."""
    publish(warehouse, replay_tables(), FIRST)
    rebuilt = records_by_dataset(open_store(warehouse).read_table("source_records"))
    assert {k: len(v) for k, v in rebuilt.items()} == COUNTS
    assert [c for c in rebuilt["epoch.notable"].columns if c.startswith("_")] == ["_row"]
    assert rebuilt["epoch.notable"]["_row"].tolist() == list(range(1011))
