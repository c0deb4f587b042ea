"""Every feed dataset normalized in one pass, after all are fetched and parsed (issue #17).

A run reads about thirty feeds of 4 to 600 items each. Their normalizer is the announcement
rules (`normalize/announcements.py`): some 35 regular-expression passes and a hundred pandas
calls per call, whatever the number of items. Called once per feed in the ingest threads and
once more over all feeds for the `announcements` table, that fixed cost was paid 32 times: the
replay's feeds took 4.5 s of CPU one feed at a time against 1.2 s in one call, for the same
rows. So `ingest` leaves a feed's candidates to `normalize_feeds`, which detects once over
every feed's items and gives each dataset its slice of the candidates and of the
`announcements` rows, which `build_tables` then reuses.

Detection reads each item alone (its text, and its link among its own feed's links), so one
pass over the concatenated items gives each item the answer its feed alone gave it.

That pass (about 1.1 s of CPU on the replay, mostly regular expressions holding the GIL) goes
to the run's worker process when it has one, so this process ingests the other sources
meanwhile; its answer is the same (a test compares them).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcement_table import detect_announcements, normalize_records
from ai_landscape.normalize.reference import apply_reference
from ai_landscape.pipeline.ingest import DatasetResult
from ai_landscape.pipeline.worker import sender, worker_result
from ai_landscape.resolve.merge import candidate_locators
from ai_landscape.sources.feeds.constants import RECORD_COLUMNS, SOURCE
from ai_landscape.submit import Submit


@dataclass(frozen=True)
class FeedDetection:
    """Detection over some feed results, sent (`send_feed_detection`) and not yet applied."""

    pending: list[DatasetResult]
    future: Future
    job: tuple


def normalize_feeds(
    results: list[DatasetResult], submit: Submit | None = None
) -> list[DatasetResult]:
    """Fills `candidates` and `announcements` of every feed result that has records and no
    candidates yet (as `ingest` leaves them); the other results are left as they are.
    `submit`: the run's worker. Returns `results`."""
    apply_feed_detection(send_feed_detection(results, submit))
    return results


def send_feed_detection(
    results: list[DatasetResult], submit: Submit | None = None
) -> FeedDetection | None:
    """Detection over the feed results `normalize_feeds` would fill, sent to `submit` (unless
    the items are too many to send: then done here); None when there are none."""
    pending = [
        r
        for r in results
        if r.request.source == SOURCE and r.records is not None and r.candidates is None
    ]
    if not pending:
        return None
    sizes = [len(r.records) for r in pending]
    records = pd.concat([r.records for r in pending], ignore_index=True)
    datasets = pd.Series(np.repeat([r.request.dataset for r in pending], sizes), dtype="str")
    job = (detect_feed_candidates, records, datasets)
    return FeedDetection(pending, sender(submit, [records])(*job), job)


def apply_feed_detection(detection: FeedDetection | None) -> None:
    """Waits for a detection and gives each feed result its slice of the candidates and of
    the `announcements` rows (a worker that died under it leaves the work to this process)."""
    if detection is None:
        return
    candidates, found = worker_result(detection.future, *detection.job)
    sizes = [len(r.records) for r in detection.pending]
    ends = np.cumsum(sizes)
    for result, end, size in zip(detection.pending, ends, sizes, strict=True):
        rows = slice(end - size, end)
        result.candidates = candidates.iloc[rows].set_axis(result.records.index)
        result.announcements = found.iloc[rows].set_axis(result.records.index)


def detect_feed_candidates(
    records: pd.DataFrame, datasets: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(candidates, announcements) of the concatenated feed items; `datasets` names each
    item's dataset."""
    found = detect_announcements(records)
    candidates = apply_reference(normalize_records(records, datasets, found))
    candidates["locator"] = candidate_locators(candidates, records["_raw_locator"])
    return candidates, found


def warm_detection() -> None:
    """Detection over no items, which builds what a process's first detection builds before
    reading one (the vocabulary's patterns, the compiled rules, the reference tables: about
    0.4 s of CPU). The run's worker does it before the run (pipeline/early.py)."""
    columns = {"_row": "int64", **dict.fromkeys(RECORD_COLUMNS, "str"), "_raw_locator": "str"}
    records = pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in columns.items()})
    detect_feed_candidates(records, pd.Series(dtype="str"))
