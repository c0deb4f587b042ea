"""`split_namespaced` is a loop of str.partition since #17; it must split exactly as the
pandas expression it replaced, on every real id of the replay and on the odd shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ai_landscape.normalize.text import split_namespaced
from tests.replay_values import replay_frames


def _by_str_split(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The expression `split_namespaced` used before #17."""
    parts = ids.astype(object).str.split("/", n=1, expand=True).reindex(columns=[0, 1])
    has_namespace = parts[1].notna()
    return parts[0].where(has_namespace), parts[1].where(has_namespace, parts[0])


def _assert_same(got: pd.Series, expected: pd.Series) -> None:
    """Same nulls (None or NaN: parquet writes both as null), same strings, same index."""
    assert got.index.equals(expected.index)
    assert got.isna().tolist() == expected.isna().tolist()
    assert got.dropna().tolist() == expected.dropna().tolist()


def _replay_ids() -> pd.Series:
    ids = []
    for source in ("epoch", "modelsdev", "huggingface", "openrouter"):
        for _, candidates in replay_frames(source).values():
            ids.append(candidates["model_id"])
            ids.append(candidates["hf_repo_ids"].explode())
    return pd.concat(ids, ignore_index=True)


def test_same_split_as_before_on_every_replay_id():
    ids = _replay_ids()
    assert len(ids) == 8_545
    assert ids.isna().sum() == 1_942  # feed items and unnamed records
    namespaces, names = split_namespaced(ids)
    before = _by_str_split(ids)
    _assert_same(namespaces, before[0])
    _assert_same(names, before[1])
    assert namespaces.notna().sum() == 6_603


@pytest.mark.parametrize(
    ("value", "namespace", "name"),
    [
        ("meta-llama/Llama-3.1-8B", "meta-llama", "Llama-3.1-8B"),
        ("gpt2", np.nan, "gpt2"),
        ("a/b/c", "a", "b/c"),
        ("a/", "a", ""),
        ("/b", "", "b"),
        ("", np.nan, ""),
        (None, np.nan, np.nan),
        (np.nan, np.nan, np.nan),
    ],
)
def test_odd_shapes(value, namespace, name):
    ids = pd.Series([value], index=[7], dtype=object)
    namespaces, names = split_namespaced(ids)
    before = _by_str_split(ids)
    _assert_same(namespaces, before[0])
    _assert_same(names, before[1])
    assert list(namespaces.index) == list(names.index) == [7]
    for got, expected in ((namespaces.iloc[0], namespace), (names.iloc[0], name)):
        assert got == expected or (pd.isna(got) and pd.isna(expected))


def test_empty_and_string_dtype():
    empty = split_namespaced(pd.Series([], dtype=object))
    assert [len(part) for part in empty] == [0, 0]
    namespaces, names = split_namespaced(pd.Series(["org/x", "gpt2"], dtype="str"))
    assert namespaces.iloc[0] == "org"
    assert pd.isna(namespaces.iloc[1])
    assert names.tolist() == ["x", "gpt2"]
