"""A total deadline for each fetch, whatever the server does.

requests' read timeout bounds each wait for a byte, not the response: a server that sends
one byte per second (in its headers or its body) resets it forever. So every fetch also gets
a wall-clock deadline: a timer that, when it fires, shuts down the socket the fetch is using.
That wakes the blocked read at once, wherever it is (status line, headers, body, TLS), and
the fetch fails with an error saying the deadline passed. A retry that would start after the
deadline is refused, and a `Retry-After` is never waited past it.

The socket is found through urllib3 connection classes that note, per thread, which
connection a request is using (`TrackingAdapter`); a connection kept alive for the next
request is tracked again on that request.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# A document this pipeline fetches is at most tens of MB: two minutes is ample on any link
# that can carry it, and it bounds how long one stuck source can hold a run.
FETCH_DEADLINE_S = 120.0

_local = threading.local()
_active: set[Watch] = set()  # fetches in progress in this process, for abort_all
_active_lock = threading.Lock()
_stopping = threading.Event()  # set by abort_all: no new fetch starts until resume()


class DeadlineExpired(OSError):
    """Raised instead of starting a request after the fetch's deadline."""


class Watch:
    """One fetch's deadline: a timer that shuts down the fetch's socket when it fires."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._conn: HTTPConnection | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def attach(self, conn: HTTPConnection) -> None:
        with self._lock:
            if self.expired:
                raise DeadlineExpired(f"the fetch's deadline of {self.seconds:.0f} s passed")
            self._conn = conn

    def expire(self) -> None:
        """Fire now (the deadline passed, or the process is stopping)."""
        self._timer.cancel()
        self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = getattr(self._conn, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def watch(seconds: float) -> Iterator[Watch]:
    """Run the block (one fetch, in this thread) under a deadline of `seconds`."""
    current = Watch(seconds)
    if _stopping.is_set():
        current.expired = True  # refused at its first request, without a connection
    _local.watch = current
    with _active_lock:
        _active.add(current)
    current._timer.start()
    try:
        yield current
    finally:
        current._timer.cancel()
        _local.watch = None
        with _active_lock:
            _active.discard(current)


def abort_all() -> int:
    """End every fetch in progress in this process at once (on SIGTERM); returns how many."""
    _stopping.set()
    with _active_lock:
        watches = list(_active)
    for current in watches:
        current.expire()
    return len(watches)


def resume() -> None:
    """Allow fetches again (a new run in the same process, as in tests)."""
    _stopping.clear()


def current_remaining() -> float | None:
    """Seconds left of this thread's fetch deadline (None outside a fetch)."""
    current = getattr(_local, "watch", None)
    return None if current is None else max(current.remaining(), 0.0)


class _Tracked:
    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        current = getattr(_local, "watch", None)
        if current is not None:
            current.attach(self)  # type: ignore[arg-type]
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Tracked, HTTPConnection):
    pass


class _HTTPSConnection(_Tracked, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class TrackingAdapter(HTTPAdapter):
    """requests' adapter whose connections report to the current fetch's `Watch`."""

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
