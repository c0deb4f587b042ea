"""The `landscape` command line: its exit codes and what it prints."""

from __future__ import annotations

import multiprocessing
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.pipeline.early import take_early
from ai_landscape.pipeline.worker import RunWorker
from ai_landscape.publish.warehouse import open_store
from tests.conftest import REPLAY_EPOCH

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--sources", "arxiv"],
            "error: unknown source 'arxiv'; known: "
            "epoch, modelsdev, huggingface, openrouter, feeds",
        ),
        (
            ["--sources", "epoch.all"],
            "error: unknown dataset 'epoch.all'; epoch has: large_scale, frontier, notable",
        ),
        (["--mode", "offline"], "error: --mode must be one of live, replay, not 'offline'"),
        (
            ["--source-url", "epoch.notable"],
            "error: --source-url expects KEY=URL, got 'epoch.notable'",
        ),
    ],
)
def test_usage_errors_exit_2_before_fetching(args, message, warehouse):
    result = runner.invoke(app, ["run", *args, "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not warehouse.exists()


def run_frontier(warehouse, body: bytes, tmp_path):
    corrupted = tmp_path / "frontier_ai_models.csv"
    corrupted.write_bytes(body)
    args = ["run", "--mode", "replay", "--sources", "epoch.frontier"]
    args += ["--source-url", f"epoch.frontier={corrupted}", "--warehouse", str(warehouse)]
    return runner.invoke(app, args)


FRONTIER = (REPLAY_EPOCH / "frontier_ai_models.csv").read_bytes()


@pytest.mark.usefixtures("prefect_harness")
def test_blocking_validation_failure_exits_1_and_names_the_expectation(warehouse, tmp_path):
    header, _, rows = FRONTIER.partition(b"\n")
    doubled = header + b"\n" + rows + rows  # every record twice: a broken export
    result = run_frontier(warehouse, doubled, tmp_path)
    assert result.exit_code == 1
    assert "records_epoch.key_nearly_unique" in result.stderr
    assert "epoch.frontier" in result.stderr
    assert result.stderr.strip().endswith("FAILED: validation failed; nothing published")
    assert open_store(warehouse).list_snapshots() == []


@pytest.mark.usefixtures("prefect_harness")
def test_a_mistyped_source_url_exits_1_and_publishes_nothing(warehouse, tmp_path):
    good = run_frontier(warehouse, FRONTIER, tmp_path)
    assert good.exit_code == 0, good.output
    latest = open_store(warehouse).latest_id()
    args = ["run", "--mode", "replay", "--sources", "epoch.frontier", "--warehouse", str(warehouse)]
    result = runner.invoke(app, [*args, "--source-url", "epoch.frontier=/nope.csv"])
    assert result.exit_code == 1
    assert "published" not in result.stdout
    assert "  source epoch.frontier: failed (/nope.csv: " in result.stdout
    assert result.stderr.strip().endswith(
        "FAILED: epoch.frontier failed at the URL given with --source-url (an explicit URL is "
        "never carried over); nothing published"
    )
    assert [m["snapshot_id"] for m in open_store(warehouse).list_snapshots()] == [latest]


@pytest.mark.usefixtures("prefect_harness")
def test_a_bad_value_is_quarantined_and_the_rest_publishes(warehouse, tmp_path):
    result = run_frontier(warehouse, FRONTIER.replace(b"5.0000000000001e+26", b"-1", 1), tmp_path)
    assert result.exit_code == 0, result.output
    store = open_store(warehouse)
    manifest = store.manifest("latest")
    assert manifest["validation"]["rows"]["models"] == {
        "in": 137,
        "published": 136,
        "quarantined": 1,
    }
    path = warehouse / manifest["validation"]["quarantine"]["models"]
    quarantined = pd.read_parquet(path)
    assert quarantined["model_id"].tolist() == ["xai/grok-4"]
    assert quarantined["_quarantined_by"].tolist() == [
        "models.compute_in_range; models.compute_floor_since_2010"
    ]
    assert "xai/grok-4" not in set(store.read_table("models")["model_id"])


@pytest.mark.usefixtures("prefect_harness")
def test_run_starts_its_worker_before_the_flow_and_a_usage_error_starts_none(
    warehouse, tmp_path, monkeypatch
):
    sent = []
    submit = RunWorker.submit
    monkeypatch.setattr(
        RunWorker, "submit", lambda self, fn, *a: sent.append(fn.__name__) or submit(self, fn, *a)
    )
    bad = runner.invoke(app, ["run", "--mode", "offline", "--warehouse", str(warehouse)])
    assert bad.exit_code == 2
    assert sent == []
    result = run_frontier(warehouse, FRONTIER, tmp_path)
    assert result.exit_code == 0, result.output
    # The warm-up (pipeline/early.py) went first, before the flow asked for anything; the
    # report's large-scale and weights-access charts are drawn there, the licence chart here.
    assert sent == [
        "warm_up",
        "checked_records",
        "checked_tables",
        "drawn_pages",
        "large_scale_chart",
        "stacked_by_year",
    ]
    assert take_early() is None  # the run took it
    assert multiprocessing.active_children() == []  # and it ended with the run


def landscape(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ai_landscape.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"},
        check=False,
    )


@pytest.mark.integration
def test_run_twice_in_real_processes(warehouse):
    first = landscape("run", "--mode", "replay", "--warehouse", str(warehouse))
    assert first.returncode == 0, first.stderr
    snapshot_id = re.search(r"^published snapshot (\S+)$", first.stdout, re.M).group(1)
    assert "  models: 3568 rows" in first.stdout
    assert f"  warehouse: {warehouse}" in first.stdout

    second = landscape("run", "--mode", "replay", "--warehouse", str(warehouse))
    assert second.returncode == 0, second.stderr
    assert (
        f"nothing changed: latest snapshot {snapshot_id} already holds this data" in second.stdout
    )

    listed = landscape("snapshots", "--warehouse", str(warehouse))
    assert listed.returncode == 0
    lines = listed.stdout.strip().splitlines()
    assert lines[0].split() == ["snapshot", "created", "mode", "models", "stale", "sources"]
    assert len(lines) == 3
    assert lines[2].startswith(f"{snapshot_id}  ")
    assert lines[2].endswith("  replay    3568  -              latest")
