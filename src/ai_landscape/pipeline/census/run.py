"""A census from the first page to `hub_repos` on disk: fetch, parse, normalize, finalize.

Pages are fetched in order (a cursor listing cannot be split), each stored in the raw zone as
it arrives; every `chunk_pages` pages go to `submit` as one `process_chunk` job, so parsing
and normalizing run beside the fetching, in a worker process by default or on Dask workers.
Memory holds one chunk per worker, never the census.

Why a process and not a thread: parsing and normalizing pages is Python work that holds the
GIL, and the census runs beside the other datasets' ingest, which holds it too. In a thread
the chunks only took turns with them on one core; in the run's worker process
(pipeline/worker.py) they use a second core. Replay run's fetch_parse_normalize stage,
without Prefect, 3 runs each: 4.05-4.49 s wall in a thread, 3.24-3.64 s in a process (its
start, ~0.4 s of imports, overlaps the fetching; docs/performance.md).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from ai_landscape.http.client import HttpClient
from ai_landscape.http.rawzone import RawZone
from ai_landscape.pipeline.census.build import finalize_repos
from ai_landscape.pipeline.census.chunks import CensusPageError, ChunkResult, process_chunk
from ai_landscape.pipeline.worker import RunWorker
from ai_landscape.sources.huggingface.census_constants import CHUNK_PAGES, MAX_PAGES
from ai_landscape.sources.huggingface.census_fetch import CensusCursor, CensusPage, census_pages

# (function, *args) -> an object with `.result()`: a concurrent.futures or Dask future.
Submit = Callable[..., Any]


@dataclass
class CensusBuild:
    repos_path: Path
    rows: int
    duplicates: int
    pages: int
    pages_fetched: int
    bytes: int
    cursor: CensusCursor
    first_url: str
    seconds: dict[str, float] = field(default_factory=dict)

    def info(self) -> dict:
        """The manifest's entry for the dataset (pages are listed by the cursor file, not
        one by one: two thousand entries would swamp the manifest)."""
        return {
            "status": "ok",
            "url": self.first_url,
            "records": self.rows,
            "pages": self.pages,
            "pages_fetched": self.pages_fetched,
            "pages_resumed": self.pages - self.pages_fetched,
            "duplicates_dropped": self.duplicates,
            "bytes": self.bytes,
            "cursor": self.cursor.path.name,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def run_census(
    client: HttpClient,
    url: str,
    warehouse: Path,
    workdir: Path,
    *,
    seen_at: datetime,
    previous: Path | pa.Table | None = None,
    submit: Submit | None = None,
    chunk_pages: int = CHUNK_PAGES,
    max_pages: int = MAX_PAGES,
) -> CensusBuild:
    """`workdir` receives the parts and `hub_repos.parquet` (emptied first); `previous`
    gives `first_seen`. A page that does not parse rewinds the cursor to it and raises;
    a chunk worker that dies raises `CensusWorkerDied`."""
    started = time.perf_counter()
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "parts").mkdir(parents=True)
    cursor = CensusCursor(warehouse, url)
    own = RunWorker() if submit is None else None  # a census run on its own
    send: Submit = submit if own is None else own.submit
    futures: list[Any] = []
    chunk: list[CensusPage] = []
    pages = fetched = size = 0

    def flush() -> None:
        out = workdir / "parts" / f"chunk-{chunk[0].number:06d}.parquet"
        futures.append(send(process_chunk, str(warehouse), list(chunk), str(out)))
        chunk.clear()

    try:
        for page in census_pages(client, url, RawZone(warehouse), cursor, max_pages):
            pages, fetched, size = pages + 1, fetched + page.fetched, size + page.bytes
            chunk.append(page)
            if len(chunk) >= chunk_pages:
                flush()
        if chunk:
            flush()
        fetch_done = time.perf_counter()
        results: list[ChunkResult] = [f.result() for f in futures]
    except CensusPageError as exc:
        cursor.rewind(exc.number)
        raise
    except BrokenProcessPool as exc:
        raise CensusWorkerDied(
            f"{url}: the census's chunk worker process died ({exc}); a script that starts a "
            'refresh must do so under `if __name__ == "__main__":`, as the worker imports it'
        ) from exc
    finally:
        if own is not None:
            own.close()
    parsed = time.perf_counter()
    out = workdir / "hub_repos.parquet"
    parts = [r.path for r in sorted(results, key=lambda r: r.first_page) if r.rows]
    rows, duplicates = finalize_repos(parts, out, seen_at, previous) if parts else (0, 0)
    if not parts:
        raise CensusEmpty(f"{url}: the census listed no repos")
    shutil.rmtree(workdir / "parts")
    build = CensusBuild(out, rows, duplicates, pages, fetched, size, cursor, url)
    build.seconds = {
        "fetch": fetch_done - started,
        "parse_normalize_wait": parsed - fetch_done,
        "finalize": time.perf_counter() - parsed,
    }
    return build


class CensusEmpty(RuntimeError):
    """A listing with no repos at all is a broken source, never an empty Hub."""


class CensusWorkerDied(RuntimeError):
    """The process parsing the chunks ended abruptly (killed, out of memory): the census
    fails like a broken source, and the other datasets go on. A worker started with `spawn`
    imports the main script again, so a script that starts a refresh outside an
    `if __name__ == "__main__":` block starts it again in the worker, which then dies (the
    `landscape` command, `flows/refresh.py` and Prefect's workers guard theirs)."""
