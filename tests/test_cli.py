"""The `landscape` command line: its exit codes and what it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.publish.store import SnapshotStore
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


@pytest.mark.usefixtures("prefect_harness")
def test_validation_failure_exits_1_and_names_the_expectation(warehouse, tmp_path):
    body = (REPLAY_EPOCH / "frontier_ai_models.csv").read_bytes()
    corrupted = tmp_path / "frontier_ai_models.csv"
    corrupted.write_bytes(body.replace(b"5.0000000000001e+26", b"-1", 1))  # Grok 4's compute
    result = runner.invoke(
        app,
        [
            "run",
            "--mode",
            "replay",
            "--sources",
            "epoch.frontier",
            "--source-url",
            f"epoch.frontier={corrupted}",
            "--warehouse",
            str(warehouse),
        ],
    )
    assert result.exit_code == 1
    assert "FAILED expect_column_values_to_be_between(training_compute_flop): 1 unexpected, " in (
        result.stderr
    )
    assert "e.g. [-1.0]" in result.stderr
    assert result.stderr.strip().endswith("FAILED: validation failed; nothing published")
    assert SnapshotStore(warehouse).list_snapshots() == []


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
    assert "  models: 1355 rows" in first.stdout
    assert f"  warehouse: {warehouse}" in first.stdout

    second = landscape("run", "--mode", "replay", "--warehouse", str(warehouse))
    assert second.returncode == 0, second.stderr
    assert (
        f"nothing changed: latest snapshot {snapshot_id} already holds this data" in second.stdout
    )

    listed = landscape("snapshots", "--warehouse", str(warehouse))
    assert listed.returncode == 0
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{snapshot_id}  ")
    assert lines[0].endswith(
        "replay  models 1355, source_records 3713, summary_by_year 830, "
        "announcements 1469  (latest)"
    )
