"""One dataset from the network (or the raw zone) to parsed records and model candidates.

A dataset that cannot be fetched or parsed today falls back to the bytes the previous
snapshot used, which the raw zone still holds: its records carry over marked stale instead
of vanishing, so one broken source never reads as "models removed". Only a dataset with no
earlier copy fails outright.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ai_landscape.http.client import FetchError, HttpClient
from ai_landscape.http.rawzone import RawObject, RawZone
from ai_landscape.normalize.reference import apply_reference
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.resolve.merge import candidate_locators
from ai_landscape.sources.base import SourceSchemaError, SourceSpec
from ai_landscape.sources.feeds.constants import SOURCE as FEEDS


@dataclass(frozen=True)
class Document:
    """One fetched body and what the manifest says of it."""

    info: dict
    body: bytes


@dataclass
class DatasetResult:
    request: DatasetRequest
    status: str = "failed"  # ok | stale | failed
    info: dict = field(default_factory=dict)
    records: pd.DataFrame | None = None
    candidates: pd.DataFrame | None = None
    error: str | None = None
    # A feed's `announcements` rows (pipeline/feeds.py); None for other sources.
    announcements: pd.DataFrame | None = None


def ingest(
    request: DatasetRequest,
    client: HttpClient,
    warehouse: Path,
    previous_info: dict | None = None,
) -> DatasetResult:
    """`previous_info` is this dataset's entry in the previous snapshot's manifest. A feed's
    candidates are left to `pipeline.feeds.normalize_feeds`, which normalizes every feed at
    once (the announcement rules cost as much for 4 items as for 600)."""
    started = time.perf_counter()
    spec = SOURCES[request.source]
    zone = RawZone(warehouse)
    result = DatasetResult(request)
    try:
        documents = fetch_documents(spec, request, client, zone)
        records = parse_records(spec, request, documents)
        result.status = "ok"
    except (FetchError, SourceSchemaError) as exc:
        result.error = f"{request.key}: {exc}"
        result.info = {"status": "failed", "url": request.url, "error": str(exc)}
        if request.explicit:
            result.info["explicit_url"] = True
            return result
        documents = reload_documents(zone, previous_info)
        if not documents:
            return result
        try:
            records = parse_records(spec, request, documents)
        except SourceSchemaError as again:
            result.info["error"] += f"; the earlier copy does not parse either: {again}"
            return result
        result.status = "stale"
    result.records = records.assign(_stale=result.status == "stale")
    if request.source != FEEDS:
        result.candidates = normalized(spec, request.dataset, records)
    result.info = _summarize(request, result.status, documents, len(records))
    if result.status == "stale":
        result.info["error"] = result.error.split(": ", 1)[1]
        result.info["stale_since"] = documents[0].info["retrieved_at"]
    result.info["seconds"] = round(time.perf_counter() - started, 3)
    return result


def fetch_documents(
    spec: SourceSpec, request: DatasetRequest, client: HttpClient, zone: RawZone
) -> list[Document]:
    """Every response is kept in the raw zone before anything parses it."""
    documents = []
    for response in spec.fetch(client, request.dataset, request.url):
        raw = zone.store(request.source, request.dataset, response)
        documents.append(Document(_document_info(raw), response.body))
    return documents


def reload_documents(zone: RawZone, previous_info: dict | None) -> list[Document] | None:
    if not previous_info or previous_info.get("status") not in ("ok", "stale"):
        return None
    try:
        return [Document(d, zone.read(d["raw_locator"])) for d in previous_info["documents"]]
    except (KeyError, OSError):
        return None


def parse_documents(
    spec: SourceSpec, request: DatasetRequest, documents: list[Document]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, candidates) of one dataset's documents, normalized on their own."""
    records = parse_records(spec, request, documents)
    return records, normalized(spec, request.dataset, records)


def parse_records(
    spec: SourceSpec, request: DatasetRequest, documents: list[Document]
) -> pd.DataFrame:
    pages = [
        spec.parse(d.body, request.dataset, d.info["url"]).assign(
            _raw_locator=d.info["raw_locator"],
            _retrieved_at=pd.Timestamp(d.info["retrieved_at"]),
        )
        for d in documents
    ]
    return pd.concat(pages, ignore_index=True)


def normalized(spec: SourceSpec, dataset: str, records: pd.DataFrame) -> pd.DataFrame:
    """One dataset's candidate rows, with each record's locator."""
    # The reviewed reference tables (organizations, licences, compute rules) apply to every
    # source alike, after its own normalizer.
    candidates = apply_reference(spec.normalize(records, dataset))
    candidates["locator"] = candidate_locators(candidates, records["_raw_locator"])
    return candidates


def _document_info(raw: RawObject) -> dict:
    return {
        "url": raw.url,
        "http_status": raw.status,
        "bytes": raw.bytes,
        "sha256": raw.sha256,
        "retrieved_at": raw.retrieved_at,
        "recorded_at": raw.recorded_at,
        "raw_locator": raw.locator,
    }


def _summarize(request: DatasetRequest, status: str, documents: list[Document], rows: int) -> dict:
    """The manifest entry: the first document's facts at the top (most datasets have one),
    every document listed so a later run can reload exactly these bytes."""
    first = documents[0].info
    return {
        **first,
        "status": status,
        "url": request.url if len(documents) > 1 else first["url"],
        "bytes": sum(d.info["bytes"] for d in documents),
        "records": rows,
        "documents": [d.info for d in documents],
    }


def failure_reason(results: list[DatasetResult]) -> str:
    """Why a run with failed datasets publishes nothing, naming each kind of failure."""
    failed = [r for r in results if r.status == "failed"]
    explicit = [r.request.key for r in failed if r.request.explicit]
    other = [r.request.key for r in failed if not r.request.explicit]
    parts = []
    if explicit:
        parts.append(
            f"{', '.join(explicit)} failed at the URL given with --source-url "
            "(an explicit URL is never carried over)"
        )
    if other:
        parts.append(f"{', '.join(other)} failed with no earlier copy to carry over")
    return "; ".join(parts) + "; nothing published"
