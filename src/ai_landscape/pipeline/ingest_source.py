"""One source's datasets in one task: fetched side by side, then normalized (issue #17).

A run was one Prefect task per dataset: 40 task runs, 31 of them feeds of a few items. Each
task run costs the run's process Prefect's bookkeeping, and the API server a task run and its
state events to record. In a replay on 2 cores that was 1.7-2.0 s of the temporary server's
CPU and about 0.6 s of the run's during fetch_parse_normalize, competing for the cores with
the work itself (docs/performance.md, "Ninth round"). One task per source (5) keeps a task
for each unit an operator reads a run by (Epoch, the Hub, the feeds...), and each dataset's
outcome stays in the run summary and the manifest as before.

Inside a source, a live run fetches its datasets on `threads` threads: they wait on HTTP. A
replay reads recorded files and parses them, which holds the GIL, so one thread
(`source_threads`); the sources themselves still run side by side on the flow's task runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ai_landscape.http.client import HttpClient
from ai_landscape.pipeline.ingest import DatasetResult, ingest
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.sources.feeds.constants import SOURCE as FEEDS

# A live run's datasets of one source fetched at once (31 feeds, most on their own hosts);
# the client's per-host limits still apply to each request (http/ratelimit.py).
LIVE_THREADS = 8


def source_threads(mode: str) -> int:
    """Datasets of one source ingested at once: 1 in a replay (parsing holds the GIL)."""
    return 1 if mode == "replay" else LIVE_THREADS


def submission_order(sources: Sequence[str]) -> list[str]:
    """The feeds first, the others as given: a run sends the feeds' detection to its worker
    when their task ends (pipeline/feeds.py), so it runs there while this process ingests
    the other sources, not after them."""
    return sorted(sources, key=lambda source: source != FEEDS)


def by_source(requests: Sequence[DatasetRequest]) -> dict[str, list[DatasetRequest]]:
    """The requests of each source, sources and datasets in the order they were selected."""
    grouped: dict[str, list[DatasetRequest]] = {}
    for request in requests:
        grouped.setdefault(request.source, []).append(request)
    return grouped


def ingest_source(
    source: str,
    requests: Sequence[DatasetRequest],
    client: HttpClient,
    warehouse: Path,
    previous_infos: Sequence[dict | None],
    threads: int = 1,
) -> list[DatasetResult]:
    """`ingest` of each request (all of `source`), in the requests' order; `previous_infos`
    are their entries in the previous manifest. A feed's candidates are left to the pass over
    all feeds (pipeline/feeds.py), which a run sends to its worker process when this task
    ends. Failures come back in the results, as `ingest`'s do."""
    if any(r.source != source for r in requests):
        raise ValueError(f"ingest_source({source!r}) was given another source's datasets")
    if len(requests) != len(previous_infos):
        raise ValueError("one previous manifest entry (or None) is needed per request")
    jobs = list(zip(requests, previous_infos, strict=True))
    if threads <= 1 or len(jobs) <= 1:
        results = [ingest(r, client, warehouse, info) for r, info in jobs]
    else:
        with ThreadPoolExecutor(min(threads, len(jobs)), f"ingest-{source}") as pool:
            results = list(pool.map(lambda job: ingest(job[0], client, warehouse, job[1]), jobs))
    return results
