"""`name_keys` and `tokens` are a loop over names since #17; they must give exactly the keys
of the pandas pipeline they replaced (kept below as the reference), on every name resolution
keys on the replay: records' own names, their repos' names, with and without organizations."""

from __future__ import annotations

import pandas as pd
import pytest

from ai_landscape.normalize.text import split_namespaced
from ai_landscape.resolve.name_keys import (
    COPY_WORDS,
    NOISE_WORDS,
    QUALIFIER_WORDS,
    WEIGHT_FORMATS,
    _joined,
    _sorted_join,
    name_keys,
    tokens,
)
from tests.replay_values import replay_frames


def _tokens_before(names: pd.Series) -> pd.Series:
    text = (
        names.fillna("")
        .astype(str)
        .str.lower()
        .str.replace("+", " plus ", regex=False)
        .str.replace(WEIGHT_FORMATS, " ", regex=True)
        .str.replace(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", regex=True)
        .str.replace(r"[^a-z0-9]+", " ", regex=True)
        .str.strip()
    )
    return text.str.split()


def _name_keys_before(names: pd.Series, organizations: pd.Series) -> pd.DataFrame:
    """`name_keys` as it was before #17."""
    exploded = _tokens_before(names).explode().dropna()
    org_words = _tokens_before(organizations.fillna("")).explode().dropna()
    org_pairs = pd.MultiIndex.from_arrays([org_words.index, org_words.to_numpy()])
    pairs = pd.MultiIndex.from_arrays([exploded.index, exploded.to_numpy()])
    keep = ~pairs.isin(org_pairs) & ~exploded.isin(NOISE_WORDS).to_numpy()
    exploded = exploded[keep]
    is_number = exploded.str.fullmatch(r"\d+")
    numbers = exploded[is_number]
    numbers = _joined(numbers, pd.Series(numbers.index, index=numbers.index))
    words = exploded[~is_number]
    is_qualifier = words.isin(QUALIFIER_WORDS)
    keys = pd.DataFrame(
        {
            "numbers": numbers,
            "qualifiers": _sorted_join(words[is_qualifier]),
            "words": _sorted_join(words[~is_qualifier]),
        },
        index=names.index,
    ).fillna("")
    keys["key"] = keys["numbers"] + "|" + keys["qualifiers"] + "|" + keys["words"]
    keys["copy"] = names.fillna("").astype(str).str.lower().str.contains(COPY_WORDS)
    return keys


def _replay_names() -> tuple[pd.Series, pd.Series]:
    names, orgs = [], []
    for source in ("epoch", "modelsdev", "huggingface", "openrouter", "feeds"):
        for _, candidates in replay_frames(source).values():
            org = candidates["organizations"].str[0]
            names += [split_namespaced(candidates["model_id"])[1], candidates["name"]]
            orgs += [org, org]
            repos = candidates["hf_repo_ids"].explode().dropna()
            names.append(split_namespaced(repos)[1])
            orgs.append(org.loc[repos.index])
    return pd.concat(names, ignore_index=True), pd.concat(orgs, ignore_index=True)


def test_same_keys_as_before_on_every_replay_name():
    names, orgs = _replay_names()
    assert len(names) == 15_391
    keys = name_keys(names, orgs)
    pd.testing.assert_frame_equal(keys, _name_keys_before(names, orgs))
    assert keys["key"].nunique() == 3_677
    assert int(keys["copy"].sum()) == 825
    without_orgs = pd.Series([None] * len(names), dtype=object)
    pd.testing.assert_frame_equal(
        name_keys(names, without_orgs), _name_keys_before(names, without_orgs)
    )


def test_same_tokens_as_before():
    names, _ = _replay_names()
    assert tokens(names).tolist() == _tokens_before(names).tolist()


@pytest.mark.parametrize(
    ("name", "org", "key", "copy"),
    [
        ("Meta-Llama-3.1-70B-Instruct", "Meta AI", "3 1 70|instruct|b llama", False),
        ("Qwen3-14B-MLX-bf16", "Alibaba", "3 14||b qwen", True),
        ("DeepSeek-V3-0324", "DeepSeek", "3 0324|v|", False),
        ("Claude Opus 4.6", "Anthropic", "4 6|opus|claude", False),
        ("GPT-4o+", "OpenAI", "4|o plus|gpt", False),
        (None, "OpenAI", "||", False),
    ],
)
def test_keys_of_known_names(name, org, key, copy):
    keys = name_keys(pd.Series([name], index=[3]), pd.Series([org], index=[3]))
    assert keys.loc[3, "key"] == key
    assert bool(keys.loc[3, "copy"]) is copy
    assert (
        keys.loc[3, "key"]
        == _name_keys_before(pd.Series([name], index=[3]), pd.Series([org], index=[3])).loc[
            3, "key"
        ]
    )
