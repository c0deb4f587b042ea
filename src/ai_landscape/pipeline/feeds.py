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
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcement_table import detect_announcements, normalize_records
from ai_landscape.normalize.reference import apply_reference
from ai_landscape.pipeline.ingest import DatasetResult
from ai_landscape.resolve.merge import candidate_locators
from ai_landscape.sources.feeds.constants import SOURCE


def normalize_feeds(results: list[DatasetResult]) -> list[DatasetResult]:
    """Fills `candidates` and `announcements` of every feed result that has records and no
    candidates yet (as `ingest` leaves them); the other results are left as they are.
    Returns `results`."""
    pending = [
        r
        for r in results
        if r.request.source == SOURCE and r.records is not None and r.candidates is None
    ]
    if not pending:
        return results
    sizes = [len(r.records) for r in pending]
    records = pd.concat([r.records for r in pending], ignore_index=True)
    datasets = pd.Series(np.repeat([r.request.dataset for r in pending], sizes), dtype="str")
    found = detect_announcements(records)
    candidates = apply_reference(normalize_records(records, datasets, found))
    candidates["locator"] = candidate_locators(candidates, records["_raw_locator"])
    ends = np.cumsum(sizes)
    for result, end, size in zip(pending, ends, sizes, strict=True):
        rows = slice(end - size, end)
        result.candidates = candidates.iloc[rows].set_axis(result.records.index)
        result.announcements = found.iloc[rows].set_axis(result.records.index)
    return results
