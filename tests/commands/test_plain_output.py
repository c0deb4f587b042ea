"""Output that reads as written: ids unescaped, whole numbers without `.0`, one line per
snapshot, one manifest on request."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.plain import cell, plain
from ai_landscape.publish.warehouse import open_store

runner = CliRunner()


def test_plain_values():
    assert plain(671000000000.0) == 671000000000
    assert cell(671000000000.0) == "671000000000"
    assert cell(3.8e25) == "3.8e+25"  # beyond exact integers: a float stays a float
    assert cell(7.24e9) == "7240000000"
    assert cell(0.5) == "0.5"
    assert cell(float("nan")) == ""
    assert cell(["xai/grok-2"]) == '["xai/grok-2"]'


def test_diff_and_history_json_write_ids_and_numbers_plainly(replay_store):
    root = ["--warehouse", str(replay_store.root)]
    diff = runner.invoke(app, ["diff", replay_store.first, replay_store.second, "--json", *root])
    assert diff.exit_code == 0, diff.output
    assert "\\/" not in diff.stdout
    changes = json.loads(diff.stdout)
    revised = [c for c in changes if c["event_type"] == "compute_revised"]
    assert len(revised) == 59
    assert all(not (c["old"] or "").endswith(".0") for c in revised)
    history = runner.invoke(app, ["history", "xai/grok-2", "--json", *root])
    assert history.exit_code == 0, history.output
    assert "\\/" not in history.stdout
    assert {e["model_id"] for e in json.loads(history.stdout)} <= {"xai/grok-2"}


def test_query_json_prints_whole_numbers_as_integers(full_replay):
    sql = "select parameters from models where model_id = 'deepseek/deepseek-r1'"
    result = runner.invoke(app, ["query", sql, "--json", "--warehouse", str(full_replay.root)])
    assert json.loads(result.stdout) == [{"parameters": 671000000000}]
    table = runner.invoke(app, ["query", sql, "--warehouse", str(full_replay.root)])
    assert table.stdout.splitlines()[2].strip() == "671000000000"


def test_snapshots_lists_one_line_each_and_shows_one_manifest(replay_store):
    root = ["--warehouse", str(replay_store.root)]
    listed = runner.invoke(app, ["snapshots", *root])
    lines = listed.stdout.splitlines()
    assert len(lines) == 4  # header, rule, two snapshots
    assert lines[2].split() == [replay_store.first, *lines[2].split()[1:3], "replay", "1327", "-"]
    assert lines[3].split()[-3:] == ["1355", "-", "latest"]
    as_json = json.loads(runner.invoke(app, ["snapshots", "--json", *root]).stdout)
    assert [(s["snapshot_id"], s["models"], s["stale"], s["latest"]) for s in as_json] == [
        (replay_store.first, 1327, {}, False),
        (replay_store.second, 1355, {}, True),
    ]
    shown = runner.invoke(app, ["snapshots", "show", replay_store.first[:-2], *root])  # a prefix
    assert shown.exit_code == 0, shown.output
    manifest = open_store(replay_store.root).manifest(replay_store.first)
    assert json.loads(shown.stdout) == manifest
    missing = runner.invoke(app, ["snapshots", "show", "1999-01-01", *root])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"error: no snapshot on 1999-01-01 in {replay_store.root}"
