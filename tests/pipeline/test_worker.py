"""The run's worker process (pipeline/worker.py): where its work runs, and that it ends."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from ai_landscape.pipeline.early import run_worker, start_run_worker, take_early
from ai_landscape.pipeline.worker import RunWorker
from tests.census_server import replay_with_page_30_cut


def test_work_runs_in_one_other_process_until_closed():
    worker = RunWorker()
    first = worker.submit(os.getpid).result(60)
    assert first != os.getpid()
    assert worker.submit(os.getpid).result(60) == first  # one process, reused
    [process] = multiprocessing.active_children()
    worker.close()
    assert not process.is_alive()
    assert multiprocessing.active_children() == []


def test_a_worker_that_died_is_replaced_at_the_next_request():
    with RunWorker() as worker:
        first = worker.submit(os.getpid).result(60)
        held = worker.submit(time.sleep, 30)
        os.kill(first, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            held.result(60)  # the work the dead worker held fails
        assert worker.submit(os.getpid).result(60) not in (first, os.getpid())
    assert multiprocessing.active_children() == []


def test_a_pickled_worker_arrives_without_a_process_and_starts_its_own():
    with RunWorker() as worker:
        original = worker.submit(os.getpid).result(60)
        copy = pickle.loads(pickle.dumps(worker))
        with copy:
            assert copy.submit(os.getpid).result(60) not in (original, os.getpid())
    assert multiprocessing.active_children() == []


def test_the_worker_ends_with_a_run_that_publishes_and_with_one_that_fails(
    prefect_harness, tmp_path, monkeypatch
):
    from ai_landscape.flow import RunFailed, refresh_landscape

    sources = ["huggingface.census", "epoch.frontier"]
    done = refresh_landscape(mode="replay", sources=sources, warehouse=str(tmp_path / "one"))
    assert done.status == "published"
    assert multiprocessing.active_children() == []  # the census's chunks ran in the worker

    monkeypatch.setenv("LANDSCAPE_REPLAY_DIR", str(replay_with_page_30_cut(tmp_path / "replay")))
    with pytest.raises(RunFailed) as failed:
        refresh_landscape(mode="replay", sources=sources, warehouse=str(tmp_path / "two"))
    assert failed.value.why == (
        "huggingface.census failed with no earlier copy to carry over; nothing published"
    )
    assert multiprocessing.active_children() == []


def loaded(*modules: str) -> list[str]:
    """In the worker: which of `modules` it has imported."""
    import sys

    return [m for m in modules if m in sys.modules]


WARMED = ["great_expectations", "ai_landscape.normalize.announcement_rules", "matplotlib"]


def test_the_worker_started_early_is_taken_by_the_next_run_with_its_imports_done():
    start_run_worker()
    worker = run_worker()
    with worker:
        # GX set up (the checks), the announcement rules (the feeds' detection), matplotlib
        # (the charts): done before the run asks for anything.
        assert worker.submit(loaded, *WARMED).result(120) == WARMED
        # What the warm-up built is left out of later full collections (pipeline/early.py).
        assert worker.submit(gc.get_freeze_count).result(60) > 100_000
        assert take_early() is None  # taken once
    assert multiprocessing.active_children() == []


def test_a_run_without_an_early_worker_starts_one_whose_first_job_is_the_warm_up():
    assert take_early() is None
    worker = run_worker()
    with worker:
        assert worker.submit(loaded, *WARMED).result(120) == WARMED
    assert multiprocessing.active_children() == []
