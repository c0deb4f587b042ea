"""`lists_by` gives what pandas' `groupby(...).agg(list)` gave at its call sites, on the real
replay candidates (list fields exploded as `merge._union` does)."""

import pandas as pd
import pytest

from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.resolve.grouping import lists_by
from tests.replay_values import replay_frames


@pytest.fixture(scope="module")
def candidates() -> pd.DataFrame:
    frames = [
        found.assign(model_id=found["name"])
        for source in ("epoch", "openrouter", "modelsdev", "huggingface")
        for _, (_, found) in replay_frames(source).items()
    ]
    assert set(SOURCES) >= {"epoch", "openrouter", "modelsdev", "huggingface"}
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("field", ["source", "organizations", "country_codes", "hf_repo_ids"])
def test_lists_by_is_groupby_agg_list(candidates, field):
    items = candidates[["model_id", field]]
    if field != "source":
        items = items.explode(field)
    expected = items.groupby("model_id", sort=True)[field].agg(list)
    got = lists_by(items["model_id"], items[field])
    assert len(got) == candidates["model_id"].nunique()
    pd.testing.assert_series_equal(got, expected)


def test_missing_keys_are_left_out_and_values_keep_their_order():
    keys = pd.Series(["b", None, "a", "b"], name="model_id")
    values = pd.Series(["x", "y", None, "z"], name="v")
    got = lists_by(keys, values)
    assert got.index.tolist() == ["a", "b"]
    assert got["b"] == ["x", "z"]
    assert len(got["a"]) == 1
    assert pd.isna(got["a"][0])  # a missing value stays in its list
    pd.testing.assert_series_equal(got, values.groupby(keys, sort=True).agg(list))
