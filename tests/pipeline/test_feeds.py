"""Every feed normalized in one pass (pipeline/feeds.py): the same candidates and announcement
rows as each feed alone, and the announcement rules run once per run, not once per feed and
again for the table (#17)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from ai_landscape.flow import refresh_landscape
from ai_landscape.http.client import make_client
from ai_landscape.normalize import announcement_table, announcements
from ai_landscape.pipeline.feeds import normalize_feeds, warm_detection
from ai_landscape.pipeline.ingest import ingest, normalized
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.selection import select_datasets
from ai_landscape.pipeline.worker import RunWorker


@pytest.fixture(scope="module")
def feed_results(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("warehouse")
    client = make_client("replay", warehouse)
    results = [ingest(r, client, warehouse) for r in select_datasets(["feeds"], None, "replay")]
    assert [r.status for r in results] == ["ok"] * len(results)
    return results


def test_ingest_leaves_a_feeds_candidates_to_the_pass_over_all_feeds(feed_results):
    assert len(feed_results) == 31
    assert [r.candidates for r in feed_results] == [None] * 31
    assert sum(len(r.records) for r in feed_results) == 2253


def test_one_pass_gives_each_feed_what_it_got_alone(feed_results):
    alone = [
        normalized(SOURCES["feeds"], r.request.dataset, r.records.drop(columns="_stale"))
        for r in feed_results
    ]
    normalize_feeds(feed_results)
    for own, result in zip(alone, feed_results, strict=True):
        # A feed where nothing is announced has a float `name` column of NaN alone.
        pd.testing.assert_frame_equal(own, result.candidates, check_dtype=False)
        assert own.columns.tolist() == result.candidates.columns.tolist()
        assert (own.index == result.records.index).all()
    together = pd.concat([r.announcements for r in feed_results], ignore_index=True)
    every = announcement_table.detect_announcements(
        pd.concat([r.records for r in feed_results], ignore_index=True)
    )
    pd.testing.assert_frame_equal(together, every)
    # 369 (#15): 28 replayed items of OpenAI research posts that are now training labels (GPT-3's
    # paper, CLIP, Jukebox...; 13 in openai_news, 15 in the OpenAI research scrape) turn
    # announcements; 4 turn not (Dota 2 twice, DALL·E 2 pre-training mitigations, a webinar)
    assert int(together["is_model_announcement"].sum()) == 369
    assert normalize_feeds(feed_results) is feed_results  # done: nothing is redone


@pytest.mark.usefixtures("prefect_harness")
def test_a_run_detects_announcements_once_in_its_worker(warehouse, monkeypatch):
    # Before: once per feed at ingest and once more over all feeds in build_tables (3 here);
    # then once, in the run's process. Now once, in the worker, while this process ingests.
    here, sent = [], []
    decide = announcements.decide
    monkeypatch.setattr(announcements, "decide", lambda *a: here.append(1) or decide(*a))
    submit = RunWorker.submit
    monkeypatch.setattr(
        RunWorker, "submit", lambda self, fn, *a: sent.append(fn.__name__) or submit(self, fn, *a)
    )
    summary = refresh_landscape(
        mode="replay",
        warehouse=str(warehouse),
        sources=["feeds.qwen_blog", "feeds.xai_news_community"],
    )
    assert summary.status == "published"
    assert summary.rows["announcements"] == 44 + 39
    assert here == []
    assert sent.count("detect_feed_candidates") == 1


def test_detection_in_a_worker_gives_what_it_gives_here(feed_results):
    here = normalize_feeds([replace(r, candidates=None) for r in feed_results])
    with RunWorker() as worker:
        there = normalize_feeds([replace(r, candidates=None) for r in feed_results], worker.submit)
    for a, b in zip(here, there, strict=True):
        pd.testing.assert_frame_equal(a.candidates, b.candidates)
        pd.testing.assert_frame_equal(a.announcements, b.announcements)
    assert sum(int(r.announcements["is_model_announcement"].sum()) for r in there) == 369


def test_feeds_with_no_items_normalize_to_no_rows(feed_results):
    # A run whose feeds all came back empty (and the worker's warm-up, which detects over no
    # items): `apply_reference` raised KeyError 0 on a frame of no rows.
    empty = [replace(r, records=r.records.iloc[:0], candidates=None) for r in feed_results[:2]]
    normalize_feeds(empty)
    assert [len(r.candidates) for r in empty] == [0, 0]
    assert [len(r.announcements) for r in empty] == [0, 0]
    [full] = normalize_feeds([replace(feed_results[0], candidates=None)])
    assert empty[0].candidates.columns.tolist() == full.candidates.columns.tolist()
    warm_detection()  # the same pass over a frame built from the columns alone
