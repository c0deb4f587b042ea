"""Per-host call budgets, so an unattended daily run stays inside each API's published limits.

Hugging Face allows 500 anonymous API calls per 5 minutes per IP and answers 429 beyond it;
waiting before the call is cheaper than being throttled after it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

# host -> (calls, per seconds)
HOST_LIMITS: Mapping[str, tuple[int, float]] = {
    "huggingface.co": (500, 300.0),
}


class RateLimiter:
    """A sliding window per host: at most `calls` requests in any `period` seconds."""

    def __init__(
        self,
        limits: Mapping[str, tuple[int, float]] = HOST_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.limits = dict(limits)
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """Sent to another process (a Dask worker, maybe on another machine), a limiter leaves
        its lock and its window behind: neither a lock nor monotonic times cross machines.
        Each process keeps its own budget from then on."""
        state = self.__dict__.copy()
        del state["_lock"]
        state["_sent"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Block until `url`'s host may be called; returns the seconds waited."""
        host = urlsplit(url).hostname or ""
        if host not in self.limits:
            return 0.0
        calls, period = self.limits[host]
        waited = 0.0
        with self._lock:
            sent = self._sent.setdefault(host, deque())
            while True:
                now = self.clock()
                while sent and now - sent[0] >= period:
                    sent.popleft()
                if len(sent) < calls:
                    sent.append(now)
                    return waited
                pause = period - (now - sent[0])
                self.sleep(pause)
                waited += pause
