"""A catalogue's model takes the lab's weights repo (issue 12), and only the right one.

`weights_repos.csv` lists hand-checked pairs of a real replay record and a Hub repo of the
recorded per-lab listing: `link` (the repo holds that model's weights: the repo of its exact
name rather than a format copy, the `-base` repo, the lab's only `-Instruct`) and `apart`
(near-misses: another size, a copy, the fine-tune of a model whose base is published, two
candidate checkpoints). Asserted both ways: each pair as listed, and every join the release-repo
rule (`resolve/weights.py`) makes is a `link` of the list.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from ai_landscape.resolve import weights
from tests.resolve.test_links import all_candidates
from tests.resolve.test_resolution_pairs import records, resolved, resolved_without

LIST = Path(__file__).with_name("weights_repos.csv")


def load_list() -> pd.DataFrame:
    return pd.read_csv(LIST, dtype=str, keep_default_na=False)


@cache
def resolved_without_rule() -> pd.DataFrame:
    return resolved_without(
        weights, "release_repo_matches", lambda original: lambda *a: original(*a).iloc[:0]
    )


def _ids(frame: pd.DataFrame, source: str, key: str) -> set:
    return set(records(frame, source, key)["model_id"])


def test_every_row_names_an_existing_record_and_repo():
    pairs = load_list()
    frame = all_candidates()
    assert pairs["expect"].value_counts().to_dict() == {"link": 25, "apart": 25}
    assert not pairs.duplicated(["source", "key", "repo"]).any()
    for row in pairs.itertuples():
        assert len(records(frame, row.source, row.key)) > 0, row
        assert len(records(frame, "huggingface", row.repo)) == 1, row
        assert row.why.strip(), row


def test_each_pair_links_or_stays_apart_as_listed():
    frame = resolved()
    wrong = []
    for row in load_list().itertuples():
        model = _ids(frame, row.source, row.key)
        repo = _ids(frame, "huggingface", row.repo)
        linked = len(model | repo) == 1 and None not in model
        if linked != (row.expect == "link"):
            wrong.append((row.key, row.repo, row.expect, sorted(model | repo, key=str)))
    assert wrong == []


def test_every_join_of_the_release_repo_rule_is_a_listed_link():
    """The other direction: the rule joins nothing the list does not name (precision on the
    replay: 16 of 16 joins hand-checked correct)."""
    after, before = resolved(), resolved_without_rule()
    catalogue = (after["source"] != "feeds").to_numpy()
    moved = pd.DataFrame({"after": after["model_id"], "before": before["model_id"]})[catalogue]
    merged = moved.dropna().drop_duplicates().groupby("after")["before"].agg(set)
    merged = merged[merged.str.len() > 1]
    links = load_list().query("expect == 'link'")
    listed = {
        frozenset(_ids(before, r.source, r.key) | _ids(before, "huggingface", r.repo))
        for r in links.itertuples()
    }
    assert {frozenset(ids) for ids in merged} <= listed
    assert len(merged) == 16


def test_no_model_id_of_the_replay_is_a_suffixed_duplicate_of_a_hub_repo():
    """A catalogue model joined a format copy (`Qwen3-14B-MLX-bf16`) before the repo of its
    own name, which then took `alibaba/qwen3-14b-2`: 15 such ids before. The suffixed ids
    left are real names (Claude 2, Claude Opus 4.8, Imagen 3, phi-1_5, DALL-E 3)."""
    ids = set(resolved()["model_id"].dropna())
    suffixed = sorted(i for i in ids if i[-2:-1] == "-" and i[-1].isdigit() and i[:-2] in ids)
    assert suffixed == [
        "anthropic/claude-2",
        "anthropic/claude-opus-4-8",
        "google/alphafold-2",
        "google/alphafold-3",
        "google/imagen-2",
        "google/imagen-3",
        "google/imagen-4",
        "google/pali-3",
        "inception-labs/mercury-2",
        "microsoft/phi-1-5",
        "mistral-ai/mistral-large-2",
        "mistral-ai/mistral-medium-3",
        "mistral-ai/mistral-medium-3-5",
        "openai/dall-e-2",
        "openai/dall-e-3",
        "reka-ai/reka-flash-3",
    ]


def test_joins_by_lab_the_rules_written_on_meta_and_mistral_add_none_elsewhere():
    """Leave the labs out: the spelling, `-hf`, modality and version rules were written on
    Meta's and Mistral's names (CodeLlama, Llama-3.2-11B-Vision, Mistral-7B-v0.1). On the
    other five labs they add no join (Google, Microsoft, Alibaba, DeepSeek, xAI keep the 6
    joins of the `-base`/`-Instruct` rules, all listed links): no false link out of sample,
    and no link either: the unlinked models there have two candidate repos or none by
    their numbers (Gemma 3n E2B/E4B, Phi-3-medium 4k/128k, Qwen3-Next -Instruct/-Thinking)."""
    after, before = resolved(), resolved_without_rule()
    catalogue = (after["source"] != "feeds").to_numpy()
    moved = pd.DataFrame(
        {
            "after": after["model_id"],
            "before": before["model_id"],
            "org": after["organizations"].str[0],
        }
    )[catalogue].dropna(subset=["after", "before"])
    joined = moved.drop_duplicates(["after", "before"]).groupby("after")
    joins = joined.agg(n=("before", "nunique"), org=("org", "first")).query("n > 1")
    assert joins.groupby("org").size().to_dict() == {
        "Alibaba": 3,
        "DeepSeek": 2,
        "Meta AI": 5,
        "Microsoft": 1,
        "Mistral AI": 5,
    }
