"""One way to GET a URL, with a live and a replay implementation behind the same interface.

Sources never call `requests` themselves: they take an `HttpClient`, so a replay run reads
recorded bytes through exactly the code path a live run uses, and `--mode` is the one setting
that picks which.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ai_landscape import __version__, settings
from ai_landscape.http.cache import HttpCache
from ai_landscape.http.ratelimit import RateLimiter

USER_AGENT = f"ai-landscape/{__version__} (+https://github.com/ai-landscape; data pipeline)"
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0
MAX_BODY_BYTES = 200 * 1024 * 1024
# A server asking for a longer pause than this gets this long: a daily job should report a
# throttled source rather than sleep for an hour.
MAX_RETRY_AFTER_S = 120.0
MODES = ("live", "replay")


class FetchError(RuntimeError):
    """A URL could not be fetched; the message says which URL and why."""

    def __init__(self, url: str, reason: str):
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
    def get_retry_after(self, response):  # type: ignore[no-untyped-def]
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER_S)


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
    ):
        self.timeout = timeout
        self.cache = cache
        self.rate_limiter = rate_limiter or RateLimiter()
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
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, url: str) -> Response:
        if is_local(url):
            return read_local(url)
        cached = self.cache.lookup(url) if self.cache else None
        headers = {**_token_header(url), **(cached.request_headers() if cached else {})}
        self.rate_limiter.wait(url)
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as resp:
                body = _read_bounded(url, resp)
                received = dict(resp.headers)
                status = resp.status_code
                if resp.url != url:  # followed a redirect (a renamed Hub repo, say)
                    received["X-Landscape-Final-URL"] = resp.url
        except requests.RequestException as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
        now = _now()
        if status == 304 and cached:
            # Not modified: the body is the one the raw zone already holds.
            recorded = datetime.fromisoformat(cached.recorded_at) if cached.recorded_at else None
            body = cached.body_path.read_bytes()
            headers = {**cached.headers, **received}
            return Response(url, 304, body, now, headers=headers, recorded_at=recorded)
        if status >= 400 or status == 304:
            raise FetchError(url, f"HTTP {status}")
        return Response(url, status, body, now, headers=received, recorded_at=now)


def _token_header(url: str) -> dict[str, str]:
    # The token goes into the Authorization header only; request headers are never logged
    # or stored.
    token = settings.current().tokens.get(urlparse(url).hostname or "", "")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _read_bounded(url: str, resp: requests.Response) -> bytes:
    """Stop reading past MAX_BODY_BYTES so a runaway response cannot exhaust memory."""
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise FetchError(url, f"body larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
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
