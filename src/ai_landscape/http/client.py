"""One way to GET a URL, with a live and a replay implementation behind the same interface.

Sources never call `requests` themselves: they take an `HttpClient`, so a replay run reads
recorded bytes through exactly the code path a live run uses, and `--mode` is the one setting
that picks which.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

import requests
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from ai_landscape import __version__, settings
from ai_landscape.http import deadline
from ai_landscape.http.cache import HttpCache
from ai_landscape.http.ratelimit import RateLimiter
from ai_landscape.http.redact import redact_url

USER_AGENT = f"ai-landscape/{__version__} (+https://github.com/ai-landscape; data pipeline)"
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
MAX_BODY_BYTES = 200 * 1024 * 1024
# All the bodies one client (one run, or one Dask worker process) may read together: each
# is kept in memory until its dataset is parsed, so the per-body limit alone let five large
# datasets take 1.3 GB.
MAX_RUN_BYTES = 512 * 1024 * 1024
FETCH_DEADLINE_S = deadline.FETCH_DEADLINE_S
# A server asking for a longer pause than this (or than the fetch has left) is not retried:
# a daily job should report a throttled source rather than sleep for an hour.
MAX_RETRY_AFTER_S = 120.0
MODES = ("live", "replay")


class FetchError(RuntimeError):
    """A URL could not be fetched; the message says which URL and why."""

    def __init__(self, url: str, reason: str):
        url = redact_url(url)  # messages reach logs, manifests and Prefect
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    retrieved_at: datetime
    headers: Mapping[str, str] = field(default_factory=dict)
    # When the bytes were originally recorded (replay) or received (live).
    recorded_at: datetime | None = None


class HttpClient(Protocol):
    mode: str

    def get(self, url: str) -> Response: ...


def _now() -> datetime:
    return datetime.now(UTC)


def is_local(url: str) -> bool:
    """Plain paths and file:// URLs are read from disk in every mode (a mirror or test copy)."""
    return urlparse(url).scheme in ("", "file")


def read_local(url: str) -> Response:
    parsed = urlparse(url)
    path = Path(unquote(parsed.path) if parsed.scheme == "file" else url)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise FetchError(url, f"cannot read local file: {exc.strerror or exc}") from exc
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return Response(url=url, status=200, body=body, retrieved_at=_now(), recorded_at=mtime)


class _Retry(Retry):
    def increment(self, method=None, url=None, response=None, *args, **kwargs):  # type: ignore
        """Give up at once when the server asks for a pause the fetch cannot wait out (past
        its deadline, or longer than MAX_RETRY_AFTER_S): sleeping to be refused again, or to
        retry before the server said to, only delays the report. The 429 is the outcome."""
        new = super().increment(method, url, response, *args, **kwargs)
        asked = _asked_pause(response.headers if response is not None else {})
        left = deadline.current_remaining()
        if asked is not None and (
            asked > MAX_RETRY_AFTER_S or (left is not None and asked >= left)
        ):
            raise MaxRetryError(kwargs.get("_pool"), url or "", ResponseError("long pause"))
        return new

    def get_retry_after(self, response):  # type: ignore[no-untyped-def]
        seconds = super().get_retry_after(response)
        if seconds is None:
            return None
        # Never sleep past the fetch's deadline: the retry would be refused anyway.
        left = deadline.current_remaining()
        return min(seconds, left if left is not None else seconds)

    def get_backoff_time(self) -> float:
        left = deadline.current_remaining()
        backoff = super().get_backoff_time()
        return backoff if left is None else min(backoff, left)

    def is_exhausted(self) -> bool:
        """No retry once the fetch's deadline has passed: give up at once."""
        left = deadline.current_remaining()
        return (left is not None and left <= 0) or super().is_exhausted()


