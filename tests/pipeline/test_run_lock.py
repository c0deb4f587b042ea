"""One run per warehouse in every setup, and a publish never lands on a parent it did not
read (#14.2). All at production settings: the waits are the real defaults."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from ai_landscape.ops.runlock import file_run_lock
from ai_landscape.publish import store as store_module
from ai_landscape.publish.warehouse import open_store
from ai_landscape.resolve.events import compare_models
from tests.conftest import PROJECT_ROOT, RECORDED_EPOCH
from tests.store_frames import INFO, T1, T2, T3, VOLATILE, publish, tables, tree


def test_a_publish_whose_parent_moved_refuses_and_writes_nothing(tmp_path):
    store = open_store(tmp_path / "warehouse")
    first = publish(store, tables(2), T1)
    before = tree(store.root)
    with pytest.raises(store_module.ParentMoved) as err:
        # This run read the warehouse while it was still empty.
        store.publish(
            tables(3), created_at=T2, info=INFO, volatile_columns=VOLATILE, expected_parent=None
        )
    assert str(err.value) == (
        f"{store.root}: the latest snapshot is now {first.snapshot_id}, not None that this run "
        "read and compared with; nothing was published (run again to start from the new latest)"
    )
    assert tree(store.root) == before
    second = store.publish(
        tables(3),
        created_at=T2,
        info=INFO,
        volatile_columns=VOLATILE,
        expected_parent=first.snapshot_id,
    )
    assert store.manifest(second.snapshot_id)["parent_id"] == first.snapshot_id


def events_frame(model_ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_type": "model_added",
            "model_id": model_ids,
            "field": None,
            "old": None,
            "new": model_ids,
            "detected_at": pd.Timestamp(T2),
            "evidence": "epoch:notable",
        }
    )


def test_an_identical_rerun_after_a_change_publishes_nothing(tmp_path):
    """Only `events` differs (the rerun has none): that is no new content."""
    store = open_store(tmp_path / "warehouse")
    publish(store, {**tables(2), "events": events_frame([])}, T1)
    changed = publish(store, {**tables(3), "events": events_frame(["deepseek/deepseek-r1"])}, T2)
    assert not changed.unchanged
    rerun = publish(store, {**tables(3), "events": events_frame([])}, T3)
    assert rerun.unchanged
    assert rerun.latest_id == changed.snapshot_id
    assert len(store.list_snapshots()) == 2


@pytest.mark.integration
def test_two_plain_runs_take_turns_and_the_second_compares_with_the_first(
    prefect_harness, tmp_path
):
    """Two plain runs started together, one on the 2025 export, one on 2026's: whichever
    goes second computes its events against the first one's snapshot, its real parent.
    In one process this also held before #14 (measured: it passes on 700ba3b, the in-process
    runs do not overlap enough); the failure of #14 needs two processes, which
    `test_without_a_server_a_second_process_waits_for_the_run_lock` reproduces."""
    from ai_landscape.flow import refresh_landscape

    root = tmp_path / "warehouse"
    outcome: dict = {}

    def run(name: str, **kwargs) -> None:
        outcome[name] = refresh_landscape(
            mode="replay", sources=["epoch"], warehouse=str(root), max_removed_share=0.25, **kwargs
        )

    old = str(RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv")
    threads = [
        threading.Thread(target=run, args=("old",), kwargs={"source_urls": {"epoch.notable": old}}),
        threading.Thread(target=run, args=("new",)),
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.5)
    for thread in threads:
        thread.join(900)

    assert {s.status for s in outcome.values()} == {"published"}
    store = open_store(root)
    first, second = (m["snapshot_id"] for m in store.list_snapshots())
    assert store.manifest(second)["parent_id"] == first
    expected = compare_models(store.read_table("models", first), store.read_table("models", second))
    events = store.read_table("events", second)
    assert len(expected) > 300  # the two vintages differ by hundreds of models
    assert events["event_type"].value_counts().to_dict() == (
        expected["event_type"].value_counts().to_dict()
    )


CHILD = """
import sys, time
from ai_landscape.ops.concurrency import uses_server, warehouse_slot
uses_server()  # Prefect's settings are loaded: from here on only a lock can hold it up
print("asking", flush=True)
with warehouse_slot(sys.argv[1]) as name:
    print("acquired", name, time.time(), flush=True)
"""


def test_without_a_server_a_second_process_waits_for_the_run_lock(tmp_path, monkeypatch):
    """No Prefect server (the default `landscape run`): the run lock alone keeps a second
    process out until the first lets go."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    root = tmp_path / "warehouse"
    with file_run_lock(root, wait_seconds=0):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(root)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline() == "asking\n"
        time.sleep(5)
        assert child.poll() is None  # still waiting: it has not printed or exited
        released = time.time()
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err[-2000:]
    word, name, at = out.split()
    assert (word, name) == ("acquired", "None")  # no Prefect limit: the run lock did it
    assert float(at) >= released
    assert Path(root, "_run_lock").is_file()
