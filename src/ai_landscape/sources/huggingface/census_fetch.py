"""The census listing, page after page, each page in the raw zone before the next is asked for.

A census is about two thousand requests (at the Hub's 500 calls per 5 minutes, twenty
minutes or more), so it must survive being killed: every stored page appends one line to a
cursor file in the raw zone (`_raw/huggingface/census/_cursor/<url hash>.jsonl`: the page's
URL, raw locator and the next page's URL). A census started again on the same URL reads the
pages already stored back from the raw zone and asks the Hub only from the last stored
cursor on. The rate limit, retries (429 with `Retry-After` included) and conditional requests
are the client's, as for every other request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ai_landscape.http.client import FetchError, HttpClient
from ai_landscape.http.rawzone import RawZone
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.huggingface.census_constants import (
    DATASET,
    MAX_PAGES,
    RESUME_MAX_AGE_HOURS,
)
from ai_landscape.sources.huggingface.constants import SOURCE
from ai_landscape.sources.huggingface.fetch import next_page_url

log = logging.getLogger(__name__)
CURSOR_DIR = "_cursor"


@dataclass(frozen=True)
class CensusPage:
    number: int  # 0-based position in the listing
    url: str
    locator: str  # raw-zone locator of the body
    sha256: str
    bytes: int
    retrieved_at: str
    next_url: str | None
    fetched: bool  # False: stored by an earlier, interrupted census and read back


class CensusCursor:
    """The append-only record of one census's stored pages (see the module docstring)."""

    def __init__(self, warehouse: Path, url: str, max_age_hours: float = RESUME_MAX_AGE_HOURS):
        digest = hashlib.sha256(url.encode()).hexdigest()[:16]
        self.path = Path(warehouse) / "_raw" / SOURCE / DATASET / CURSOR_DIR / f"{digest}.jsonl"
        self.max_age_hours = max_age_hours

    def load(self) -> list[CensusPage]:
        """The pages stored so far, in order; a line cut short by a kill is ignored, and a
        cursor older than `max_age_hours` is set aside (the listing has moved on)."""
        try:
            lines = self.path.read_text("utf-8").splitlines()
        except FileNotFoundError:
            return []
        pages = []
        for line in lines:
            try:
                pages.append(CensusPage(**json.loads(line), fetched=False))
            except (ValueError, TypeError):
                break
        if pages:
            started = datetime.fromisoformat(pages[0].retrieved_at)
            age = (datetime.now(UTC) - started).total_seconds() / 3600
            if age > self.max_age_hours:
                log.warning("census cursor %s is %.1f h old: starting afresh", self.path, age)
                self.finish()
                return []
        return pages

    def append(self, page: CensusPage) -> None:
        entry = asdict(page)
        entry.pop("fetched")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def rewind(self, number: int) -> None:
        """Forget page `number` and every later one (a page that did not parse is asked for
        again by the next census)."""
        kept = [p for p in self.load() if p.number < number]
        self.finish()
        for page in kept:
            self.append(page)

    def finish(self) -> None:
        """The census is published (or abandoned): the next one starts from the first page."""
        if self.path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            self.path.rename(self.path.with_name(f"{self.path.stem}.{stamp}.done"))


def census_pages(
    client: HttpClient,
    url: str,
    zone: RawZone,
    cursor: CensusCursor,
    max_pages: int = MAX_PAGES,
) -> Iterator[CensusPage]:
    """Every page of the listing at `url`, stored pages first (read back, not fetched)."""
    stored = cursor.load()
    yield from stored
    seen = {p.url for p in stored}
    next_url: str | None = stored[-1].next_url if stored else url
    number = len(stored)
    if stored:
        log.info("census: resuming after %d stored pages", number)
    while next_url is not None:
        if number >= max_pages:
            raise FetchError(url, f"more than {max_pages} pages: a runaway cursor, not the Hub")
        if next_url in seen:
            raise FetchError(next_url, "the next-page link points back to a page already fetched")
        seen.add(next_url)
        response = client.get(next_url)
        raw = zone.store(SOURCE, DATASET, response)
        _check_complete(response.body, next_url, number)
        page = CensusPage(
            number=number,
            url=next_url,
            locator=raw.locator,
            sha256=raw.sha256,
            bytes=raw.bytes,
            retrieved_at=raw.retrieved_at,
            next_url=next_page_url(response),
            fetched=True,
        )
        cursor.append(page)
        yield page
        next_url = page.next_url
        number += 1


def _check_complete(body: bytes, url: str, number: int) -> None:
    """A page cut short (a dropped connection the server did not announce) must not enter
    the cursor, or a resumed census would build on it. Checking the ends is enough here and
    costs nothing; the parser checks the rest."""
    stripped = body.strip()
    if not (stripped.startswith(b"[") and stripped.endswith(b"]")):
        raise SourceSchemaError(
            f"{url}: census page {number} is not a complete JSON array ({len(body)} bytes, "
            f"ends with {stripped[-20:]!r}): truncated? Kept in the raw zone; not resumed from"
        )
