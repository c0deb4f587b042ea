"""Model ids across runs, and name keys, on the real replay records."""

from __future__ import annotations

import pandas as pd

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.name_keys import base_keys, name_keys, tokens
from ai_landscape.resolve.resolution import resolve
from tests.resolve.test_links import all_candidates


def resolved_ids(candidates: pd.DataFrame, previous: pd.Series | None = None) -> pd.Series:
    return resolve(candidates, DATASET_RANK, previous_ids=previous)["model_id"]


def test_epoch_models_keep_their_ids_when_the_other_sources_start_listing_them():
    everything = all_candidates()
    epoch = everything["source"] == "epoch"
    before = pd.Series(None, index=everything.index, dtype=object)
    before[epoch] = resolved_ids(everything[epoch])
    after = resolved_ids(everything, before)
    assert before[epoch].nunique() == 1355
    assert (after[epoch] == before[epoch]).all()


def test_a_model_first_seen_on_openrouter_keeps_that_id_when_epoch_lists_it():
    everything = all_candidates()
    router = everything["source"] == "openrouter"
    before = pd.Series(None, index=everything.index, dtype=object)
    before[router] = resolved_ids(everything[router])
    after = everything.assign(model_id=resolved_ids(everything, before))
    # OpenRouter's deepseek-chat (repo DeepSeek-V3) was `deepseek/deepseek-chat`; Epoch's
    # DeepSeek-V3 joins it under that id, and models.dev's deepseek-chat (V3.2) keeps apart.
    v3 = after[after["model_id"] == "deepseek/deepseek-chat"]
    assert sorted(v3["source"] + ":" + v3["source_key"]) == [
        "epoch:DeepSeek-V3",
        "epoch:DeepSeek-V3",
        "huggingface:deepseek-ai/DeepSeek-V3",
        "openrouter:deepseek/deepseek-chat",
    ]
    v32 = after[
        (after["source"] == "modelsdev") & (after["source_key"] == "deepseek/deepseek-chat")
    ]
    assert v32["model_id"].tolist() == ["deepseek/deepseek-v3.2"]
    # Every OpenRouter model kept its id (the `~` aliases resolve to none, before and after),
    # but two dated ids OpenRouter lists beside their release's own id: one release, one id.
    moved = router & after["model_id"].fillna("").ne(before.fillna(""))
    assert dict(zip(before[moved], after.loc[moved, "model_id"], strict=True)) == {
        "openai/gpt-4o-mini-2024-07-18": "openai/gpt-4o-mini",
        "openai/gpt-4o-2024-05-13": "openai/gpt-4o",
    }


def test_every_id_is_a_records_own_slug_or_a_reviewed_alias():
    candidates = all_candidates()
    ids = set(resolved_ids(candidates).dropna())
    assert len(ids) == 3568
    # name_clusters.py's last resort (a numeric suffix on a taken id) no longer fires: a
    # catalogue's model joins the repo of its own name before a format copy (`Qwen3-14B`, not
    # `Qwen3-14B-MLX-bf16`), so the repo no longer loses its id to the copy's group (15
    # `-2` ids before; tests/resolve/test_weights_repos.py). Two ids are the Hub repo's own name.
    assert ids - set(candidates["model_id"].dropna()) == {
        "reka-ai/reka-edge-2603",
        "meta-ai/meta-llama-3.1-8b-instruct",
        "meta-ai/meta-llama-3.1-70b-instruct",
    }


def test_name_keys_keep_versions_sizes_and_tiers_apart():
    names = pd.Series(
        [
            "claude-opus-4.6",
            "claude-opus-4-6",
            "Claude Opus 4.8",
            "gemini-pro-1.5",
            "Gemini 1.5 Pro",
            "Meta-Llama-3-70B",
            "Llama 3-70B",
            "Llama-3-70B-Instruct",
            "gpt-4o",
            "gpt-4",
            "Command R+",
            "NVIDIA-Nemotron-3-Nano-30B-A3B-BF16",
        ]
    )
    orgs = pd.Series(["Anthropic"] * 3 + ["Google"] * 2 + ["Meta AI"] * 3 + ["OpenAI"] * 2)
    orgs = pd.concat([orgs, pd.Series(["Cohere", "NVIDIA"])], ignore_index=True)
    keys = name_keys(names, orgs)
    assert keys["key"].tolist() == [
        "4 6|opus|claude",
        "4 6|opus|claude",
        "4 8|opus|claude",
        "1 5|pro|gemini",
        "1 5|pro|gemini",
        "3 70||b llama",  # "Meta" is the organization's word
        "3 70||b llama",
        "3 70|instruct|b llama",
        "4|o|gpt",
        "4||gpt",
        "|plus r|command",
        "3 30 3|nano|a b nemotron",  # BF16 is a number format, not a version
    ]
    assert base_keys(keys).dropna().tolist() == ["3 70||b llama"]
    assert tokens(pd.Series(["qwen2.5-72b"])).tolist() == [["qwen", "2", "5", "72", "b"]]


def test_records_without_repos_or_names_resolve_without_error():
    frontier = all_candidates().query("source == 'epoch' and dataset == 'frontier'")
    # No frontier record names a Hugging Face repo; a doubled export is one model per name.
    assert frontier["hf_repo_ids"].str.len().sum() == 0
    doubled = pd.concat([frontier, frontier], ignore_index=True)
    assert resolved_ids(doubled).nunique() == 137
    nameless = frontier.assign(model_id=None)
    assert resolved_ids(nameless).isna().all()
    assert resolved_ids(frontier.iloc[:0]).empty


def test_a_failed_run_carries_over_models_of_a_snapshot_older_than_base_model_id():
    from datetime import UTC, datetime

    from ai_landscape.resolve.events import detect_events
    from tests.real_frames import replay_models

    models = replay_models()
    older = models.drop(columns=["base_model_id"])  # as published before resolution landed
    today = models[models["model_id"] != "deepseek/deepseek-r1"]
    events, published = detect_events(
        older,
        today,
        detected_at=datetime(2026, 11, 29, tzinfo=UTC),
        previous_id="old",
        keep_removed=True,
    )
    assert len(events) == 0
    assert len(published) == 1355
    carried = published.set_index("model_id").loc["deepseek/deepseek-r1"]
    assert pd.isna(carried["base_model_id"])
