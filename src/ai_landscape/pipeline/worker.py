"""The run's second process: pure CPU work handed over so that it runs on another core.

A run's stages are Python that holds the GIL, so its threads take turns on one core while a
second one idles (these machines have two). Work that is a function of plain, picklable data
and writes only files (a census chunk: pages in, parquet part out; a report chart: counts in,
PNG out) or returns a small answer (the feeds' detection, the checks' reports) goes to one
worker process instead, started with the run, or by `landscape run` before its flow
(pipeline/early.py).

"spawn", not "fork": the run has threads (Prefect's, the ingest tasks'), and a forked child
would inherit their locks in whatever state they were. A spawned worker imports the main
script again, so a script that starts a refresh must do so under
`if __name__ == "__main__":` (the `landscape` command, flows/refresh.py and Prefect's workers
guard theirs).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable, Iterable, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ai_landscape.submit import Submit, here

log = logging.getLogger(__name__)
# Frames of more rows than this are not sent to the worker: sending pickles a copy on each
# side. Today's replay sends about 12,000 rows (the tables) and 6,500 (the records); at a
# hundred times that (bench/scale.py: 356,698 models, 652,500 records) the copies would cost
# gigabytes to win about a second, so such a run validates in its own process.
MAX_SENT_ROWS = 50_000


class RunWorker:
    """One worker process, started on first use and ended by `close` (or leaving `with`).

    Pickled (a Dask task runner ships task arguments to other processes), it arrives as a
    new `RunWorker` with no process: a copy elsewhere starts its own if it is asked."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """`fn(*args)` in the worker. A worker that died (killed, out of memory) failed the
        work it held; the next request starts a new one, so a census whose worker died does
        not leave the run's report without one."""
        with self._lock:
            if self._pool is not None:
                try:
                    return self._pool.submit(fn, *args)
                except BrokenProcessPool:
                    self._pool.shutdown(wait=False)
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=end_with_parent,
            )
            return self._pool.submit(fn, *args)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RunWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __reduce__(self) -> tuple:
        return RunWorker, ()


def end_with_parent() -> None:
    """In the worker: exit as soon as the process that started it ends. A run killed outright
    (SIGKILL, the out-of-memory killer) never shuts its pool down, and an idle worker would
    otherwise wait for work forever, holding its memory."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="worker-parent-watch", daemon=True).start()


def sender(submit: Submit | None, frames: Iterable[Sized]) -> Submit:
    """`submit`, or `here` when there is no worker or the frames hold more than
    MAX_SENT_ROWS rows together."""
    if submit is None or sum(len(f) for f in frames) > MAX_SENT_ROWS:
        return here
    return submit


def worker_result(future: Future, fn: Callable[..., Any], /, *args: Any) -> Any:
    """`future`'s result, where `future` is `fn(*args)` sent to the worker; if the worker died
    under it (killed, out of memory), `fn(*args)` run here instead. For work whose answer the
    run cannot go without (its validation), unlike a census chunk, whose loss fails the census."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        log.warning("the run's worker died (%s): %s runs in this process", exc, fn.__name__)
        return fn(*args)
