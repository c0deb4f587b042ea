"""Cross-source resolution as published: the replay snapshot of every source."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

from ai_landscape.report.build import build_report
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.precedence import field_rank
from ai_landscape.tasks import DATASET_RANK
from ai_landscape.validate.gx_runner import validate_frame
from tests.replay_values import replay_frames


def test_an_openrouter_model_covered_by_a_hub_record_resolves_to_that_record(full_replay):
    records = full_replay.read_table("source_records")
    hub = records[records["source"] == "huggingface"]
    router = records[records["source"] == "openrouter"].copy()
    router["repo"] = router["record"].map(lambda r: json.loads(r).get("hugging_face_id") or "")
    pairs = router.assign(repo=router["repo"].str.lower()).merge(
        hub.assign(repo=hub["source_key"].str.lower())[["repo", "model_id"]],
        on="repo",
        suffixes=("", "_hub"),
    )
    # Six OpenRouter records (five models: Laguna S 2.1 is also listed as `:free`).
    assert sorted(pairs["source_key"]) == [
        "deepseek/deepseek-v4-flash-0731",
        "moonshotai/kimi-k3",
        "poolside/laguna-s-2.1",
        "poolside/laguna-s-2.1:free",
        "thinkingmachines/inkling-small",
        "z-ai/glm-5.2",
    ]
    assert (pairs["model_id"] == pairs["model_id_hub"]).all()


def test_share_of_models_with_more_than_one_source(full_replay):
    models = full_replay.read_table("models")
    counts = models["sources"].map(len).value_counts().sort_index().to_dict()
    assert counts == {1: 1500, 2: 120, 3: 57}
    assert round(177 / 1677, 3) == 0.106
    # Epoch's models stay distinct: none of its 1355 joins another of its own.
    assert models["sources"].map(lambda names: "epoch" in names).sum() == 1355


def test_conflicts_hold_every_disagreeing_value_and_mark_the_published_one(full_replay):
    models = full_replay.read_table("models").set_index("model_id")
    conflicts = full_replay.read_table("conflicts")
    assert conflicts.groupby("field")["model_id"].nunique().to_dict() == {"release_date": 21}
    assert len(conflicts) == 53
    per_model = conflicts.groupby(["model_id", "field"])["value"].nunique()
    assert (per_model >= 2).all()
    published = models.loc[conflicts["model_id"], "release_date"].astype(str).to_numpy()
    assert (conflicts["chosen"] == (conflicts["value"] == published)).all()
    o3 = conflicts[conflicts["model_id"] == "openai/o3"]
    assert o3[["source", "value", "chosen"]].values.tolist() == [
        ["epoch.large_scale", "2024-12-20", True],
        ["epoch.notable", "2024-12-20", True],
        ["modelsdev.models", "2025-04-16", False],
    ]


def test_base_model_ids_point_at_published_models(full_replay):
    models = full_replay.read_table("models")
    based = models.dropna(subset=["base_model_id"])
    assert len(based) == 14
    assert based["base_model_id"].isin(models["model_id"]).all()
    assert (based["base_model_id"] != based["model_id"]).all()


def test_each_field_comes_from_the_source_precedence_names():
    """A real Epoch row and a real Hub row joined by hand into one model: Epoch gives compute
    and parameters, the Hub the licence; provenance names each record."""
    _, epoch = replay_frames("epoch")["notable"]
    _, hub = replay_frames("huggingface")["details"]
    epoch_row = epoch[epoch["source_key"] == "Stable Diffusion (LDM-KL-8-G)"]
    hub_row = hub[hub["source_key"] == "stabilityai/stable-diffusion-2-1"]
    pair = pd.concat([epoch_row, hub_row], ignore_index=True).assign(
        model_id="stability-ai/stable-diffusion",
        locator=["epoch-record", "hub-record"],
    )
    assert pair["license_id"].tolist() == ["MIT", "openrail++"]
    model = merge_candidates(
        pair, rank=DATASET_RANK, previous=None, seen_at=datetime(2026, 8, 1, tzinfo=UTC)
    ).iloc[0]
    provenance = json.loads(model["provenance"])
    assert model["license_id"] == "openrail++"
    assert provenance["license_id"] == "hub-record"
    assert (model["training_compute_flop"], model["parameters"]) == (5e22, 1.45e9)
    assert provenance["training_compute_flop"] == "epoch-record"
    assert model["hf_repo_ids"] == ["stabilityai/stable-diffusion-2-1"]
    assert model["sources"] == ["epoch", "huggingface"]
    assert list(field_rank("license_id", DATASET_RANK))[:4] == [
        "huggingface.details",
        "huggingface.authors",
        "huggingface.trending",
        "epoch.large_scale",
    ]


def test_the_conflicts_suite_blocks_a_row_of_a_field_it_does_not_compare(full_replay):
    conflicts = full_replay.read_table("conflicts")
    assert validate_frame(conflicts, "conflicts").failed == ()
    broken = conflicts.copy()
    broken.loc[0, "field"] = "name"
    report = validate_frame(broken, "conflicts")
    assert [(f.name, f.severity, f.unexpected_count) for f in report.failed] == [
        ("field_in_set", "blocking", 1)
    ]


def test_the_report_says_how_many_models_have_several_sources(full_replay, tmp_path):
    report = build_report(full_replay.root, "latest", tmp_path / "report")
    page = report.page.read_text()
    assert "177 of 1677 models (10.6%) have records in more than one source." in page
    combos = pd.read_csv(report.tables["sources_per_model"])
    assert combos.head(3).values.tolist() == [
        ["epoch", 1263],
        ["openrouter", 149],
        ["modelsdev + openrouter", 80],
    ]
    assert combos["models"].sum() == 1677
    assert pd.read_csv(report.tables["conflicts_by_field"]).values.tolist() == [
        ["release_date", 21, 53]
    ]
