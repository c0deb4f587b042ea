"""From every dataset's candidates to the tables a snapshot holds, before the validation gate.

Resolution, merging, conflicts and events are pure stages; this module composes them in the
order the data needs and writes back to each dataset which model each of its records became.
`source_records` (every record as JSON, beside its model) is added apart (`add_source_records`):
no suite reads it, so a run builds it while its worker checks the other tables
(`checks.validate_tables`), not before. `summary_by_year` is derived after the gate
(`finalize.py`), from the models that passed.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ai_landscape.normalize.announcement_table import detect_announcements
from ai_landscape.pipeline.ingest import DatasetResult
from ai_landscape.pipeline.registry import ATTACH_ONLY, DATASET_RANK
from ai_landscape.pipeline.source_records import source_records_table
from ai_landscape.resolve.assign_ids import previous_ids
from ai_landscape.resolve.conflicts import find_conflicts
from ai_landscape.resolve.events import detect_events
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.resolution import resolve
from ai_landscape.schema import TABLES

# Times that change on every run even when the data does not; left out of the content hash.
VOLATILE_COLUMNS = {"models": ["first_seen", "last_seen"], "source_records": ["retrieved_at"]}


def build_tables(
    results: list[DatasetResult],
    previous: dict[str, pd.DataFrame],
    previous_id: str | None,
    seen_at: datetime,
) -> dict[str, pd.DataFrame]:
    """Every table but `source_records` (`add_source_records`), which needs the model ids this
    writes back to the results. `previous`: the previous snapshot's `models` and
    `source_records` (empty: none)."""
    previous_models = previous.get("models")
    candidates = pd.concat([r.candidates for r in results], ignore_index=True)
    candidates = resolve(
        candidates,
        DATASET_RANK,
        previous_ids=previous_ids(candidates, previous.get("source_records")),
        attach_only=list(ATTACH_ONLY),
    )
    _write_back(results, candidates)
    models = merge_candidates(
        candidates, rank=DATASET_RANK, previous=previous_models, seen_at=seen_at
    )
    models.attrs["multi_catalogue"] = candidates.attrs.get("multi_catalogue", {})
    conflicts = find_conflicts(candidates, models)
    del candidates  # every dataset's candidates, resolved: not needed below (#17)
    events, models = detect_events(
        previous_models,
        models,
        detected_at=seen_at,
        previous_id=previous_id,
        keep_removed=any(r.status != "ok" for r in results),
    )
    feeds = [r for r in results if r.request.source == "feeds"]
    if not feeds:
        announcements = pd.DataFrame(columns=[c.name for c in TABLES["announcements"]])
    elif all(r.announcements is not None for r in feeds):  # detected at ingest (feeds.py)
        announcements = pd.concat([r.announcements for r in feeds], ignore_index=True)
    else:
        announcements = detect_announcements(
            pd.concat([r.records for r in feeds], ignore_index=True)
        )
    return {
        "models": models,
        "announcements": announcements,
        "events": events,
        "conflicts": conflicts[conflicts["model_id"].isin(models["model_id"])],
    }


def add_source_records(tables: dict[str, pd.DataFrame], results: list[DatasetResult]) -> None:
    """`tables` (`build_tables`' answer for these results) gains `source_records`, second
    as in the schema, so the tables keep the schema's order in every summary."""
    records = source_records_table((r.records, r.candidates) for r in results)
    rest = dict(tables)
    tables.clear()
    tables.update(models=rest.pop("models"), source_records=records, **rest)


def _write_back(results: list[DatasetResult], resolved: pd.DataFrame) -> None:
    """Each dataset's candidates get the model ids resolution gave them (`resolved` is their
    concatenation, in order), so `source_records` says which model each record became."""
    start = 0
    for r in results:
        part = resolved.iloc[start : start + len(r.candidates)]
        r.candidates["model_id"] = part["model_id"].to_numpy()
        r.candidates["base_model_id"] = part["base_model_id"].to_numpy()
        start += len(r.candidates)
