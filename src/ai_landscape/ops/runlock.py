"""One run per warehouse in every setup, from reading the latest snapshot to committing.

The Prefect global concurrency limit (`ops.concurrency`) only exists with a Prefect server;
a plain `landscape run` has none, and two such runs both published, each computing its
events against the snapshot it read at start. So every run also takes this lock:

- a local warehouse: an exclusive `fcntl` lock on `<warehouse>/_run_lock`, held by the open
  file, so the kernel releases it when the holder dies (even by SIGKILL); the file names the
  holder (pid, host, since) for the busy message;
- an `s3://` warehouse: the object `<prefix>/_run_lock`, created with a conditional write
  (`If-None-Match: *`), so of two runs exactly one creates it. It holds a lease: a holder that
  died is replaced once its lease has expired (the lease outlasts the run deadline), and that
  replacement is conditional on the dead holder's ETag, so two runs cannot both take over.

A run that cannot get the lock within `LANDSCAPE_WAREHOUSE_WAIT_SECONDS` fails with
`WarehouseBusy` and publishes nothing. The store's own publish lock stays underneath: it
serialises publishes of callers that do not run the flow (tests, scripts).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ai_landscape.ops.lockinfo import (
    LOCK_NAME,
    POLL_SECONDS,
    WarehouseBusy,
    holder_info,
    lock_busy_message,
)
from ai_landscape.publish.store import is_object_url

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def run_lock(warehouse: str | os.PathLike, wait_seconds: float, lease_seconds: float):
    """Hold the warehouse's run lock for the block, waiting up to `wait_seconds` for it."""
    text = os.fspath(warehouse)
    if is_object_url(text):
        from ai_landscape.ops.objectlock import object_run_lock

        with object_run_lock(text, wait_seconds, lease_seconds):
            yield
        return
    with file_run_lock(Path(text), wait_seconds):
        yield


@contextlib.contextmanager
def file_run_lock(root: Path, wait_seconds: float) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_NAME
    deadline = time.monotonic() + wait_seconds
    with open(path, "a+b") as handle:
        if fcntl is None:  # pragma: no cover
            yield
            return
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        lock_busy_message(str(root), _describe(path), wait_seconds)
                    ) from None
                time.sleep(POLL_SECONDS)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(holder_info()).encode())
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _describe(path: Path) -> str:
    try:
        info = json.loads(path.read_text("utf-8"))
        return f"pid {info['pid']} on {info['host']} since {info['since']}"
    except (OSError, ValueError, KeyError):
        return "holder unknown"
