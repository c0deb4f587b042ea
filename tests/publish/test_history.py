"""`landscape diff` and `landscape history` on the two-snapshot replay store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.publish.history import diff, history
from ai_landscape.publish.warehouse import open_store
from tests.conftest import REPLAY_EVENT_COUNTS

runner = CliRunner()


def test_diff_of_the_two_snapshots_equals_the_events_the_second_run_recorded(replay_store):
    store = open_store(replay_store.root)
    old_id, new_id, changes = diff(store, replay_store.first, "latest")
    assert (old_id, new_id) == (replay_store.first, replay_store.second)
    recorded = store.read_table("events", replay_store.second)

    def records(frame):
        return frame.astype(object).where(frame.notna(), None).to_dict("records")

    assert records(changes) == records(recorded[list(changes.columns)])
    assert changes["event_type"].value_counts().to_dict() == REPLAY_EVENT_COUNTS


def test_diff_cli_json_and_unknown_snapshot(replay_store):
    result = runner.invoke(
        app,
        [
            "diff",
            replay_store.first,
            replay_store.second,
            "--json",
            "--warehouse",
            str(replay_store.root),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 523
    missing = runner.invoke(app, ["diff", "1999-01-01", "--warehouse", str(replay_store.root)])
    assert missing.exit_code == 2
    assert "no snapshot on 1999-01-01" in missing.stderr


def test_history_of_a_model_whose_access_changed(replay_store):
    store = open_store(replay_store.root)
    events = store.read_table("events", replay_store.second)
    changed = events[events["event_type"] == "access_changed"].iloc[0]
    assert changed["model_id"] == "allen-institute-for-ai/unifiedqa"
    timeline = history(store, changed["model_id"])
    # Its weights came out (unreleased -> open_unrestricted), and with them a licence that
    # Epoch's accessibility notes name.
    assert timeline["snapshot_id"].tolist() == [replay_store.second] * 2
    rows = timeline[["event_type", "old", "new"]].astype(object)
    assert rows.where(rows.notna(), None).values.tolist() == [
        ["access_changed", "unreleased", "open_unrestricted"],
        ["license_changed", None, "Apache-2.0"],
    ]
    assert timeline["evidence"].str.startswith("epoch.notable:").all()
    result = runner.invoke(
        app, ["history", changed["model_id"], "--warehouse", str(replay_store.root)]
    )
    assert result.exit_code == 0, result.output
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith(f"{changed['model_id']}: first seen ")
    assert first_line.endswith(f"(snapshot {replay_store.first})")
    assert f"{changed['old']}" in result.stdout
    assert f"{changed['new']}" in result.stdout
    unknown = runner.invoke(
        app, ["history", "nobody/nothing", "--warehouse", str(replay_store.root)]
    )
    assert unknown.exit_code == 2
