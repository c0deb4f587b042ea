"""Contract tables built from the real recorded Epoch exports, without Prefect.

Unit tests of later stages (store, validation) start from these rows, or corrupted copies of
them, rather than from hand-typed payloads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pandas as pd

from ai_landscape.pipeline.ingest import DatasetResult, Document, parse_documents
from ai_landscape.pipeline.registry import DATASET_RANK, SOURCES
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.pipeline.source_records import source_records_of
from ai_landscape.report.summary import summary_by_year
from ai_landscape.resolve.merge import merge_candidates
from tests.conftest import REPLAY_EPOCH

SEEN_AT = datetime(2026, 5, 2, 12, 0, tzinfo=UTC)


@cache
def _parsed() -> tuple[tuple[DatasetRequest, pd.DataFrame, pd.DataFrame], ...]:
    """(request, records, candidates) of each real Epoch export, as ingest leaves them."""
    spec = SOURCES["epoch"]
    parsed = []
    for dataset, url in spec.urls.items():
        path = REPLAY_EPOCH / url.rsplit("/", 1)[-1]
        document = Document(
            {"url": str(path), "raw_locator": f"replay/epoch/{path.name}", "retrieved_at": SEEN_AT},
            path.read_bytes(),
        )
        request = DatasetRequest("epoch", dataset, str(path))
        records, candidates = parse_documents(spec, request, [document])
        parsed.append((request, records.assign(_stale=False), candidates))
    return tuple(parsed)


def replay_results() -> list[DatasetResult]:
    """The real Epoch datasets as ingest returns them (copies: a test may change them); the
    inputs of `replay_tables`."""
    return [
        DatasetResult(request, "ok", records=records.copy(), candidates=candidates.copy())
        for request, records, candidates in _parsed()
    ]


@cache
def _replay_tables() -> dict[str, pd.DataFrame]:
    records = [source_records_of(r, c) for _, r, c in _parsed()]
    candidates = [c for _, _, c in _parsed()]
    models = merge_candidates(
        pd.concat(candidates, ignore_index=True),
        rank=DATASET_RANK,
        previous=None,
        seen_at=SEEN_AT,
    )
    return {
        "models": models,
        "source_records": pd.concat(records, ignore_index=True),
        "summary_by_year": summary_by_year(models),
    }


def replay_tables() -> dict[str, pd.DataFrame]:
    """Fresh copies each call, so a test may corrupt them freely."""
    return {name: frame.copy(deep=True) for name, frame in _replay_tables().items()}


def replay_models(*model_ids: str) -> pd.DataFrame:
    """The real `models` rows (all, or the named ones in that order), index reset."""
    models = replay_tables()["models"]
    if model_ids:
        models = models.set_index("model_id").loc[list(model_ids)].reset_index()
        models = models[list(_replay_tables()["models"].columns)]
    return models.reset_index(drop=True)
