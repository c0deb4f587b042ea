"""The seed's count, as the seed counts it: models whose training compute is confirmed at or
over 1e23 FLOP, per release year × openness × US/China, exactly as Epoch's own CSV rows give
it, on two vintages; fine-tunes among them marked, with their base."""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest

from ai_landscape.report.groups import country_group
from tests.epoch_runs import VINTAGES, csv_confirmed_counts, epoch_models


@pytest.fixture(scope="module")
def vintage_models(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return {
        vintage: epoch_models(vintage, tmp_path_factory.mktemp(vintage)) for vintage in VINTAGES
    }


def confirmed_counts(models: pd.DataFrame) -> Counter:
    confirmed = models[models["large_scale"] == "confirmed"]
    keys = zip(
        pd.to_datetime(confirmed["release_date"]).dt.year,
        confirmed["openness"],
        country_group(confirmed["country_codes"]),
        strict=True,
    )
    return Counter(keys)


@pytest.mark.parametrize(("vintage", "total"), [("2026-05-02", 328), ("2025-02-24", 93)])
def test_confirmed_count_per_year_openness_country_equals_the_csvs(vintage_models, vintage, total):
    expected = csv_confirmed_counts(list(VINTAGES[vintage].values()))
    got = confirmed_counts(vintage_models[vintage])
    assert dict(got) == dict(expected)
    assert sum(got.values()) == total


# Confirmed models that Epoch's large-scale list leaves out: fine-tunes whose compute counts
# their base's (the list, and the others), each with the base Epoch names.
UNLISTED_FINETUNES = {
    "alibaba/agentfounder-30b": "alibaba/qwen3-30b-a3b",
    "alibaba/qwen2.5-instruct-72b": "alibaba/qwen2.5-72b",
    "alibaba/qwq-32b": "alibaba/qwen2.5-coder-32b",
    "bytedance/llava-ov-72b": "alibaba/qwen2-72b",
    "deepseek/deepseek-coder-v2-236b": "deepseek/deepseek-v2-moe-236b",
    "google/flamingo": "google/chinchilla",
    "google/flan-137b": "google/lamda",
    "google/flan-palm-540b": "google/palm-540b",
    "google/funsearch": "google/palm-2",
    "google/pali-x": "google/ul2",
    "google/u-palm-540b": "google/palm-540b",
    "lg/exaone-deep-32b": "lg/exaone-3.5-32b",
    "mcgill-university/blenderbot-3": "meta-ai/opt-175b",
    "meta-ai/llama-guard": "meta-ai/llama-2-7b",
    "moonshot/kimi-k2-thinking": "moonshot/kimi-k2",
    "nvidia/llama-3.1-nemotron-70b-instruct": "meta-ai/llama-3.1-70b",
    "nvidia/nvlm-d-72b": "alibaba/qwen2-72b",
    "nvidia/nvlm-h-72b": "alibaba/qwen2-72b",
    "nvidia/nvlm-x-72b": "alibaba/qwen2-72b",
    "openai/gpt-4-jun-2023": "openai/gpt-4-mar-2023",
    "openai/instructgpt-175b": "openai/gpt-3-175b-davinci",
    "rinna/nekomata-14b": "alibaba/qwen-14b",
    "saudi-data-and-artificial-intelligence-authority/allam-adapted-70b": "meta-ai/llama-2-70b",
    "stanford-university/openvla": "meta-ai/llama-2-7b",
    "university-of-california-los-angeles-ucla/fingpt-13b": "meta-ai/llama-2-13b",
    "z.ai-zhipu-ai/glm-4.7": "z.ai-zhipu-ai/glm-4.5",
}


def test_confirmed_models_epoch_does_not_list_are_fine_tunes_with_their_base(vintage_models):
    models = vintage_models["2026-05-02"]
    confirmed = models[models["large_scale"] == "confirmed"]
    unlisted = confirmed[~confirmed["listed_large_scale"]]
    assert dict(zip(unlisted["model_id"], unlisted["base_model_id"], strict=True)) == (
        UNLISTED_FINETUNES
    )
    assert set(unlisted["compute_scope"]) == {"includes_base"}
    scope = confirmed["compute_scope"].value_counts().to_dict()
    assert scope == {"own_run": 279, "includes_base": 49}
    # Epoch's own list, beside the headline: 510 rows, Gemini 3.1 Pro listed twice.
    assert int(models["listed_large_scale"].sum()) == 509
    assert models.loc[models["name"] == "Gemini 3.1 Pro", "listed_large_scale"].tolist() == [True]


def test_a_fine_tune_keeps_its_own_compute_apart(vintage_models):
    models = vintage_models["2026-05-02"].set_index("model_id")
    r1 = models.loc["deepseek/deepseek-r1"]
    assert (r1["base_model_id"], r1["training_compute_flop"], r1["finetune_compute_flop"]) == (
        "deepseek/deepseek-v3",
        3.5e24,
        1.83e23,
    )
    assert r1["compute_scope"] == "includes_base"
    # Llama 3.2 90B: Epoch gives only the fine-tune's own compute; it is not the model's.
    vision = models.loc["meta-ai/llama-3.2-90b"]
    assert (vision["base_model_id"], vision["finetune_compute_flop"]) == (
        "meta-ai/llama-3.1-70b",
        2.50001e24,
    )
    assert pd.isna(vision["training_compute_flop"])
    assert vision["compute_scope"] is None


@pytest.mark.parametrize(
    ("vintage", "fine_tunes", "linked"), [("2026-05-02", 154, 127), ("2025-02-24", 84, 63)]
)
def test_every_fine_tune_whose_base_epoch_lists_points_at_it(
    vintage_models, vintage, fine_tunes, linked
):
    """A base Epoch names but lists in none of its exports (Vicuna-13B v0, Flan-T5 11B, ...)
    is no row of the table, so no `base_model_id` can point at it."""
    models = vintage_models[vintage]
    names = set(models["name"].str.casefold())
    named = {}
    for path in VINTAGES[vintage].values():
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("Base model"):
                    named[" ".join(row["Model"].split())] = row["Base model"]
    by_name = models.set_index("name")
    listed = {
        n: b for n, b in named.items() if any(x.strip().casefold() in names for x in b.split(","))
    }
    assert (len(named), len(listed)) == (fine_tunes, linked)
    assert by_name.loc[list(listed), "base_model_id"].notna().all()
