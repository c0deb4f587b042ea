"""The per-source ingest tasks on Dask (prefect-dask's DaskTaskRunner), on one machine.

A run on a Dask cluster must publish exactly what a run on threads publishes: after a thread
run, the Dask runs find nothing new. The run on a cluster the test starts also shows where
the work went: the scheduler's task stream lists Epoch's ingest task (its three datasets), on
one of the cluster's worker processes, not in the test's.
"""

from __future__ import annotations

import os
import sys

import pytest
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from ai_landscape.flow import refresh_landscape
from ai_landscape.ops.runners import make_task_runner, run_task_runner

EPOCH_ROWS = {"large_scale": 510, "frontier": 137, "notable": 1011}


def test_make_task_runner(monkeypatch):
    monkeypatch.delenv("LANDSCAPE_DASK_ADDRESS", raising=False)
    threads = make_task_runner("thread", workers=4)
    assert isinstance(threads, ThreadPoolTaskRunner)
    assert threads._max_workers == 4
    local = make_task_runner("dask")
    assert isinstance(local, DaskTaskRunner)
    assert local.address is None
    assert local.cluster_kwargs == {
        "n_workers": 2,
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
    }
    assert make_task_runner("dask", workers=3).cluster_kwargs["n_workers"] == 3
    monkeypatch.setenv("LANDSCAPE_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    remote = make_task_runner("dask")
    assert remote.address == "tcp://10.0.0.5:8786"
    assert remote.cluster_kwargs == {}
    with pytest.raises(ValueError, match="task runner must be one of thread, dask, not 'ray'"):
        make_task_runner("ray")


def run(warehouse, runner):
    return refresh_landscape.with_options(task_runner=runner)(
        mode="replay", sources=["epoch"], warehouse=str(warehouse)
    )


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_dask_runs_publish_what_a_thread_run_publishes(warehouse):
    from distributed import Client, LocalCluster, get_task_stream

    on_threads = run(warehouse, make_task_runner("thread"))
    assert on_threads.status == "published"
    records = {k: v.get("records") for k, v in on_threads.sources.items() if "records" in v}
    assert records == {f"epoch.{name}": n for name, n in EPOCH_ROWS.items()}
    assert on_threads.rows["models"] == 1355

    # `--task-runner dask`: a local cluster of two worker processes, for this run only.
    on_local_dask = run(warehouse, make_task_runner("dask"))
    assert on_local_dask.status == "unchanged"
    assert on_local_dask.latest_id == on_threads.snapshot_id

    # A cluster started apart from the run, as a remote one would be (LANDSCAPE_DASK_ADDRESS).
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        with get_task_stream(client) as stream:
            on_cluster = run(warehouse, make_task_runner("dask", address=cluster.scheduler_address))
        worker_pids = client.run(os.getpid)
    assert on_cluster.status == "unchanged"
    assert on_cluster.latest_id == on_threads.snapshot_id
    statuses = {k: v["status"] for k, v in on_cluster.sources.items() if k.startswith("epoch.")}
    assert statuses == {f"epoch.{name}": "ok" for name in EPOCH_ROWS}

    ran = [(task["key"].rsplit("-", 1)[0], task["worker"]) for task in stream.data]
    # Dask keys name the function the task wraps (`pipeline.ingest_source.ingest_source`).
    assert [name for name, _ in ran] == ["ingest_source"]
    assert {worker for _, worker in ran} <= set(worker_pids)
    assert os.getpid() not in worker_pids.values()


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_a_live_run_on_dask_fetches_in_the_worker_processes(warehouse):
    """The live HTTP client (its session, cache and rate limiter) is pickled into each worker:
    a live run on a local Dask cluster publishes what a live run on threads does."""
    import functools
    import http.server
    import threading

    from tests.conftest import REPLAY_EPOCH

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(REPLAY_EPOCH))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mirror = {"epoch": f"http://127.0.0.1:{server.server_port}"}
    try:
        on_dask = refresh_landscape.with_options(task_runner=make_task_runner("dask"))(
            mode="live", sources=["epoch"], source_urls=mirror, warehouse=str(warehouse)
        )
        on_threads = refresh_landscape.with_options(task_runner=make_task_runner("thread"))(
            mode="live", sources=["epoch"], source_urls=mirror, warehouse=str(warehouse)
        )
    finally:
        server.shutdown()
    assert on_dask.status == "published"
    assert on_dask.rows["models"] == 1355
    fetched = {k: v["status"] for k, v in on_dask.sources.items() if v["status"] != "skipped"}
    assert fetched == {f"epoch.{name}": "ok" for name in EPOCH_ROWS}
    assert on_threads.status == "unchanged"


def test_a_replay_run_gets_two_threads_and_a_live_run_prefects_default(monkeypatch):
    """Replay tasks hold the GIL (recorded files, parsing): a bounded pool, not one thread per
    dataset; live tasks wait on HTTP and keep Prefect's pool (unbounded unless configured)."""
    monkeypatch.delenv("PREFECT_TASK_RUNNER_THREAD_POOL_MAX_WORKERS", raising=False)
    monkeypatch.delenv("LANDSCAPE_DASK_ADDRESS", raising=False)
    assert run_task_runner("thread", "replay")._max_workers == 2
    assert run_task_runner("thread", "live")._max_workers == sys.maxsize
    assert run_task_runner("dask", "replay").cluster_kwargs["n_workers"] == 2
