"""The scale benchmarks' renamed copies (`bench/resolve.py`'s `synthetic`) must resolve as
worlds of their own: a name match across copies, or a copy resolving otherwise than the real
records, measures work no catalogue makes."""

from __future__ import annotations

import pandas as pd
from bench.resolve import real_candidates, synthetic, world_tag

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.links import components, link_edges, load_aliases
from ai_landscape.resolve.resolution import _name_keys, _name_matches, resolve


def _name_match_count(candidates: pd.DataFrame) -> int:
    frame = candidates[candidates["model_id"].notna()].reset_index(drop=True)
    labels = components(len(frame), link_edges(frame, load_aliases()))
    return len(_name_matches(_name_keys(frame, labels)))


def test_each_copy_resolves_alone_to_the_same_models():
    """Before the copies' organizations were tagged with a word of letters, copies 2 and 3 of
    four lost the `2` and `3` of their names to their organizations (`Google 2`): 3,565 models
    each, not 3,567."""
    real = real_candidates()
    assert resolve(synthetic(real, 1), DATASET_RANK)["model_id"].nunique() == 3567
    four = resolve(synthetic(real, 4), DATASET_RANK)
    copy = four["row"] // len(real)
    assert copy.groupby(four["model_id"]).nunique().max() == 1
    assert copy.groupby(four["model_id"]).first().value_counts().to_dict() == {
        0: 3567,
        1: 3567,
        2: 3567,
        3: 3567,
    }


def test_name_matches_grow_with_the_copies_not_their_square():
    """Before, the 26 Epoch records with no organization matched their namesakes in every
    copy: 4,626 name matches for four copies against 1,078 for one."""
    real = real_candidates()
    one = _name_match_count(synthetic(real, 1))
    assert one == 1074
    assert _name_match_count(synthetic(real, 4)) == 4 * one


def test_world_tags_are_distinct_words_of_letters():
    tags = [world_tag(i) for i in range(1000)]
    assert tags[:3] == ["worlda", "worldb", "worldc"]
    assert tags[26] == "worldba"
    assert all(t.isalpha() for t in tags)
    assert len(set(tags)) == 1000
