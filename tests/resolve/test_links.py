"""Cross-source resolution on the real replay data: deterministic links (shared Hugging Face
repo, reviewed aliases) first, then names within one organization."""

from __future__ import annotations

import pandas as pd

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.resolution import resolve
from tests.replay_values import replay_frames

SOURCES = ("epoch", "huggingface", "openrouter", "modelsdev")


def all_candidates() -> pd.DataFrame:
    frames = [c for s in SOURCES for _, c in replay_frames(s).values()]
    return pd.concat(frames, ignore_index=True)


def linked(rank=DATASET_RANK) -> pd.DataFrame:
    """The candidates with `cluster`, the model id they resolve to; `model_id` stays each
    record's own slug."""
    before = all_candidates()
    return before.assign(cluster=resolve(before, rank)["model_id"])


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
    # Both carry Qwen/Qwen3-Coder-480B-A35B-Instruct, the only checkpoint Qwen published of
    # Epoch's Qwen3-Coder-480B-A35B (resolve/weights.py): Epoch ranks first and names it.
    assert cluster_of(frame, "openrouter", "qwen/qwen3-coder") == "alibaba/qwen3-coder-480b-a35b"
    assert cluster_of(frame, "modelsdev", "alibaba/qwen3-coder-480b-a35b-instruct") == (
        "alibaba/qwen3-coder-480b-a35b"
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
        "huggingface:meta-llama/Llama-4-Maverick-17B-128E-Instruct",
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
    # Epoch's two rows, the Hub's repo, and OpenRouter's deepseek-chat through that repo.
    assert sorted(v3["source"] + "." + v3["dataset"]) == [
        "epoch.large_scale",
        "epoch.notable",
        "huggingface.authors",
        "openrouter.models",
    ]


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
    assert v32["cluster"].unique().tolist() == ["deepseek/deepseek-v3.2"]
    assert cluster_of(frame, "openrouter", "deepseek/deepseek-chat") == "deepseek/deepseek-v3"


def test_only_records_linked_to_a_better_ranked_id_change_their_id():
    frame = linked()
    assert len(frame) == 4272  # with the 2,028 repos of the replayed Hub listing
    changed = frame["cluster"].ne(frame["model_id"]) & frame["model_id"].notna()
    # Fewer than before the format-copy fix (49 / 42 / 35): a copy (`Qwen3-14B-MLX-bf16`) no
    # longer takes Epoch's id, nor pushes the repo of its own name, and the OpenRouter record
    # linked to it, to a `-2` id; the -Instruct repos that are Epoch's release take its id.
    assert changed.groupby(frame["source"]).sum().to_dict() == {
        "epoch": 0,
        "huggingface": 33,  # 8 more repos joined Epoch's release (#12: Mistral-7B-v0.1, ...)
        "modelsdev": 43,
        "openrouter": 31,
    }
    # Ten records have no name, hence no slug: they resolve to no model.
    assert frame["model_id"].isna().sum() == 10
    assert frame.loc[frame["model_id"].isna(), "cluster"].isna().all()


def test_an_epoch_link_shared_by_two_models_links_neither():
    frame = linked()
    # Epoch gives BAAI/Aquila-7B as the Link of both Wu Dao Aquila-7B and -33B.
    assert cluster_of_all(frame, "epoch", "Wu Dao Aquila-7B") != cluster_of_all(
        frame, "epoch", "Wu Dao Aquila-33B"
    )


def cluster_of_all(frame: pd.DataFrame, source: str, source_key: str) -> str:
    """The one cluster of every record with that key (Epoch lists a model in several datasets)."""
    rows = frame[(frame["source"] == source) & (frame["source_key"] == source_key)]
    assert rows["cluster"].nunique() == 1
    return rows["cluster"].iloc[0]


def test_a_reviewed_alias_keeps_a_reused_name_apart():
    frame = linked()
    # OpenRouter's rekaai/reka-edge is Reka's 2026 model (repo RekaAI/reka-edge-2603), not
    # Epoch's 2024 Reka Edge, though both slugs are reka-ai/reka-edge.
    assert cluster_of(frame, "openrouter", "rekaai/reka-edge") == "reka-ai/reka-edge-2603"
    assert cluster_of_all(frame, "epoch", "Reka Edge") == "reka-ai/reka-edge"


def test_a_repo_name_links_a_provider_alias_to_its_model():
    frame = linked()
    # OpenRouter's nemotron-3-nano-30b-a3b names repo NVIDIA-Nemotron-3-Nano-30B-A3B-BF16:
    # the BF16 format is not part of the name.
    nano = cluster_of(frame, "openrouter", "nvidia/nemotron-3-nano-30b-a3b")
    assert nano == cluster_of_all(frame, "epoch", "Nemotron 3-Nano-30B-A3B")


def test_an_instruct_variant_is_linked_to_its_base_not_merged():
    frame = linked().assign(base=resolve(all_candidates(), DATASET_RANK)["base_model_id"])
    key = "meta-llama/llama-3.1-70b-instruct"
    instruct = frame[(frame["source"] == "openrouter") & (frame["source_key"] == key)]
    assert instruct[["cluster", "base"]].values.tolist() == [
        # the Hub's repo (Meta-Llama-3.1-70B-Instruct) now names the model, ranked first
        ["meta-ai/meta-llama-3.1-70b-instruct", "meta-ai/llama-3.1-70b"]
    ]
    assert cluster_of_all(frame, "epoch", "Llama 3.1-70B") == "meta-ai/llama-3.1-70b"
    # A provider's "Kimi K2" that serves the Kimi-K2-Instruct repo is the model Epoch lists
    # as Kimi K2: one name, one model.
    assert cluster_of(frame, "openrouter", "moonshotai/kimi-k2") == "moonshot/kimi-k2"
