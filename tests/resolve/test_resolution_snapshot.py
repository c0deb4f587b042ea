"""Cross-source resolution as published: the replay snapshot of every source."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.report.build import build_report
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.precedence import field_rank
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
    # With the Hub's per-lab listing replayed, 53 OpenRouter records name a Hub repo the
    # replay holds (52 models); among them the six of the trending page and detail records.
    assert (len(pairs), pairs["model_id"].nunique()) == (53, 52)
    assert set(pairs["source_key"]) >= {
        "deepseek/deepseek-v4-flash-0731",
        "moonshotai/kimi-k3",
        "poolside/laguna-s-2.1",
        "poolside/laguna-s-2.1:free",
        "thinkingmachines/inkling-small",
        "z-ai/glm-5.2",
    }
    assert (pairs["model_id"] == pairs["model_id_hub"]).all()


def test_share_of_models_with_more_than_one_source(full_replay):
    models = full_replay.read_table("models")
    counts = models["sources"].map(len).value_counts().sort_index().to_dict()
    # Sixteen releases joined their only weights repo (resolve/weights.py, #12: eight more
    # by version, spelling, -hf and modality); more models are dated by a feed item (the Z.ai
    # and MiniMax release notes, #15); the learned detector (#15) joins two more feed items to
    # models that had other sources.
    assert counts == {1: 3253, 2: 197, 3: 81, 4: 34, 5: 3}
    # Feed items only date a model a catalogue lists: 267 models have several catalogues.
    catalogues = models["sources"].map(lambda names: len(set(names) - {"feeds"}))
    assert (catalogues > 1).sum() == 267
    assert models["sources"].map(lambda names: list(names) == ["feeds"]).sum() == 0
    # Epoch's models stay distinct: none of its 1355 joins another of its own.
    assert models["sources"].map(lambda names: "epoch" in names).sum() == 1355


def test_conflicts_hold_every_disagreeing_value_and_mark_the_published_one(full_replay):
    models = full_replay.read_table("models").set_index("model_id")
    conflicts = full_replay.read_table("conflicts")
    assert conflicts.groupby("field")["model_id"].nunique().to_dict() == {
        # DeepMind's blog (Google, US) vs Epoch's GB for AlphaFold; MiniMax's release notes (CN)
        # vs Epoch's CN,SG for MiniMax-Hailuo-02
        "country_codes": 4,
        "license_id": 2,  # a weights repo's licence against Epoch's note
        "release_date": 54,
        "weights_access": 1,
    }
    # 165 (issue #15): the replayed release notes of Z.ai and MiniMax date eight models a day
    # or more from the catalogues and give MiniMax-Hailuo-02 one country (16 values), and
    # "reduced 1.5 Pro pricing" now names Gemini 1.5 Pro (4 values). 168: the learned detector
    # (#15) calls one more feed item an announcement of a model whose country it disagrees on.
    assert len(conflicts) == 168
    per_model = conflicts.groupby(["model_id", "field"])["value"].nunique()
    assert (per_model >= 2).all()
    dates = conflicts[conflicts["field"] == "release_date"]
    published = models.loc[dates["model_id"], "release_date"].astype(str).to_numpy()
    assert (dates["chosen"] == (dates["value"] == published)).all()
    o3 = conflicts[conflicts["model_id"] == "openai/o3"]
    assert o3[["source", "value", "chosen"]].values.tolist() == [
        ["epoch.large_scale", "2024-12-20", True],
        ["epoch.notable", "2024-12-20", True],
        ["feeds.openai_news", "2025-04-16", False],  # "Introducing OpenAI o3 and o4-mini"
        ["modelsdev.models", "2025-04-16", False],
    ]


def test_base_model_ids_point_at_published_models(full_replay):
    models = full_replay.read_table("models")
    based = models.dropna(subset=["base_model_id"])
    # Epoch's Base model column and the Hub's base_model tags; six -Instruct repos that pointed
    # at their base are now that release's own repo (resolve/weights.py): 400 before.
    assert len(based) == 394
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
    assert (
        "315 of 3568 models (8.8%) have records in more than one source; 267 (7.5%) are "
        "listed by more than one catalogue (feeds only date models a catalogue lists)."
    ) in page
    combos = pd.read_csv(report.tables["sources_per_model"])
    # The Hub's per-lab listing (huggingface.authors) lists the seven labs' repos: most are
    # models no other catalogue has.
    assert combos.head(6).values.tolist() == [
        ["huggingface", 1926],
        ["epoch", 1150],
        ["openrouter", 119],  # mistral-large-2407 joined Mistral-Large-Instruct-2407
        ["modelsdev", 58],
        # Epoch's releases joined to their weights repo (resolve/weights.py, #12); a tie is
        # ordered by name.
        ["epoch + huggingface", 52],
        ["modelsdev + openrouter", 52],
    ]
    assert combos["models"].sum() == 3568
    assert pd.read_csv(report.tables["conflicts_by_field"]).values.tolist() == [
        ["country_codes", 4, 9],
        ["license_id", 2, 5],
        ["release_date", 54, 151],
        ["weights_access", 1, 3],
    ]


def test_feed_items_date_models_but_never_make_one(full_replay):
    records = full_replay.read_table("source_records")
    items = records[records["source"] == "feeds"]
    # Of 2253 items, 138 announce a model a catalogue lists; the others resolve to none,
    # including announcements of models no catalogue has yet. (140 before #15's enlarged labels
    # changed the decision on 32 OpenAI items, tests/pipeline/test_feeds.py: among them
    # "Fine-Tuning GPT-4o Webinar" and "DALL·E 2 pre-training mitigations" are no longer
    # announcements.)
    assert (len(items), items["model_id"].notna().sum(), items["model_id"].nunique()) == (
        2253,
        138,
        111,
    )
    models = full_replay.read_table("models").set_index("model_id")
    dated = models[models["release_date_source"].str.startswith("feeds.", na=False)]
    # The Z.ai and MiniMax release notes date more models (#15); the Qwen3-Coder -Instruct
    # repo, dated by Qwen's blog before, is now Epoch's Qwen3-Coder-480B-A35B (#12).
    assert len(dated) == 31
    gpt4 = models.loc["openai/gpt-4"]
    assert (str(gpt4["release_date"]), gpt4["release_date_source"]) == (
        "2023-03-14",
        "feeds.openai_news:announcement",
    )
    # "Gemini 2.5 Flash-Lite is now ready for scaled production use" (2025-07-22) says it is
    # available, not that it is new: the earlier model-page date stands.
    lite = models.loc["google/gemini-2.5-flash-lite"]
    assert (str(lite["release_date"]), lite["release_date_source"]) == (
        "2025-06-17",
        "modelsdev.models:release_date",
    )


def test_a_named_licence_beats_the_hubs_unnamed_other(full_replay):
    """The Hub's `other` only says "not on the Hub's list": hand-joined with Epoch's real Kimi
    K2.5 row, Epoch's `modified-mit` wins; alone (Kimi K3 in the replay), `other` stands."""
    _, epoch = replay_frames("epoch")["large_scale"]
    _, hub = replay_frames("huggingface")["trending"]
    pair = pd.concat(
        [epoch[epoch["source_key"] == "Kimi K2.5"], hub[hub["source_key"] == "moonshotai/Kimi-K3"]],
        ignore_index=True,
    ).assign(model_id="moonshot/kimi", locator=["epoch-record", "hub-record"])
    assert pair["license_id"].tolist() == ["modified-mit", "other"]
    model = merge_candidates(
        pair, rank=DATASET_RANK, previous=None, seen_at=datetime(2026, 8, 1, tzinfo=UTC)
    ).iloc[0]
    assert (model["license_id"], json.loads(model["provenance"])["license_id"]) == (
        "modified-mit",
        "epoch-record",
    )
    k3 = full_replay.read_table("models").set_index("model_id").loc["moonshot/kimi-k3"]
    assert k3["license_id"] == "other"
    assert json.loads(k3["provenance"])["license_id"].startswith("huggingface.trending:")
