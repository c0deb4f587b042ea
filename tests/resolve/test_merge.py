"""Merging one model's candidates from several sources: which record supplies which field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ai_landscape.pipeline.ingest import Document, parse_documents
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.resolve.merge import merge_candidates

ROOT = Path(__file__).resolve().parents[2]
SEEN = dt.datetime(2026, 8, 2, tzinfo=dt.UTC)


def candidates(source: str, dataset: str, relative: str) -> pd.DataFrame:
    path = ROOT / relative
    document = Document(
        {"url": str(path), "raw_locator": f"replay/{relative}", "retrieved_at": SEEN},
        path.read_bytes(),
    )
    request = DatasetRequest(source, dataset, str(path))
    return parse_documents(SOURCES[source], request, [document])[1]


def test_a_publication_date_beats_a_listing_date_whatever_the_source_rank():
    epoch = candidates("epoch", "notable", "data/replay/epoch/notable_ai_models.csv")
    listed = candidates("openrouter", "models", "data/replay/openrouter/models.json")
    both = pd.concat([listed, epoch], ignore_index=True)
    # OpenRouter ranked first on purpose: rank decides other fields, not the kind of date.
    models = merge_candidates(
        both, rank=("openrouter.models", "epoch.notable"), previous=None, seen_at=SEEN
    ).set_index("model_id")
    glm5 = models.loc["z.ai-zhipu-ai/glm-5"]
    listing = listed.set_index("model_id").loc["z.ai-zhipu-ai/glm-5"]
    # OpenRouter listed GLM-5 six days before Epoch's publication date: earlier, but a
    # listing date, so it loses to the publication.
    assert str(listing["release_date"]) == "2026-02-11"
    assert str(glm5["release_date"]) == "2026-02-17"
    assert glm5["release_date_source"] == "epoch.notable:Publication date"
    assert glm5["sources"] == ["epoch", "openrouter"]
    assert glm5["name"] == listing["name"]  # rank decides the other fields


def test_only_a_listing_date_is_used_when_nothing_better_exists_and_says_so():
    listed = candidates("openrouter", "models", "data/replay/openrouter/models.json")
    models = merge_candidates(
        listed, rank=("openrouter.models",), previous=None, seen_at=SEEN
    ).set_index("model_id")
    assert str(models.loc["z.ai-zhipu-ai/glm-5", "release_date"]) == "2026-02-11"
    assert models.loc["z.ai-zhipu-ai/glm-5", "release_date_source"] == (
        "openrouter.models:created (listing date)"
    )


def test_list_fields_of_one_length_stay_lists_of_their_own():
    """OpenRouter alone: every model has one source and one organization, lists of one length
    that a 2-D construction would have turned into a table's columns."""
    listed = candidates("openrouter", "models", "data/replay/openrouter/models.json")
    models = merge_candidates(listed, rank=("openrouter.models",), previous=None, seen_at=SEEN)
    assert len(models) == 317
    lengths = {f: models[f].map(len).value_counts().to_dict() for f in ("sources", "hf_repo_ids")}
    assert lengths == {"sources": {1: 317}, "hf_repo_ids": {0: 173, 1: 144}}
    assert all(type(v) is list for f in ("sources", "organizations") for v in models[f])
    assert models["sources"].iloc[0] == ["openrouter"]
    assert models["sources"].iloc[0] is not models["sources"].iloc[1]
