"""The pipeline's stages as Prefect tasks. Each is a thin call into a stage module.

Tasks take and return plain data so `.fn()` runs them without the engine in unit tests.
Caching is off: inputs are DataFrames, and a refresh must always look again.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from ai_landscape.http.client import FetchError, HttpClient
from ai_landscape.http.rawzone import RawObject, RawZone
from ai_landscape.publish.store import PublishResult, SnapshotStore
from ai_landscape.report.summary import summary_by_year
from ai_landscape.resolve.merge import candidate_locators, merge_candidates
from ai_landscape.selection import DatasetRequest
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.registry import SOURCES

# Where several datasets list one model, the one a source names first wins (SourceSpec.urls).
DATASET_RANK = tuple(dataset for spec in SOURCES.values() for dataset in spec.urls)
VOLATILE_COLUMNS = {"models": ["first_seen", "last_seen"]}


@dataclass
class DatasetResult:
    """What one dataset's fetch and parse produced; `error` set means it failed."""

    request: DatasetRequest
    info: dict = field(default_factory=dict)
    records: pd.DataFrame | None = None
    candidates: pd.DataFrame | None = None
    error: str | None = None
    seconds: float = 0.0


@task(cache_policy=NO_CACHE, retries=0, task_run_name="fetch-parse-{request.key}")
def fetch_and_parse(request: DatasetRequest, client: HttpClient, warehouse: Path) -> DatasetResult:
    """Fetch, keep the bytes, parse and normalize one dataset; failures are returned, not raised,
    so one broken dataset never stops the others from being fetched and reported."""
    started = time.perf_counter()
    result = DatasetResult(request, info={"status": "failed", "url": request.url})
    spec = SOURCES[request.source]
    zone = RawZone(warehouse)
    try:
        pages = []
        for response in spec.fetch(client, request.dataset, request.url):
            raw = zone.store(request.source, request.dataset, response)
            result.info.setdefault("documents", []).append(_document_info(raw))
            records = spec.parse(response.body, request.dataset, raw.url)
            pages.append(records.assign(_raw_locator=raw.locator))
        records = pd.concat(pages, ignore_index=True)
        candidates = spec.normalize(records, request.dataset)
    except (FetchError, SourceSchemaError) as exc:
        result.error = f"{request.key}: {exc}"
        result.info["error"] = str(exc)
    else:
        candidates["locator"] = candidate_locators(candidates, records["_raw_locator"])
        result.records = records
        result.candidates = candidates
        documents = result.info["documents"]
        result.info.update(status="ok", records=len(records), **documents[0])
        if len(documents) == 1:
            del result.info["documents"]
    result.seconds = time.perf_counter() - started
    return result


def _document_info(raw: RawObject) -> dict:
    """What the manifest says of one fetched document."""
    return {
        "url": raw.url,
        "http_status": raw.status,
        "bytes": raw.bytes,
        "sha256": raw.sha256,
        "retrieved_at": raw.retrieved_at,
        "recorded_at": raw.recorded_at,
        "raw_locator": raw.locator,
    }


@task(cache_policy=NO_CACHE)
def build_tables(
    results: list[DatasetResult], previous_models: pd.DataFrame | None, seen_at: datetime
) -> dict[str, pd.DataFrame]:
    curated = [r.candidates for r in results if SOURCES[r.request.source].in_models]
    candidates = pd.concat(curated, ignore_index=True)
    models = merge_candidates(
        candidates, rank=DATASET_RANK, previous=previous_models, seen_at=seen_at
    )
    records = pd.concat(
        [source_records_of(r.records, r.candidates) for r in results], ignore_index=True
    )
    return {
        "models": models,
        "source_records": records,
        "summary_by_year": summary_by_year(models),
    }


def source_records_of(records: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Every parsed record kept whole (as JSON), with the model it resolved to."""
    fields = records.drop(columns=["_row", "_raw_locator"])
    as_json = pd.Series(
        fields.to_json(orient="records", lines=True, force_ascii=False).splitlines(),
        index=records.index,
    ).str.replace("\\/", "/")
    return pd.DataFrame(
        {
            "source": candidates["source"],
            "dataset": candidates["dataset"],
            "row": candidates["row"],
            "source_key": candidates["name"].fillna(""),
            "model_id": candidates["model_id"],
            "raw_locator": records["_raw_locator"],
            "record": as_json,
        }
    )


@task(cache_policy=NO_CACHE)
def validate_models(models: pd.DataFrame):
    from ai_landscape.validate.gx_runner import validate_frame

    return validate_frame(models, "models")


@task(cache_policy=NO_CACHE)
def publish_snapshot(
    warehouse: Path, tables: dict[str, pd.DataFrame], created_at: datetime, info: dict
) -> PublishResult:
    info = json.loads(json.dumps(info, default=str))  # the manifest is plain JSON
    return SnapshotStore(warehouse).publish(
        tables, created_at=created_at, info=info, volatile_columns=VOLATILE_COLUMNS
    )
