"""`built_once`: `functools.cache` for the reviewed reference tables, safe under threads.

A run ingests its ~20 datasets on a pool of threads that all start at once. `functools.cache`
does not lock: every thread that asks before the first build has finished misses and builds
the table itself, so `organizations.reference()` was built 19 times and `licenses.aliases()`
6 times per run, each build slugifying the whole table (issue #17: ingest took 13.0 s that
way, 7.5 s with the tables built first). Here the first caller builds under a lock and the
others wait for its answer; later calls read the cached value without taking the lock.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


def built_once(function: Callable[..., T]) -> Callable[..., T]:
    """Cache `function`'s answer per (positional, hashable) arguments; one build per process
    however many threads ask at once. `cache_clear()` forgets every answer (tests swap the
    CSV behind a table and rebuild it)."""
    answers: dict[tuple[Hashable, ...], Any] = {}
    lock = threading.RLock()  # re-entrant: a table may be built from another of its own

    @functools.wraps(function)
    def cached(*args: Hashable) -> T:
        try:
            return answers[args]
        except KeyError:
            pass
        with lock:
            if args not in answers:
                answers[args] = function(*args)
            return answers[args]

    cached.cache_clear = answers.clear  # type: ignore[attr-defined]
    return cached
