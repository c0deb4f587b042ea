"""A source that fails, breaks its format or goes missing: named, carried over from its last
good copy as stale (or failing the run when there is none, or when the operator named the URL),
never a corrupt or partial snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.flow import RunFailed
from ai_landscape.publish.warehouse import open_store
from tests.conftest import REPLAY_EPOCH
from tests.pipeline.test_pipeline import plain_pages, run, store_state
from tests.replay_copies import replay_with

pytestmark = pytest.mark.usefixtures("prefect_harness")


def without_column(tmp_path: Path, column: bytes) -> Path:
    """A copy of the real large-scale export whose header lost one column name."""
    broken = tmp_path / "large_scale_ai_models.csv"
    body = (REPLAY_EPOCH / "large_scale_ai_models.csv").read_bytes()
    broken.write_bytes(body.replace(b"," + column + b",", b",Accessibility,", 1))
    return broken


LARGE_SCALE_URL = "https://epoch.ai/data/large_scale_ai_models.csv"


def break_recording(tmp_path: Path, monkeypatch) -> None:
    """Epoch's usual large-scale URL now serves an export missing a column."""
    body = without_column(tmp_path, b"Model accessibility").read_bytes()
    replay_with(tmp_path, monkeypatch, "epoch/large_scale_ai_models.csv", body)


def test_missing_column_with_no_earlier_copy_publishes_nothing(warehouse, tmp_path, monkeypatch):
    break_recording(tmp_path, monkeypatch)
    with pytest.raises(RunFailed) as err:
        run(warehouse)
    summary = err.value.summary
    assert summary.errors == [
        f"epoch.large_scale: {LARGE_SCALE_URL}: required column 'Model accessibility' is missing"
    ]
    assert err.value.why == (
        "epoch.large_scale failed with no earlier copy to carry over; nothing published"
    )
    assert summary.sources["epoch.large_scale"]["status"] == "failed"
    assert summary.sources["epoch.notable"]["status"] == "ok"
    assert open_store(warehouse).list_snapshots() == []


def test_broken_source_carries_over_its_last_good_copy_as_stale(warehouse, tmp_path, monkeypatch):
    good = run(warehouse)
    store = open_store(warehouse)
    before = store.read_table("models")
    break_recording(tmp_path, monkeypatch)

    degraded = run(warehouse)
    assert degraded.status == "published"
    info = degraded.sources["epoch.large_scale"]
    assert info["status"] == "stale"
    assert info["error"] == f"{LARGE_SCALE_URL}: required column 'Model accessibility' is missing"
    assert info["stale_since"] == good.sources["epoch.large_scale"]["retrieved_at"]
    assert info["sha256"] == good.sources["epoch.large_scale"]["sha256"]
    assert degraded.sources["epoch.notable"]["status"] == "ok"

    after = store.read_table("models")
    volatile = ["first_seen", "last_seen"]
    assert after.drop(columns=volatile).equals(before.drop(columns=volatile))
    records = store.read_table("source_records")
    keys = records["source"] + "." + records["dataset"]
    keys = keys.where(records["source"] != "feeds", "feeds")
    assert records.groupby(keys)["stale"].agg(["sum", "size"]).to_dict("index") == {
        "feeds": {"sum": 0, "size": 2253},
        "epoch.frontier": {"sum": 0, "size": 137},
        "epoch.large_scale": {"sum": 510, "size": 510},
        "epoch.notable": {"sum": 0, "size": 1011},
        "huggingface.authors": {"sum": 0, "size": 2028},
        "huggingface.details": {"sum": 0, "size": 4},
        "huggingface.trending": {"sum": 0, "size": 15},
        "modelsdev.models": {"sum": 0, "size": 231},
        "openrouter.models": {"sum": 0, "size": 336},
    }

    listed = CliRunner().invoke(app, ["snapshots", "--warehouse", str(warehouse), "--json"])
    assert [s["stale"] for s in json.loads(listed.stdout)] == [
        {},
        {"epoch.large_scale": good.sources["epoch.large_scale"]["retrieved_at"]},
    ]
    monkeypatch.delenv("LANDSCAPE_REPLAY_DIR")
    recovered = run(warehouse)
    assert recovered.status == "published"
    assert recovered.sources["epoch.large_scale"]["status"] == "ok"
    assert not store.read_table("source_records")["stale"].any()


def test_an_explicit_source_url_that_fails_publishes_nothing(warehouse, tmp_path):
    """An operator's URL is what they asked for: its failure fails the run, even with an
    earlier copy of the dataset in the store (that carry-over is for the usual URLs)."""
    good = run(warehouse)
    before = store_state(warehouse)
    typo = tmp_path / "nope.csv"
    with pytest.raises(RunFailed) as err:
        run(warehouse, source_urls={"epoch.large_scale": str(typo)})
    assert err.value.why == (
        "epoch.large_scale failed at the URL given with --source-url (an explicit URL is "
        "never carried over); nothing published"
    )
    assert err.value.summary.exit_code == 1
    assert err.value.summary.sources["epoch.large_scale"]["status"] == "failed"
    assert store_state(warehouse) == before
    assert open_store(warehouse).latest_id() == good.snapshot_id


def truncated_copy(tmp_path: Path, share: float) -> Path:
    """The real large-scale export cut after `share` of its records, at a record boundary."""
    import pandas as pd

    frame = pd.read_csv(
        REPLAY_EPOCH / "large_scale_ai_models.csv", dtype=str, keep_default_na=False
    )
    path = tmp_path / "large_scale_ai_models.csv"
    frame.head(int(len(frame) * share)).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("40% of the rows", "epoch.large_scale"),
        ("every record twice", "records_epoch.key_nearly_unique"),
    ],
)
def test_a_blocked_run_leaves_the_previous_snapshot_latest_byte_for_byte(
    warehouse, tmp_path, case, expected
):
    good = run(warehouse, sources=["epoch"])
    before = store_state(warehouse)
    if case == "40% of the rows":
        broken = truncated_copy(tmp_path, 0.4)
    else:
        header, _, rows = (REPLAY_EPOCH / "large_scale_ai_models.csv").read_bytes().partition(b"\n")
        broken = tmp_path / "large_scale_ai_models.csv"
        broken.write_bytes(header + b"\n" + rows + rows)
    with pytest.raises(RunFailed) as err:
        run(warehouse, sources=["epoch"], source_urls={"epoch.large_scale": str(broken)})
    assert err.value.why == "validation failed; nothing published"
    assert expected in str(err.value)
    assert plain_pages(warehouse, err.value.summary) == []  # the gate's pages, drawn at the stop
    assert store_state(warehouse) == before
    assert open_store(warehouse).latest_id() == good.snapshot_id


def test_a_missing_recording_fails_that_source_and_carries_it_over(
    warehouse, tmp_path, monkeypatch
):
    first = run(warehouse)
    replay = replay_with(tmp_path, monkeypatch, "openrouter", None)  # its recording is gone
    second = run(warehouse)
    info = second.sources["openrouter.models"]
    assert info["status"] == "stale"
    assert info["error"] == (
        f"https://openrouter.ai/api/v1/models: no recorded response in {replay}/*/index.json"
    )
    assert info["stale_since"] == first.sources["openrouter.models"]["retrieved_at"]
    assert second.status == "published"
    records = open_store(warehouse).read_table("source_records")
    stale = records[records["stale"]]
    assert (stale["source"].unique().tolist(), len(stale)) == (["openrouter"], 336)
