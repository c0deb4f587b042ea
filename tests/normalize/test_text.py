"""`text.regroup`, the inverse of `explode` every normalizer uses, on the real candidate lists."""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.text import regroup
from tests.replay_values import replay_frames

SOURCES = ("epoch", "modelsdev", "huggingface", "openrouter")


def real_candidates() -> pd.DataFrame:
    frames = [c for s in SOURCES for _, c in replay_frames(s).values()]
    return pd.concat(frames, ignore_index=True)


def test_regroup_rebuilds_the_real_lists_with_repeats_dropped_and_order_kept():
    candidates = real_candidates()
    assert len(candidates) == 4_272  # every catalogue record of the replay (Hub listing too)
    for column in ("organizations", "country_codes", "hf_repo_ids"):
        lists = candidates[column]
        # Every value twice in a row: regroup keeps the first and the list's own order.
        doubled = pd.concat([lists, lists]).sort_index(kind="stable").explode().dropna()
        out = regroup(doubled, lists.index)
        assert out.index.equals(lists.index)
        assert out.dtype == object
        assert out.tolist() == [list(dict.fromkeys(v)) for v in lists], column


def test_regroup_gives_an_empty_list_of_its_own_to_rows_without_values():
    names = pd.Series(["Meta AI", "Google", "Meta AI"], index=[7, 3, 7])
    out = regroup(names, pd.Index([3, 5, 7, 9]))
    assert out.to_dict() == {3: ["Google"], 5: [], 7: ["Meta AI"], 9: []}
    out[5].append("x")
    assert out[9] == []
