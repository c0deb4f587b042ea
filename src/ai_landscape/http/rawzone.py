"""The raw zone: every fetched body kept byte for byte, before anything parses it.

Bodies are content-addressed (`<source>/<dataset>/<sha256>.bin`), so an unchanged export is
stored once and its locator is the same from run to run; each fetch also leaves a small JSON
record (URL, status, headers, retrieval time, sha256) so a run can be explained and replayed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ai_landscape.fsutil import write_atomic
from ai_landscape.http.cache import HttpCache
from ai_landscape.http.client import Response
from ai_landscape.http.redact import redact_url, safe_headers

__all__ = ["RawObject", "RawZone", "redact_url"]

RAW_DIRNAME = "_raw"


@dataclass(frozen=True)
class RawObject:
    source: str
    dataset: str
    url: str
    status: int
    sha256: str
    bytes: int
    retrieved_at: str
    recorded_at: str | None
    locator: str  # path of the body, relative to the warehouse root


class RawZone:
    def __init__(self, warehouse: Path):
        self.root = Path(warehouse) / RAW_DIRNAME

    def store(self, source: str, dataset: str, response: Response) -> RawObject:
        digest = hashlib.sha256(response.body).hexdigest()
        folder = self.root / source / dataset
        folder.mkdir(parents=True, exist_ok=True)
        body_path = folder / f"{digest}.bin"
        if not body_path.exists():
            write_atomic(body_path, response.body)
        stamp = response.retrieved_at.strftime("%Y%m%dT%H%M%S%fZ")
        obj = RawObject(
            source=source,
            dataset=dataset,
            url=redact_url(response.url),
            status=response.status,
            sha256=digest,
            bytes=len(response.body),
            retrieved_at=response.retrieved_at.isoformat(),
            recorded_at=response.recorded_at.isoformat() if response.recorded_at else None,
            locator=body_path.relative_to(self.root.parent).as_posix(),
        )
        headers = safe_headers(response.headers)  # an allow-list: see http.redact
        record = {**asdict(obj), "headers": headers}
        write_atomic(folder / f"{stamp}.json", json.dumps(record, indent=2).encode())
        if response.status == 200:
            HttpCache(self.root.parent).remember(
                response.url, headers, obj.locator, obj.recorded_at
            )
        return obj

    def read(self, locator: str) -> bytes:
        return (self.root.parent / locator).read_bytes()
