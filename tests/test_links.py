"""Deterministic links (shared Hugging Face repo, reviewed aliases) on the real replay data."""

from __future__ import annotations

import pandas as pd

from ai_landscape.resolve.links import link_candidates
from ai_landscape.tasks import DATASET_RANK
from tests.replay_values import replay_frames

SOURCES = ("epoch", "huggingface", "openrouter", "modelsdev")


def all_candidates() -> pd.DataFrame:
    frames = [c for s in SOURCES for _, c in replay_frames(s).values()]
    return pd.concat(frames, ignore_index=True)


def linked(rank=DATASET_RANK) -> pd.DataFrame:
    return link_candidates(all_candidates(), rank)


def cluster_of(frame: pd.DataFrame, source: str, source_key: str) -> str:
    row = frame[(frame["source"] == source) & (frame["source_key"] == source_key)]
    assert len(row) == 1
    return row["cluster"].iloc[0]


def test_openrouter_records_sharing_a_repo_with_models_dev_share_its_cluster():
    frame = linked()
    repos = frame.assign(repo=frame["hf_repo_ids"]).explode("repo").dropna(subset=["repo"])
    repos["repo"] = repos["repo"].str.lower()
    dev = repos[repos["source"] == "modelsdev"]
    router = repos[repos["source"] == "openrouter"]
    pairs = router.merge(dev, on="repo", suffixes=("_or", "_md"))
    assert router.index.nunique() == 152
    assert pairs["source_key_or"].nunique() == 53
    assert (pairs["cluster_or"] == pairs["cluster_md"]).all()


def test_qwen3_coder_resolves_to_the_models_dev_id_through_the_repo():
    frame = linked()
    # Both carry Qwen/Qwen3-Coder-480B-A35B-Instruct; models.dev ranks above OpenRouter.
    assert cluster_of(frame, "openrouter", "qwen/qwen3-coder") == (
        "alibaba/qwen3-coder-480b-a35b-instruct"
    )
    assert cluster_of(frame, "modelsdev", "alibaba/qwen3-coder-480b-a35b-instruct") == (
        "alibaba/qwen3-coder-480b-a35b-instruct"
    )


def test_repo_ids_are_compared_case_insensitively():
    frame = linked()
    # OpenRouter writes MiniMaxAI/Minimax-M3, models.dev MiniMaxAI/MiniMax-M3.
    assert cluster_of(frame, "openrouter", "minimax/minimax-m3") == "minimax/minimax-m3"
    assert cluster_of(frame, "modelsdev", "minimax/MiniMax-M3") == "minimax/minimax-m3"


def test_rank_decides_the_cluster_id():
    order = ("openrouter.models", "modelsdev.models")
    frame = linked(order)
    assert cluster_of(frame, "modelsdev", "alibaba/qwen3-coder-480b-a35b-instruct") == (
        "alibaba/qwen3-coder"
    )


def test_alias_links_epoch_openrouter_and_models_dev_transitively():
    frame = linked()
    # Epoch --alias--> OpenRouter --repo--> models.dev: all three on Epoch's id.
    maverick = frame[frame["cluster"] == "meta-ai/llama-4-maverick"]
    assert sorted(maverick["source"] + ":" + maverick["source_key"]) == [
        "epoch:Llama 4 Maverick",
        "epoch:Llama 4 Maverick",
        "modelsdev:meta/llama-4-maverick-17b-instruct",
        "openrouter:meta-llama/llama-4-maverick",
    ]


def test_alias_table_applies_and_keeps_revisions_apart():
    frame = linked()
    assert cluster_of(frame, "openrouter", "deepseek/deepseek-chat-v3-0324") == (
        "deepseek/deepseek-v3-mar-2025"
    )
    assert cluster_of(frame, "openrouter", "qwen/qwen3-235b-a22b-2507") == (
        "alibaba/qwen3-235b-a22b-jul-2025"
    )
    v3 = frame[frame["cluster"] == "deepseek/deepseek-v3"]
    assert sorted(v3["dataset"]) == ["large_scale", "notable"]


def test_an_equal_model_id_is_not_a_link():
    frame = linked()
    # Both sources say `deepseek/deepseek-chat`, but OpenRouter's is DeepSeek-V3 and
    # models.dev's is V3.2: models.dev's joins V3.2's repo cluster, OpenRouter's stays alone.
    router = frame[
        (frame["source"] == "openrouter") & (frame["source_key"] == "deepseek/deepseek-chat")
    ]
    assert router["hf_repo_ids"].iloc[0] == ["deepseek-ai/DeepSeek-V3"]
    v32 = frame[frame["hf_repo_ids"].map(lambda ids: "deepseek-ai/DeepSeek-V3.2" in ids)]
    assert sorted(v32["source_key"]) == [
        "deepseek/deepseek-chat",
        "deepseek/deepseek-reasoner",
        "deepseek/deepseek-v3.2",
    ]
    assert v32["cluster"].nunique() == 1


def test_candidates_without_links_keep_their_model_id():
    before = all_candidates()
    frame = link_candidates(before, DATASET_RANK)
    assert frame.index.equals(before.index)
    assert len(frame) == 2244
    changed = frame["cluster"].ne(frame["model_id"]) & frame["model_id"].notna()
    assert changed.sum() == 20
    assert frame["model_id"].isna().sum() == 10
    assert frame.loc[frame["model_id"].isna(), "cluster"].isna().all()
    epoch = frame[frame["source"] == "epoch"]
    unaliased = epoch[epoch["model_id"] != "meta-ai/llama-4-maverick"]
    assert (unaliased["cluster"] == unaliased["model_id"]).all()
