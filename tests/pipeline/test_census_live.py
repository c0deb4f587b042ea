"""The census live, against a loopback Hub serving the recorded pages: pagination by `Link`,
resume after a kill, a 429 with Retry-After mid-census, a truncated page, conditional requests.
The client is the production `LiveClient` with its production settings."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ai_landscape.http.client import make_client
from ai_landscape.http.rawzone import RawZone
from ai_landscape.pipeline.census.run import CensusWorkerDied, run_census
from ai_landscape.settings import PROJECT_ROOT
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.huggingface.census_fetch import CensusCursor
from tests.census_server import CensusHub, Faults, census_url, recorded_pages

PAGES = 6  # of the 53 recorded: 6,000 real repos, enough for every fault
SEEN = datetime(2026, 12, 3, tzinfo=UTC)


def census(url: str, warehouse: Path, **kwargs):
    return run_census(
        make_client("live", warehouse),
        url,
        warehouse,
        warehouse / "_census" / "run",
        seen_at=SEEN,
        **kwargs,
    )


def serve(loopback, faults: Faults | None = None, pages: int = PAGES) -> tuple[CensusHub, str]:
    hub = CensusHub(recorded_pages(pages), faults or Faults())
    return hub, census_url(loopback(hub.handler()))


def census_in_a_child(url: str, warehouse: Path) -> subprocess.Popen:
    """A census in its own process (tests/_census_child.py), for a test to kill."""
    return subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "tests" / "_census_child.py"), url, str(warehouse)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )


def repo_ids(path: Path) -> list[str]:
    return pq.read_table(path, columns=["repo_id"])["repo_id"].to_pylist()


def test_every_page_followed_once_and_stored_raw(loopback, warehouse):
    hub, url = serve(loopback)
    build = census(url, warehouse, chunk_pages=4)
    assert dict(hub.requests) == {n: 1 for n in range(PAGES)}
    assert (build.rows, build.pages, build.pages_fetched, build.duplicates) == (6000, 6, 6, 0)
    ids = repo_ids(build.repos_path)
    assert len(ids) == len(set(ids)) == 6000
    assert ids == sorted(ids)
    stored = list((warehouse / "_raw" / "huggingface" / "census").glob("*.bin"))
    assert len(stored) == 6
    cursor = CensusCursor(warehouse, url).load()
    assert [p.number for p in cursor] == list(range(6))
    assert cursor[-1].next_url is None


def test_a_killed_census_resumes_without_refetching_stored_pages(loopback, warehouse):
    hub, url = serve(loopback, Faults(hang={3}))
    child = census_in_a_child(url, warehouse)
    try:
        assert hub.hanging.wait(120), "the child never reached page 3"
        os.kill(child.pid, signal.SIGKILL)  # mid-census, while page 3 is in flight
        child.wait(30)
    finally:
        hub.release.set()
    assert [p.number for p in CensusCursor(warehouse, url).load()] == [0, 1, 2]

    build = census(url, warehouse)
    assert dict(hub.requests) == {n: 1 for n in range(PAGES)}  # 0-2 by the child only
    assert (build.rows, build.pages, build.pages_fetched) == (6000, 6, 3)


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in map(int, listing.read_text().split()):
            found |= {child, *_descendants(child)}
    return found


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


def test_a_killed_census_leaves_no_chunk_worker_behind(loopback, warehouse):
    # 25 pages (CHUNK_PAGES) make the first chunk, which starts the worker process; the
    # census is killed while page 27 is in flight, with the worker idle and waiting.
    hub, url = serve(loopback, Faults(hang={27}), pages=30)
    child = census_in_a_child(url, warehouse)
    try:
        assert hub.hanging.wait(120), "the child never reached page 27"
        workers = _descendants(child.pid)
        assert workers, "no chunk worker was started"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        deadline = time.monotonic() + 30
        while any(map(_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        hub.release.set()
    assert [pid for pid in workers if _running(pid)] == []


def test_a_chunk_worker_that_dies_fails_the_census_by_name(loopback, warehouse):
    _, url = serve(loopback)
    spawn = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(1, mp_context=spawn, initializer=os._exit, initargs=(9,)) as pool,
        pytest.raises(CensusWorkerDied) as died,
    ):
        census(url, warehouse, submit=pool.submit)
    message = str(died.value)
    assert message.startswith(f"{url}: the census's chunk worker process died (")
    assert message.endswith(
        'a script that starts a refresh must do so under `if __name__ == "__main__":`, '
        "as the worker imports it"
    )


def test_a_page_the_worker_cannot_parse_rewinds_the_cursor_to_it(loopback, warehouse):
    # Page 2 as the Hub's older API wrote it (`modelId`, not `id`): the error is raised in
    # the chunk worker process and must reach the census with its page number.
    pages = recorded_pages(4)
    older = [
        {("modelId" if k == "id" else k): v for k, v in r.items()} for r in json.loads(pages[2])
    ]
    hub = CensusHub([pages[0], pages[1], json.dumps(older).encode(), pages[3]])
    url = census_url(loopback(hub.handler()))
    with pytest.raises(SourceSchemaError) as failed:
        census(url, warehouse)
    assert str(failed.value) == f"{url}&cursor=page-002: item 0 is not a model with a text 'id'"
    assert [p.number for p in CensusCursor(warehouse, url).load()] == [0, 1]


def test_a_429_mid_census_is_waited_out(loopback, warehouse):
    hub, url = serve(loopback, Faults(throttle={2}))
    started = time.monotonic()
    build = census(url, warehouse)
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 honoured
    assert dict(hub.throttled) == {2: 1}
    assert dict(hub.requests) == {n: 1 for n in range(PAGES)}
    assert build.rows == 6000


def test_a_truncated_page_stops_the_census_and_is_asked_for_again(loopback, warehouse):
    hub, url = serve(loopback, Faults(truncate={4}))
    with pytest.raises(SourceSchemaError) as failed:
        census(url, warehouse)
    message = str(failed.value)
    assert message.startswith(f"{url}&cursor=page-004: census page 4 is not a complete JSON")
    assert "census page 4 is not a complete JSON array" in message
    assert "truncated?" in message
    assert [p.number for p in CensusCursor(warehouse, url).load()] == [0, 1, 2, 3]

    build = census(url, warehouse)  # the resumed census asks for page 4 again
    assert dict(hub.requests) == {0: 1, 1: 1, 2: 1, 3: 1, 4: 2, 5: 1}
    assert (build.rows, build.pages_fetched) == (6000, 2)


def test_a_finished_census_asks_again_conditionally(loopback, warehouse):
    hub, url = serve(loopback, Faults(etag=True))
    first = census(url, warehouse)
    first.cursor.finish()  # published: the next census starts from the first page
    second = census(url, warehouse)
    assert dict(hub.not_modified) == {n: 1 for n in range(PAGES)}  # 304s, bodies reused
    assert dict(hub.requests) == {n: 1 for n in range(PAGES)}
    assert second.rows == first.rows == 6000
    assert len(list(RawZone(warehouse).root.joinpath("huggingface", "census").glob("*.bin"))) == 6


def test_a_repo_listed_twice_is_kept_once_in_its_first_listing(loopback, warehouse):
    pages = recorded_pages(2)
    hub = CensusHub([pages[0], pages[1], pages[1]])  # a cursor that served a page twice
    url = census_url(loopback(hub.handler()))
    build = census(url, warehouse)
    assert (build.rows, build.duplicates) == (2000, 1000)
    ids = repo_ids(build.repos_path)
    assert len(set(ids)) == 2000
