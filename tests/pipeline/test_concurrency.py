"""Two runs against one warehouse at once: they never publish at the same time.

Two layers, each tested with two real processes started while the lock is held, so that both
are demonstrably waiting before either may go:
- the snapshot store's own `fcntl` lock, which holds without Prefect;
- the Prefect global concurrency limit of the warehouse (`ai_landscape.ops.concurrency`),
  around whole flow runs on the session's temporary Prefect API, and its documented failure
  when the slot does not come free in time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prefect import flow

from ai_landscape.flow import refresh_landscape
from ai_landscape.ops import concurrency
from ai_landscape.ops.concurrency import (
    WarehouseBusy,
    busy_message,
    limit_name,
    warehouse_slot,
)
from ai_landscape.publish.warehouse import open_store
from tests.conftest import PROJECT_ROOT
from tests.store_frames import INFO, T1, T2, VOLATILE, expected_id, file_sha256, tables

WAIT_S = 120


def start_child(function: str, *args: str) -> subprocess.Popen:
    """Run `tests.pipeline.test_concurrency.<function>(*args)` in a new Python process."""
    module = "tests.pipeline.test_concurrency"
    code = f"import sys; from {module} import {function}; {function}(*sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(children: list[subprocess.Popen]) -> list[dict]:
    """Each child's last stdout line, as JSON; children still running are killed."""
    results = []
    try:
        for child in children:
            out, err = child.communicate(timeout=WAIT_S)
            assert child.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return results


def wait_until(condition, what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.2)


def assert_consistent(root: Path, snapshot_ids: list[str], latest: str) -> None:
    """Exactly these snapshots are committed, `_latest` names `latest`, every part listed
    exists with the bytes its manifest records, and no staging or orphan is left."""
    store = open_store(root)
    assert sorted(m["snapshot_id"] for m in store.list_snapshots()) == sorted(snapshot_ids)
    assert (root / "_latest").read_text() == latest
    assert not (root / "_staging").exists()
    for manifest in store.list_snapshots():
        for entry in manifest["tables"].values():
            assert file_sha256(root / entry["path"]) == entry["sha256"]
    partitions = {p.name.removeprefix("snapshot_id=") for p in root.glob("*/snapshot_id=*")}
    assert partitions == set(snapshot_ids)


# -- 1. the store's lock, no Prefect -----------------------------------------------------------

FRAMES = {"first": (2, T1), "same": (2, T2), "more": (3, T2)}


def publish_child(root: str, variant: str) -> None:
    n, created_at = FRAMES[variant]
    store = open_store(root)
    result = store.publish(tables(n), created_at=created_at, info=INFO, volatile_columns=VOLATILE)
    outcome = {
        "variant": variant,
        "snapshot_id": result.snapshot_id,
        "unchanged": result.unchanged,
        "latest_id": result.latest_id,
        "parent_id": (result.manifest or {}).get("parent_id"),
    }
    print(json.dumps(outcome))


def lock_waiters(lock_file: Path) -> int:
    """Processes blocked on `lock_file`'s flock, from /proc/locks (`->` marks a waiter)."""
    inode = f":{lock_file.stat().st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and inode in line)


def publish_two_at_once(root: Path, variants: tuple[str, str]) -> list[dict]:
    store = open_store(root)
    root.mkdir(parents=True)
    with store._lock():  # as if a third publish were under way
        children = [start_child("publish_child", str(root), v) for v in variants]
        try:
            wait_until(lambda: lock_waiters(root / "_lock") == 2, "both publishes wait")
        except BaseException:
            for child in children:
                child.kill()
                child.wait()
            raise
    return finish(children)


@pytest.mark.integration
def test_store_lock_same_content_exactly_one_publishes(tmp_path):
    root = tmp_path / "warehouse"
    results = publish_two_at_once(root, ("first", "same"))
    published = [r for r in results if not r["unchanged"]]
    unchanged = [r for r in results if r["unchanged"]]
    assert len(published) == 1
    assert len(unchanged) == 1
    winner = published[0]
    assert winner["snapshot_id"] == expected_id(FRAMES[winner["variant"]][1], tables(2))
    assert winner["parent_id"] is None
    assert unchanged[0]["snapshot_id"] is None
    assert unchanged[0]["latest_id"] == winner["snapshot_id"]
    assert_consistent(root, [winner["snapshot_id"]], latest=winner["snapshot_id"])


