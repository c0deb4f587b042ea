"""Resolution and merging group on integer codes (issue #17): the same groups as the plain
pandas and Python forms, checked on the real replay records."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.links import components, link_edges, load_aliases
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.resolution import resolve
from tests.resolve.test_links import all_candidates


def _union_find(size: int, edges: pd.DataFrame) -> list[int]:
    """Each candidate's smallest connected position, by a plain union-find over the edges."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[int, int] = {}
    for pos, node in zip(edges["pos"].tolist(), edges["node"].tolist(), strict=True):
        other = first_of.setdefault(node, pos)
        a, b = root(pos), root(other)
        parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(size)]


def test_link_components_are_the_connected_groups_of_the_real_records():
    frame = all_candidates()
    frame = frame[frame["model_id"].notna()].reset_index(drop=True)
    edges = link_edges(frame, load_aliases())
    labels = components(len(frame), edges)
    assert labels.tolist() == _union_find(len(frame), edges)
    assert len(frame) == 4262
    assert labels.nunique() == 3816


def _merged() -> tuple[pd.DataFrame, pd.DataFrame]:
    candidates = resolve(all_candidates(), DATASET_RANK)
    candidates["locator"] = candidates["source"] + "#" + candidates["row"].astype(str)
    models = merge_candidates(
        candidates, rank=DATASET_RANK, previous=None, seen_at=datetime(2026, 12, 5, tzinfo=UTC)
    )
    return candidates[candidates["model_id"].notna()], models.set_index("model_id")


def test_each_model_lists_the_distinct_sources_of_its_records_sorted():
    candidates, models = _merged()
    expected = candidates.groupby("model_id")["source"].agg(lambda s: sorted(set(s)))
    assert models["sources"].to_dict() == expected.to_dict()
    assert models["sources"].map(len).value_counts().sort_index().to_dict() == {
        1: 3301,
        2: 180,
        3: 79,
        4: 8,
    }


def test_a_model_is_listed_large_scale_when_any_of_its_records_is():
    candidates, models = _merged()
    expected = candidates.groupby("model_id")["listed_large_scale"].any()
    assert models["listed_large_scale"].to_dict() == expected.to_dict()
    assert int(models["listed_large_scale"].sum()) == 509


def test_repo_ids_are_every_records_in_rank_order_first_spelling_kept():
    candidates, models = _merged()
    rank = {key: i for i, key in enumerate(DATASET_RANK)}
    ordered = candidates.assign(
        _rank=(candidates["source"] + "." + candidates["dataset"]).map(rank).fillna(len(rank))
    ).sort_values(["model_id", "_rank", "row"], kind="stable")
    expected: dict[str, list[str]] = {}
    for model_id, repos in zip(ordered["model_id"], ordered["hf_repo_ids"], strict=True):
        kept = expected.setdefault(model_id, [])
        for repo in repos:
            if repo.lower() not in {r.lower() for r in kept}:
                kept.append(repo)
    assert models["hf_repo_ids"].to_dict() == expected
    assert sum(map(len, expected.values())) == 2199
