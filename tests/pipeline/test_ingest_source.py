"""One ingest task per source (pipeline/ingest_source.py): each dataset's outcome as `ingest`
gives it, the feeds normalized together, and a live source's datasets fetched side by side."""

from __future__ import annotations

import threading

import pytest

from ai_landscape.http.client import make_client
from ai_landscape.pipeline.feeds import normalize_feeds
from ai_landscape.pipeline.ingest import ingest
from ai_landscape.pipeline.ingest_source import (
    LIVE_THREADS,
    by_source,
    ingest_source,
    source_threads,
    submission_order,
)
from ai_landscape.pipeline.selection import DatasetRequest, select_datasets
from tests.conftest import QuietHandler

FEEDS = select_datasets(["feeds"], None, "replay")


def test_requests_are_grouped_by_source_in_their_order():
    requests = select_datasets(None, None, "replay")
    grouped = by_source(requests)
    assert list(grouped) == ["epoch", "modelsdev", "huggingface", "openrouter", "feeds"]
    assert [r for rs in grouped.values() for r in rs] == requests
    assert [r.dataset for r in grouped["epoch"]] == ["large_scale", "frontier", "notable"]
    assert len(grouped["feeds"]) == 31


def test_the_feeds_are_submitted_first_and_the_others_in_their_order():
    # Their detection then runs in the worker while the others are ingested (flow.py).
    sources = ["epoch", "modelsdev", "huggingface", "openrouter", "feeds"]
    assert submission_order(sources) == ["feeds", "epoch", "modelsdev", "huggingface", "openrouter"]
    assert submission_order(["epoch", "openrouter"]) == ["epoch", "openrouter"]


def test_a_replay_source_is_one_thread_and_a_live_one_eight():
    assert (source_threads("replay"), source_threads("live"), LIVE_THREADS) == (1, 8, 8)


def test_the_feeds_come_back_in_their_order_for_one_pass_over_all(tmp_path):
    client = make_client("replay", tmp_path)
    results = ingest_source("feeds", FEEDS, client, tmp_path, [None] * len(FEEDS))
    assert [r.candidates for r in results] == [None] * 31  # left to the pass (the run's worker)
    normalize_feeds(results)
    assert [r.request for r in results] == FEEDS
    assert [r.status for r in results] == ["ok"] * 31
    assert sum(len(r.candidates) for r in results) == 2253
    assert sum(int(r.announcements["is_model_announcement"].sum()) for r in results) == 369
    # `ingest` alone leaves a feed's candidates to the pass over all feeds.
    assert ingest(FEEDS[0], client, tmp_path).candidates is None


def test_another_sources_datasets_are_refused(tmp_path):
    epoch = select_datasets(["epoch.notable"], None, "replay")
    with pytest.raises(ValueError, match=r"^ingest_source\('feeds'\) was given another source"):
        ingest_source("feeds", epoch, make_client("replay", tmp_path), tmp_path, [None])
    with pytest.raises(ValueError, match=r"^one previous manifest entry"):
        ingest_source("feeds", FEEDS[:2], make_client("replay", tmp_path), tmp_path, [None])


@pytest.fixture
def feed_server(loopback, tmp_path):
    """The recorded feeds over HTTP on 127.0.0.1 (`/<dataset>`); `state` counts the requests
    in flight. With `barrier` set, the first requests wait until that many are in flight."""
    replay = make_client("replay", tmp_path)
    bodies = {r.dataset: replay.get(r.url).body for r in FEEDS}
    state = {"in_flight": 0, "most": 0, "barrier": None}
    lock = threading.Lock()

    class Feeds(QuietHandler):
        def do_GET(self):
            with lock:
                state["in_flight"] += 1
                state["most"] = max(state["most"], state["in_flight"])
            try:
                barrier = state["barrier"]
                if barrier is not None and not barrier.broken:
                    barrier.wait()  # BrokenBarrierError (a 500 to the client) if too few come
                body = bodies[self.path.lstrip("/")]
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with lock:
                    state["in_flight"] -= 1

    return loopback(Feeds), state


def _live_feeds(base: str) -> list[DatasetRequest]:
    return [DatasetRequest("feeds", r.dataset, f"{base}/{r.dataset}", explicit=True) for r in FEEDS]


def test_a_live_source_fetches_its_datasets_on_eight_threads(feed_server, tmp_path):
    base, state = feed_server
    # Only 8 requests at once can pass: fetched one by one, the first would wait 20 s and fail.
    state["barrier"] = threading.Barrier(LIVE_THREADS, timeout=20)
    requests = _live_feeds(base)
    results = ingest_source(
        "feeds", requests, make_client("live", tmp_path), tmp_path, [None] * 31, LIVE_THREADS
    )
    assert [r.error for r in results] == [None] * 31
    assert state["most"] == LIVE_THREADS
    assert sum(len(r.candidates) for r in normalize_feeds(results)) == 2253
    assert results[0].info["url"] == f"{base}/{FEEDS[0].dataset}"


def test_a_replay_threads_fetch_one_dataset_at_a_time(feed_server, tmp_path):
    base, state = feed_server
    requests = _live_feeds(base)[:6]
    results = ingest_source(
        "feeds",
        requests,
        make_client("live", tmp_path),
        tmp_path,
        [None] * 6,
        source_threads("replay"),
    )
    assert [r.status for r in results] == ["ok"] * 6
    assert state["most"] == 1