@pytest.mark.integration
def test_store_lock_different_content_publishes_in_turn(tmp_path):
    root = tmp_path / "warehouse"
    results = publish_two_at_once(root, ("first", "more"))
    assert [r["unchanged"] for r in results] == [False, False]
    first, second = sorted(results, key=lambda r: r["parent_id"] is not None)
    # Whichever went second saw the other's commit: no lost update, one chain.
    assert first["parent_id"] is None
    assert second["parent_id"] == first["snapshot_id"]
    ids = sorted(r["snapshot_id"] for r in results)
    assert ids == sorted([expected_id(T1, tables(2)), expected_id(T2, tables(3))])
    # `_latest` is the last commit, whichever run started first.
    assert open_store(root).latest_id() == second["snapshot_id"]
    assert_consistent(root, ids, latest=second["snapshot_id"])


# -- 2. the Prefect global concurrency limit around whole runs -----------------------------


@flow(name="refresh-landscape-in-slot")
def refresh_in_slot(warehouse: str, marker: str | None = None) -> dict:
    """The refresh, timed; it takes the warehouse's slot itself (flow.py's `with` block)."""
    asked = time.time()
    if marker:
        Path(marker).write_text(str(os.getpid()))
    summary = refresh_landscape(mode="replay", sources=["epoch"], warehouse=warehouse)
    return {
        "limit": limit_name(warehouse),
        "status": summary.status,
        "snapshot_id": summary.snapshot_id,
        "latest_id": summary.latest_id,
        "asked": asked,
        "left": time.time(),
    }


def flow_child(warehouse: str, marker: str) -> None:
    state = refresh_in_slot(warehouse, marker, return_state=True)
    print(json.dumps({"state": state.type.value, **state.result()}))


def api_url() -> str:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_second_run_waits_for_the_slot_then_finds_nothing_new(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", api_url())  # the children use the same server
    warehouse = str(tmp_path / "warehouse")
    markers = [tmp_path / "a.asked", tmp_path / "b.asked"]
    with warehouse_slot(warehouse) as name:
        assert name == limit_name(warehouse)
        children = [start_child("flow_child", warehouse, str(m)) for m in markers]
        # Both runs have asked for the slot (and wait) before anyone may have it.
        wait_until(lambda: all(m.exists() for m in markers), "both runs ask for the slot")
        released = time.time()
    first, second = sorted(finish(children), key=lambda r: r["left"])

    assert first["state"] == second["state"] == "COMPLETED"
    assert first["limit"] == second["limit"] == name
    assert first["left"] >= released  # neither ran while the test held the slot
    assert second["asked"] < first["left"]  # both were waiting; the second took its turn
    assert first["status"] == "published"
    assert second["status"] == "unchanged"
    assert second["latest_id"] == first["snapshot_id"]
    assert_consistent(Path(warehouse), [first["snapshot_id"]], latest=first["snapshot_id"])

    limit = httpx.get(f"{api_url()}/v2/concurrency_limits/{name}").json()
    assert (limit["limit"], limit["active_slots"]) == (1, 0)


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_run_that_cannot_get_the_slot_fails_with_the_documented_message(tmp_path, monkeypatch):
    warehouse = str(tmp_path / "warehouse")
    monkeypatch.setenv(concurrency.WAIT_ENV, "3")
    with warehouse_slot(warehouse):
        state = refresh_in_slot(warehouse, return_state=True)
    assert state.is_failed()
    error = state.result(raise_on_failure=False)
    assert isinstance(error, WarehouseBusy)
    name = limit_name(warehouse)
    assert str(error) == busy_message(warehouse, name, 3)
    assert str(error) == (
        f"warehouse {Path(warehouse).resolve()} is busy: another run holds the Prefect "
        f"concurrency limit '{name}' and did not release it within 3 s; nothing was "
        "published. Retry later, or wait longer by raising LANDSCAPE_WAREHOUSE_WAIT_SECONDS."
    )
    # Nothing published: only the run lock the test itself holds is there.
    assert sorted(p.name for p in Path(warehouse).iterdir()) == ["_run_lock"]


def test_limit_name_is_one_per_warehouse(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = limit_name("wh")
    assert name.startswith("landscape-warehouse-")
    assert len(name) == len("landscape-warehouse-") + 12
    assert limit_name("./wh/") == limit_name(tmp_path / "wh") == name
    assert limit_name(tmp_path / "other") != name
    assert limit_name("s3://lake/landscape/") == limit_name("s3://lake/landscape")
    assert limit_name("s3://lake/landscape") != limit_name("s3://lake/other")


def test_every_spelling_of_one_warehouse_shares_one_limit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    names = {
        limit_name(tmp_path / "wh"),
        limit_name("wh"),
        limit_name(f"file://{tmp_path}/wh"),
        limit_name(str(tmp_path / "wh") + "/"),
    }
    assert len(names) == 1
    assert limit_name("s3://bucket/wh/") == limit_name("s3://bucket/wh") != names.pop()
