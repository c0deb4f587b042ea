"""Validators of earlier responses, for conditional requests.

A daily refresh mostly finds unchanged documents: sending `If-None-Match` /
`If-Modified-Since` lets the server answer 304 with no body, and the bytes come from the raw
zone instead. Entries are one small JSON file per URL (keyed by its hash) so concurrent
fetches never contend for one index file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ai_landscape.fsutil import write_atomic
from ai_landscape.http.redact import redact_url, safe_headers

CACHE_DIRNAME = "_raw/_http_cache"


@dataclass(frozen=True)
class CachedResponse:
    url: str
    etag: str | None
    last_modified: str | None
    body_path: Path
    recorded_at: str | None
    # The 200 response's headers: a 304 may omit some (a pagination `Link`, say).
    headers: dict[str, str]

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class HttpCache:
    def __init__(self, warehouse: Path):
        self.root = Path(warehouse) / CACHE_DIRNAME
        self.warehouse = Path(warehouse)

    def _entry(self, url: str) -> Path:
        # Keyed by the redacted URL: neither the file nor its name derives from a secret.
        return self.root / f"{hashlib.sha256(redact_url(url).encode()).hexdigest()}.json"

    def lookup(self, url: str) -> CachedResponse | None:
        try:
            entry = json.loads(self._entry(url).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        body_path = self.warehouse / entry["locator"]
        if not body_path.is_file():
            return None
        return CachedResponse(
            url,
            entry.get("etag"),
            entry.get("last_modified"),
            body_path,
            entry.get("recorded_at"),
            entry.get("headers", {}),
        )

    def remember(
        self, url: str, headers: dict[str, str], locator: str, recorded_at: str | None
    ) -> None:
        """Keep the validators of a 200 response whose body is in the raw zone at `locator`."""
        lower = {k.lower(): v for k, v in headers.items()}
        if "etag" not in lower and "last-modified" not in lower:
            return
        entry = {
            "url": redact_url(url),
            "etag": lower.get("etag"),
            "last_modified": lower.get("last-modified"),
            "locator": locator,
            "recorded_at": recorded_at,
            "headers": safe_headers(headers),
        }
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self._entry(url), json.dumps(entry, indent=2).encode("utf-8"))
