"""Resolution must keep apart different models that a name-based matcher could merge.

`distinct_versions.csv` lists hand-checked pairs of real replay records of one organization
with near-identical names that are different models: versions (Claude Opus 4.6 vs 4.8), sizes
(Qwen2.5-32B vs 72B), dated revisions (DeepSeek-V3 vs V3-0324), tiers (Gemini 2.5 Pro vs
Flash), instruct vs base, thinking vs non-thinking, and equal slugs naming different models
(OpenRouter's `deepseek/deepseek-chat` is V3, models.dev's is V3.2). Each row says why.
Merging any of them would silently mix two models' facts, so no pair may share a model_id.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.resolution import resolve
from tests.resolve.test_links import all_candidates

PAIRS = Path(__file__).with_name("distinct_versions.csv")


def load_pairs() -> pd.DataFrame:
    return pd.read_csv(PAIRS, dtype=str, keep_default_na=False)


@cache
def resolved() -> pd.DataFrame:
    return resolve(all_candidates(), rank=DATASET_RANK)


def resolved_without(module, name: str, replacement) -> pd.DataFrame:
    """The replay resolved with `module.name` replaced: what one rule adds, measured by its
    absence (the attribute is put back however resolution ends)."""
    original = getattr(module, name)
    setattr(module, name, replacement(original))
    try:
        return resolve(all_candidates(), rank=DATASET_RANK)
    finally:
        setattr(module, name, original)


def records(frame: pd.DataFrame, source: str, key: str) -> pd.DataFrame:
    """A record's rows: Epoch repeats one key across datasets; OpenRouter's `x:free` is `x`."""
    return frame[(frame["source"] == source) & frame["source_key"].isin([key, f"{key}:free"])]


def test_every_pair_names_two_existing_distinct_records():
    pairs = load_pairs()
    frame = all_candidates()
    assert len(pairs) == 91
    assert len(pairs) >= 30
    assert not pairs.duplicated(["source_a", "key_a", "source_b", "key_b"]).any()
    for row in pairs.itertuples():
        a = records(frame, row.source_a, row.key_a)
        b = records(frame, row.source_b, row.key_b)
        assert len(a), row
        assert len(b), row
        assert a.index.intersection(b.index).empty, row
        assert row.why.strip(), row


def test_resolution_keeps_each_pair_apart():
    frame = resolved()
    failures = []
    for row in load_pairs().itertuples():
        a = records(frame, row.source_a, row.key_a)["model_id"]
        b = records(frame, row.source_b, row.key_b)["model_id"]
        if a.isna().any() or b.isna().any() or set(a) & set(b):
            failures.append((row.key_a, sorted(set(a)), row.key_b, sorted(set(b)), row.why))
    assert failures == []
