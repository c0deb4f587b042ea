"""Where a run's per-source tasks execute: threads of the flow's process, or a Dask cluster.

The flow submits one ingest task per source (fetch each dataset, keep the raw bytes, parse,
normalize: pipeline/ingest_source.py); they are independent, so they run in parallel on
whichever task runner the run is given.
Threads suit one machine: the work is mostly waiting on HTTP. Dask is the path past one
machine without writing a scheduler: `dask` starts a local cluster of worker processes, and
`LANDSCAPE_DASK_ADDRESS=tcp://scheduler:8786` points the same code at an existing cluster
(for example one started with `dask scheduler` / `dask worker` on several hosts, or by
`dask-kubernetes`). Workers on other hosts need the project installed and the raw zone on
storage they share with the flow; see docs/operating.md.

Prefect is imported inside the function, so the CLI can validate `--task-runner` against
TASK_RUNNERS before `settings.configure_runtime()` has set Prefect's environment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ai_landscape import settings

if TYPE_CHECKING:
    from prefect.task_runners import TaskRunner

TASK_RUNNERS = ("thread", "dask")
DEFAULT_DASK_WORKERS = 2
# A replay run has no network to wait on: its ingest tasks read recorded files and parse them,
# which holds the GIL. Prefect's thread pool is unbounded by default, so every task would run
# at once and contend for one interpreter: two threads (one computing while the other writes
# or fsyncs the raw zone, or waits on the census's worker) took the replay's
# fetch_parse_normalize stage, then one task per dataset (~40), from 6.7 to 5.8 s of CPU and
# its peak RSS from 750 to ~690 MiB (medians of 3 interleaved runs, docs/performance.md).
# A live run keeps Prefect's default: its tasks mostly wait on HTTP.
REPLAY_THREADS = 2


def run_task_runner(kind: str, mode: str) -> TaskRunner:
    """The task runner of one `landscape run`: threads sized for its mode (REPLAY_THREADS for
    a replay), or Dask as `make_task_runner` makes it."""
    workers = REPLAY_THREADS if kind == "thread" and mode == "replay" else None
    return make_task_runner(kind, workers=workers)


def make_task_runner(
    kind: str = "thread", *, workers: int | None = None, address: str | None = None
) -> TaskRunner:
    """`thread`: a pool of `workers` threads (Prefect's default size when None).
    `dask`: prefect-dask's DaskTaskRunner, on the cluster at `address` (or
    `$LANDSCAPE_DASK_ADDRESS`), else on a new local cluster of `workers` single-threaded
    processes that lives as long as the run."""
    if kind == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        address = address or settings.current().dask_address
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers or DEFAULT_DASK_WORKERS,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,  # no web server to bind on a shared host
            }
        )
    raise ValueError(f"task runner must be one of {', '.join(TASK_RUNNERS)}, not {kind!r}")
