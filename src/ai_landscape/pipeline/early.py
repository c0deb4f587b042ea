"""The run's worker process started by the `landscape run` command, before its flow (#17).

Between starting and its first stage, a command imports the flow (about 2 s) and waits for
Prefect's engine and, without PREFECT_API_URL, its temporary server (several seconds), while
the second core has little to do. A worker started then does its imports there: Great
Expectations and its set-up for the checks, matplotlib for the charts, pandas and pyarrow for
the census's chunks. Started at the first census chunk instead, it paid them during
fetch_parse_normalize, and the charts' import during the report.
"""

from __future__ import annotations

import gc
import importlib
import threading

from ai_landscape.pipeline.worker import RunWorker

# What the worker's other jobs import: the census's chunks (pandas, pyarrow), the charts
# (matplotlib).
WARMED_MODULES = ("ai_landscape.pipeline.census.chunks", "ai_landscape.report.charts")


# The worker `start_run_worker` started, until a run takes it.
_early: RunWorker | None = None
_early_lock = threading.Lock()


def start_run_worker() -> None:
    """Starts the worker the next run in this process takes (`run_worker`); once."""
    global _early
    with _early_lock:
        if _early is None:
            _early = _warmed()


def take_early() -> RunWorker | None:
    """The worker `start_run_worker` started, if one waits (a second call answers None)."""
    global _early
    with _early_lock:
        worker, _early = _early, None
    return worker


def run_worker() -> RunWorker:
    """A run's worker: the one `start_run_worker` started, else one started now. (A run sends
    the feeds' detection there, then the checks: a worker that imported GX only when the
    census was done held up the records' check by ~1.2 s.)"""
    return take_early() or _warmed()


def _warmed() -> RunWorker:
    """A new worker whose first job is the warm-up."""
    worker = RunWorker()
    worker.submit(warm_up)
    return worker


def warm_up() -> None:
    """In the worker: what its jobs would otherwise import and set up on first use.

    What it builds lives as long as the worker, so the cyclic garbage collector is kept out
    of it: paused meanwhile (importing GX set it off seven times, 0.7 s of CPU), then told to
    leave the survivors alone (`gc.freeze`). Otherwise every later full collection walks them
    again: 0.14 s in a census chunk, 0.17 s in the feeds' detection, on the replay."""
    from ai_landscape.pipeline.feeds import warm_detection
    from ai_landscape.validate.gx_runner import prepare

    gc.disable()
    try:
        prepare()
        warm_detection()  # the feeds' detection is sent here (pipeline/feeds.py)
        for module in WARMED_MODULES:
            importlib.import_module(module)
    finally:
        gc.enable()
    gc.collect()  # what the warm-up threw away
    gc.freeze()
