"""The real licence and parameter strings of `data/replay/`, every cell, repeats kept.

Read through the sources' own fetch (replay), parse and normalize, so the strings are exactly
what the pipeline sees. Tests classify them; `bench/normalize.py` resamples them to a million
rows with their real frequencies.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import pandas as pd

from ai_landscape.http.client import ReplayClient
from ai_landscape.pipeline.ingest import Document, parse_documents
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.sources.huggingface.census_constants import KEY as CENSUS_KEY

RETRIEVED_AT = datetime(2026, 5, 2, tzinfo=UTC)
SOURCES_WITH_LICENCES = ("epoch", "huggingface", "modelsdev")
EPOCH_LICENCE_FIELDS = ("Model accessibility", "Accessibility notes")
EPOCH_PARAMETER_FIELDS = ("Parameters", "Parameters notes")
HF_LICENCE_TAG = r'"license:([^"]+)"'


@cache
def replay_frames(source: str) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """dataset -> (records, candidates) of one source, as a replay run builds them."""
    spec, client = SOURCES[source], ReplayClient()
    frames = {}
    for dataset, url in spec.urls.items():
        if dataset in spec.live_only or f"{source}.{dataset}" == CENSUS_KEY:
            continue  # the census streams around ingest (pipeline/census): not a frame
        documents = [
            Document(
                {"url": r.url, "raw_locator": f"replay/{i}", "retrieved_at": RETRIEVED_AT}, r.body
            )
            for i, r in enumerate(spec.fetch(client, dataset, url))
        ]
        frames[dataset] = parse_documents(spec, DatasetRequest(source, dataset, url), documents)
    return frames


def source_candidates(source: str, dataset: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, candidates) of one dataset, the candidates as the source's own normalizer
    builds them from the real records: before `apply_reference` (which `parse_documents`
    applies) and without `locator`. Fresh copies each call, so a test may corrupt them."""
    records, _ = replay_frames(source)[dataset]
    return records.copy(), SOURCES[source].normalize(records, dataset)


def _cells(source: str, dataset: str, field: str, values: pd.Series) -> pd.DataFrame:
    text = values.dropna().astype(str)
    text = text[text.str.strip() != ""]
    return pd.DataFrame({"source": source, "dataset": dataset, "field": field, "text": text})


@cache
def licence_cells() -> pd.DataFrame:
    """source, dataset, field, text: Epoch's accessibility labels and notes, Hugging Face's
    card licence, `license_name` and `license:` tags, models.dev's `license`."""
    parts = []
    for dataset, (records, _) in replay_frames("epoch").items():
        parts += [_cells("epoch", dataset, f, records[f]) for f in EPOCH_LICENCE_FIELDS]
    for dataset, (records, _) in replay_frames("huggingface").items():
        for field in ("cardData.license", "cardData.license_name"):
            parts.append(_cells("huggingface", dataset, field, records[field]))
        tags = records["tags"].astype(str).str.findall(HF_LICENCE_TAG).explode()
        parts.append(_cells("huggingface", dataset, "tags license:", tags))
    for dataset, (records, _) in replay_frames("modelsdev").items():
        parts.append(_cells("modelsdev", dataset, "license", records["license"]))
    return pd.concat(parts, ignore_index=True)


@cache
def parameter_cells() -> pd.DataFrame:
    """source, dataset, field, text: Epoch's `Parameters` and `Parameters notes`, Hugging
    Face's `safetensors.total` (the Hub's integer, as text)."""
    parts = []
    for dataset, (records, _) in replay_frames("epoch").items():
        parts += [_cells("epoch", dataset, f, records[f]) for f in EPOCH_PARAMETER_FIELDS]
    for dataset, (records, _) in replay_frames("huggingface").items():
        total = pd.to_numeric(records["safetensors.total"], errors="coerce").dropna()
        parts.append(_cells("huggingface", dataset, "safetensors.total", total.astype("int64")))
    return pd.concat(parts, ignore_index=True)
