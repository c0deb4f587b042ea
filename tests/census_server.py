"""A loopback Hub serving the recorded census pages (the real bytes of the replay copy) with
`Link` cursors pointing back at itself, and the faults the live census must survive."""

from __future__ import annotations

import gzip
import http.server
import json
import shutil
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ai_landscape.settings import REPLAY_DIR
from ai_landscape.sources.huggingface.census_constants import CENSUS_URL

CENSUS_DIR = REPLAY_DIR / "huggingface" / "census"
PATH_AND_QUERY = CENSUS_URL.removeprefix("https://huggingface.co")


def replay_with_page_30_cut(folder: Path) -> Path:
    """A copy of the replay inputs in `folder` whose census page 30 stops after `[{` (a
    truncated download), for a run pointed at it with LANDSCAPE_REPLAY_DIR."""
    shutil.copytree(REPLAY_DIR, folder)
    (folder / "huggingface" / "census" / "page-030.json.gz").write_bytes(gzip.compress(b"[{"))
    return folder


def recorded_pages(count: int | None = None) -> list[bytes]:
    """The recorded pages in listing order (`index.json`), unzipped."""
    index = json.loads((REPLAY_DIR / "huggingface" / "index.json").read_text("utf-8"))
    paths = [e["path"] for e in index["responses"] if e["path"].startswith("census/")]
    pages = [gzip.decompress((REPLAY_DIR / "huggingface" / p).read_bytes()) for p in paths]
    return pages[:count] if count else pages


@dataclass
class Faults:
    """What the server does differently, page by page (each fault fires once)."""

    throttle: set[int] = field(default_factory=set)  # 429 with Retry-After: 1
    truncate: set[int] = field(default_factory=set)  # the body cut at half, length to match
    hang: set[int] = field(default_factory=set)  # never answers (until `release` is set)
    etag: bool = False  # ETags, and 304 for a matching If-None-Match


@dataclass
class CensusHub:
    pages: list[bytes]
    faults: Faults = field(default_factory=Faults)
    requests: Counter = field(default_factory=Counter)  # page -> requests answered 200
    not_modified: Counter = field(default_factory=Counter)
    throttled: Counter = field(default_factory=Counter)
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                cursor = parse_qs(urlsplit(self.path).query).get("cursor", ["page-000"])[0]
                number = int(cursor.rsplit("-", 1)[1])
                hub.answer(self, number)

        return Handler

    def answer(self, handler: http.server.BaseHTTPRequestHandler, number: int) -> None:
        f = self.faults
        if number in f.hang:
            f.hang.discard(number)
            self.hanging.set()
            self.release.wait(60)
            return
        if number in f.throttle:
            f.throttle.discard(number)
            self.throttled[number] += 1
            self._send(handler, 429, b'{"error":"rate limited"}', {"Retry-After": "1"})
            return
        body = self.pages[number]
        tag = f'"census-{number}"'
        if f.etag and handler.headers.get("If-None-Match") == tag:
            self.not_modified[number] += 1
            self._send(handler, 304, b"", {"ETag": tag})
            return
        if number in f.truncate:
            f.truncate.discard(number)
            body = body[: len(body) // 2]
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if f.etag:
            headers["ETag"] = tag
        if number + 1 < len(self.pages):
            host = handler.headers["Host"]
            headers["Link"] = (
                f'<http://{host}{PATH_AND_QUERY}&cursor=page-{number + 1:03d}>; rel="next"'
            )
        self.requests[number] += 1
        self._send(handler, 200, body, headers)

    @staticmethod
    def _send(handler, status: int, body: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def census_url(base: str) -> str:
    return base + PATH_AND_QUERY
