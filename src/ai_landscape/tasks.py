"""The pipeline's stages as Prefect tasks. Each is a thin call into a stage module.

Tasks take and return plain data so `.fn()` runs them without the engine in unit tests.
Caching is off: inputs are DataFrames, and a refresh must always look again.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from ai_landscape.http.client import HttpClient
from ai_landscape.ingest import DatasetResult, ingest
from ai_landscape.normalize.announcements import detect_announcements
from ai_landscape.publish.store import PublishResult, SnapshotStore
from ai_landscape.report.summary import summary_by_year
from ai_landscape.resolve.conflicts import find_conflicts
from ai_landscape.resolve.events import detect_events
from ai_landscape.resolve.ids import previous_ids
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.precedence import DATASET_RANK
from ai_landscape.resolve.resolution import resolve
from ai_landscape.schema import TABLES
from ai_landscape.selection import DatasetRequest
from ai_landscape.sources.registry import SOURCES

# Times that change on every run even when the data does not; left out of the content hash.
VOLATILE_COLUMNS = {"models": ["first_seen", "last_seen"], "source_records": ["retrieved_at"]}


@task(cache_policy=NO_CACHE, retries=0, task_run_name="ingest-{request.key}")
def ingest_dataset(
    request: DatasetRequest, client: HttpClient, warehouse: Path, previous_info: dict | None
) -> DatasetResult:
    """Failures come back in the result, not as exceptions, so one broken dataset never
    stops the others from being fetched and reported."""
    return ingest(request, client, warehouse, previous_info)


@task(cache_policy=NO_CACHE)
def build_tables(
    results: list[DatasetResult],
    previous: dict[str, pd.DataFrame],
    previous_id: str | None,
    seen_at: datetime,
) -> dict[str, pd.DataFrame]:
    """`previous`: the previous snapshot's `models` and `source_records` (empty: none)."""
    previous_models = previous.get("models")
    candidates = pd.concat([r.candidates for r in results], ignore_index=True)
    candidates = resolve(
        candidates,
        DATASET_RANK,
        previous_ids=previous_ids(candidates, previous.get("source_records")),
        attach_only=[name for name, spec in SOURCES.items() if not spec.creates_models],
    )
    _write_back(results, candidates)
    models = merge_candidates(
        candidates, rank=DATASET_RANK, previous=previous_models, seen_at=seen_at
    )
    conflicts = find_conflicts(candidates, models)
    events, models = detect_events(
        previous_models,
        models,
        detected_at=seen_at,
        previous_id=previous_id,
        keep_removed=any(r.status != "ok" for r in results),
    )
    records = pd.concat(
        [source_records_of(r.records, r.candidates) for r in results], ignore_index=True
    )
    feed_records = [r.records for r in results if r.request.source == "feeds"]
    announcements = (
        detect_announcements(pd.concat(feed_records, ignore_index=True))
        if feed_records
        else pd.DataFrame(columns=[c.name for c in TABLES["announcements"]])
    )
    return {
        "models": models,
        "source_records": records,
        "summary_by_year": summary_by_year(models),
        "announcements": announcements,
        "events": events,
        "conflicts": conflicts[conflicts["model_id"].isin(models["model_id"])],
    }


def _write_back(results: list[DatasetResult], resolved: pd.DataFrame) -> None:
    """Each dataset's candidates get the model ids resolution gave them (`resolved` is their
    concatenation, in order), so `source_records` says which model each record became."""
    start = 0
    for r in results:
        part = resolved.iloc[start : start + len(r.candidates)]
        r.candidates["model_id"] = part["model_id"].to_numpy()
        r.candidates["base_model_id"] = part["base_model_id"].to_numpy()
        start += len(r.candidates)


def source_records_of(records: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Every parsed record kept whole (as JSON), with the model it resolved to."""
    fields = records.drop(columns=["_row", "_raw_locator", "_retrieved_at", "_stale"])
    as_json = pd.Series(
        fields.to_json(orient="records", lines=True, force_ascii=False).splitlines(),
        index=records.index,
    ).str.replace("\\/", "/")
    return pd.DataFrame(
        {
            "source": candidates["source"],
            "dataset": candidates["dataset"],
            "row": candidates["row"],
            "source_key": candidates["source_key"].fillna("").astype(str),
            "model_id": candidates["model_id"],
            "raw_locator": records["_raw_locator"],
            "retrieved_at": records["_retrieved_at"],
            "stale": records["_stale"],
            "record": as_json,
        }
    )


@task(cache_policy=NO_CACHE)
def validate_tables(
    tables: dict[str, pd.DataFrame],
    results: list[DatasetResult],
    previous_manifest: dict | None,
    run_id: str,
    warehouse: Path,
    max_removed_share: float | None = None,
):
    """The validation gate; writes the run's Data Docs, and its quarantine when it publishes."""
    from ai_landscape.validate.docs import create_validation_artifacts, write_data_docs
    from ai_landscape.validate.gate import gate, previous_counts_from_manifest, write_quarantine

    previous_models = (previous_manifest or {}).get("tables", {}).get("models", {}).get("rows")
    result = gate(
        tables,
        {r.request.key: r.records for r in results if r.records is not None},
        previous_counts_from_manifest(previous_manifest),
        run_id,
        previous_models=previous_models,
        max_removed_share=max_removed_share,
    )
    docs = write_data_docs(warehouse, run_id, result)
    result.summary["data_docs"] = docs.relative_to(warehouse).as_posix()
    if result.publishable:
        result.summary["quarantine"] = write_quarantine(warehouse, run_id, result.quarantined)
    create_validation_artifacts(result, docs)
    return result


@task(cache_policy=NO_CACHE)
def publish_snapshot(
    warehouse: Path,
    tables: dict[str, pd.DataFrame],
    created_at: datetime,
    info: dict,
    parent_id: str | None = None,
) -> PublishResult:
    """`parent_id`: the snapshot this run read and computed its events against; the publish
    refuses if another has become the latest since."""
    info = json.loads(json.dumps(info, default=str))  # the manifest is plain JSON
    return SnapshotStore(warehouse).publish(
        tables,
        created_at=created_at,
        info=info,
        volatile_columns=VOLATILE_COLUMNS,
        expected_parent=parent_id,
    )


@task(cache_policy=NO_CACHE)
def draw_report(warehouse: Path, snapshot_id: str) -> str | None:
    """The snapshot's charts and HTML page; a drawing failure is logged, never fails a run
    whose data is already published."""
    from ai_landscape.report.build import build_report

    try:
        return str(build_report(warehouse, snapshot_id).page)
    except Exception:  # reported, and the data stays published
        get_run_logger().exception("report for %s could not be drawn", snapshot_id)
        return None
