"""`submit(fn, *args) -> Future`: how a stage hands work to the run's worker process
(pipeline/worker.py), and `here`, the submit that does the work at once in this process, for a
stage called on its own. Kept below the stages so that the report, which may not import the
pipeline, uses the same one."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

Submit = Callable[..., Future]


def here(fn: Callable[..., Any], /, *args: Any) -> Future:
    """`fn(*args)` now, in this process, as a done future."""
    done: Future = Future()
    done.set_result(fn(*args))
    return done