def _asked_pause(headers: Mapping[str, str]) -> float | None:
    """The seconds a Retry-After header asks for (None without one, or unreadable);
    `headers` is case-insensitive (requests' or urllib3's)."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return Retry().parse_retry_after(value)
    except InvalidHeader:
        return None


def _status_reason(status: int, headers: Mapping[str, str]) -> str:
    """`HTTP 429`, saying how long the server asked to wait when it did."""
    asked = _asked_pause(headers) if status in (429, 503) else None
    if asked is None:
        return f"HTTP {status}"
    return f"HTTP {status} (the server asks for a pause of {asked:.0f} s; not retried sooner)"


class ByteBudget:
    """Bytes all fetches of one client have read; shared by the threads of a run."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """Another process (a Dask worker) keeps its own count: a lock cannot cross."""
        return {"limit": self.limit, "used": 0}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def check_declared(self, url: str, size: int) -> None:
        """Refuse a body whose declared size would pass the budget, before reading it."""
        with self._lock:
            if self.used + size > self.limit:
                raise FetchError(
                    url,
                    f"this run has already read {self.used} bytes; {size} more would pass its "
                    f"limit of {self.limit} bytes",
                )

    def take(self, url: str, size: int) -> None:
        with self._lock:
            if self.used + size > self.limit:
                raise FetchError(
                    url, f"the run's bodies passed their limit of {self.limit} bytes together"
                )
            self.used += size

    def give_back(self, size: int) -> None:
        with self._lock:
            self.used -= size


class LiveClient:
    """requests with timeouts, bounded bodies, urllib3's retry/backoff (honouring Retry-After),
    per-host rate limits, conditional requests and optional per-host tokens."""

    mode = "live"

    def __init__(
        self,
        *,
        retries: int = 3,
        backoff_factor: float = 1.0,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
        cache: HttpCache | None = None,
        rate_limiter: RateLimiter | None = None,
        run_budget: int = MAX_RUN_BYTES,
    ):
        self.timeout = timeout
        self.cache = cache
        self.rate_limiter = rate_limiter or RateLimiter()
        self.budget = ByteBudget(run_budget)
        # Wall-clock time (time.time) past which no fetch may run: the run's deadline. Wall
        # clock, not monotonic, so it means the same in a Dask worker process.
        self.stop_at: float | None = None
        retry = _Retry(
            total=retries,
            backoff_factor=backoff_factor,
            backoff_jitter=0.5,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = deadline.TrackingAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, url: str) -> Response:
        if is_local(url):
            return read_local(url)
        cached = self.cache.lookup(url) if self.cache else None
        headers = {**_token_header(url), **(cached.request_headers() if cached else {})}
        self.rate_limiter.wait(url)
        seconds = self._deadline_seconds(url)
        with deadline.watch(seconds) as watch:
            try:
                with self.session.get(
                    url, headers=headers, timeout=self.timeout, stream=True
                ) as resp:
                    body = _read_bounded(url, resp, self.budget, watch)
                    received = dict(resp.headers)
                    status = resp.status_code
                    reason = _status_reason(status, resp.headers)
                    if resp.url != url:  # followed a redirect (a renamed Hub repo, say)
                        received["X-Landscape-Final-URL"] = resp.url
            except (requests.RequestException, OSError) as exc:
                if watch.expired:
                    raise FetchError(url, _deadline_reason(seconds)) from None
                raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
            if watch.expired:  # the timer fired as the last byte came
                raise FetchError(url, _deadline_reason(seconds))
        now = _now()
        if status == 304 and cached:
            # Not modified: the body is the one the raw zone already holds.
            recorded = datetime.fromisoformat(cached.recorded_at) if cached.recorded_at else None
            body = cached.body_path.read_bytes()
            headers = {**cached.headers, **received}
            return Response(url, 304, body, now, headers=headers, recorded_at=recorded)
        if status >= 400 or status == 304:
            raise FetchError(url, reason)
        return Response(url, status, body, now, headers=received, recorded_at=now)

    def _deadline_seconds(self, url: str) -> float:
        """The fetch's own deadline, cut to what is left of the run's."""
        seconds = FETCH_DEADLINE_S
        if self.stop_at is not None:
            left = self.stop_at - time.time()
            if left <= 0:
                raise FetchError(url, "the run's deadline passed before this fetch started")
            seconds = min(seconds, left)
        return seconds


def _deadline_reason(seconds: float) -> str:
    return f"no complete response within {seconds:.0f} s (the total deadline of a fetch)"


def _token_header(url: str) -> dict[str, str]:
    # The token goes into the Authorization header only; request headers are never logged
    # or stored.
    token = settings.current().tokens.get(urlparse(url).hostname or "", "")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _read_bounded(
    url: str, resp: requests.Response, budget: ByteBudget, watch: deadline.Watch
) -> bytes:
    """Stop reading past MAX_BODY_BYTES (or the run's budget) so a runaway response cannot
    exhaust memory; a declared `Content-Length` over the limit is refused before reading."""
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise FetchError(
            url, f"body larger than {MAX_BODY_BYTES} bytes (Content-Length says {declared})"
        )
    if declared.isdigit():
        budget.check_declared(url, int(declared))
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.iter_content(chunk_size=1 << 16):
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise FetchError(url, f"body larger than {MAX_BODY_BYTES} bytes")
            budget.take(url, len(chunk))
            chunks.append(chunk)
            if watch.expired:
                raise FetchError(url, _deadline_reason(watch.seconds))
    except BaseException:
        budget.give_back(sum(map(len, chunks)))  # nothing of a failed fetch is kept
        raise
    return b"".join(chunks)


@dataclass(frozen=True)
class RecordedResponse:
    url: str
    path: Path
    status: int
    headers: Mapping[str, str]
    recorded_at: datetime
    stored_as: str | None = None


class ReplayClient:
    """Answers from recorded responses listed in each source folder's `index.json`
    (`data/replay/<source>/index.json`); an unrecorded URL is an error."""

    mode = "replay"

    def __init__(self, replay_dir: Path | None = None):
        self.replay_dir = replay_dir or settings.current().replay_dir
        self.index = load_replay_index(self.replay_dir)

    def get(self, url: str) -> Response:
        if is_local(url):
            return read_local(url)
        recorded = self.index.get(url)
        if recorded is None:
            raise FetchError(url, f"no recorded response in {self.replay_dir}/*/index.json")
        return Response(
            url=url,
            status=recorded.status,
            body=_recorded_body(recorded),
            retrieved_at=_now(),
            headers=dict(recorded.headers),
            recorded_at=recorded.recorded_at,
        )


def _recorded_body(recorded: RecordedResponse) -> bytes:
    """The recorded bytes; an entry `"stored_as": "gzip"` (a large recording kept small) is
    served unzipped. A recorded `.tar.gz` body is served as it is."""
    body = recorded.path.read_bytes()
    return gzip.decompress(body) if recorded.stored_as == "gzip" else body


def load_replay_index(replay_dir: Path) -> dict[str, RecordedResponse]:
    """Merge every source's index; `path` is relative to the index file's folder."""
    index: dict[str, RecordedResponse] = {}
    for index_file in sorted(replay_dir.glob("*/index.json")):
        entries = json.loads(index_file.read_text(encoding="utf-8"))["responses"]
        for e in entries:
            if e["url"] in index:
                raise ValueError(f"{index_file}: {e['url']} is already recorded elsewhere")
            index[e["url"]] = RecordedResponse(
                url=e["url"],
                path=index_file.parent / e["path"],
                status=int(e.get("status", 200)),
                headers=e.get("headers", {}),
                recorded_at=datetime.fromisoformat(e["recorded_at"]),
                stored_as=e.get("stored_as"),
            )
    return index


def make_client(mode: str, warehouse: Path | None = None) -> HttpClient:
    """`warehouse` lets a live client send conditional requests for what it fetched before."""
    if mode == "live":
        return LiveClient(cache=HttpCache(warehouse) if warehouse else None)
    if mode == "replay":
        return ReplayClient()
    raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
