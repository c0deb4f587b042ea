"""`apply_reference` on the real candidates of every source (and corrupted copies of them)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest

from ai_landscape.normalize.candidates import CANDIDATE_COLUMNS
from ai_landscape.normalize.quantities import active_parameters
from ai_landscape.normalize.reference import ADDED_COLUMNS, apply_reference
from ai_landscape.normalize.vocabulary import epoch_labels
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.sources.epoch.constants import ACCESSIBILITY
from tests.replay_values import replay_frames, source_candidates

NOTES = "Accessibility notes"

# Every test starts from the candidates a source's own normalizer builds (`source_candidates`),
# not from `replay_frames`, whose candidates `parse_documents` has already passed through
# `apply_reference`.


def test_parse_documents_applies_the_reference_tables():
    for source in ("epoch", "huggingface", "modelsdev", "openrouter"):
        for dataset, (_, parsed) in replay_frames(source).items():
            _, candidates = source_candidates(source, dataset)
            expected = apply_reference(candidates)
            pd.testing.assert_frame_equal(parsed.drop(columns="locator"), expected)


def test_epoch_normalizer_reads_accessibility_and_parameter_notes():
    records, candidates = source_candidates("epoch", "notable")
    notes = records[NOTES].where(records[NOTES] != "")
    assert candidates["license_raw"].notna().sum() == notes.notna().sum() == 458
    assert candidates["license_raw"].dropna().tolist() == notes.dropna().tolist()
    active = active_parameters(records["Parameters notes"], candidates["parameters"])
    pd.testing.assert_series_equal(candidates["active_parameters"], active, check_names=False)
    assert candidates["active_parameters"].notna().sum() == 38


def test_columns_are_kept_two_are_added_and_the_input_is_not_touched():
    _, candidates = source_candidates("modelsdev", "models")
    before = candidates.copy(deep=True)
    out = apply_reference(candidates)
    # CANDIDATE_COLUMNS holds the two: the normalizer leaves them empty, they are filled in place.
    assert list(candidates.columns) == list(CANDIDATE_COLUMNS)
    assert candidates["commercial_use"].isna().all()
    assert (candidates["quality_flags"].str.len() == 0).all()
    assert list(out.columns) == list(candidates.columns)
    assert out["commercial_use"].value_counts(dropna=False).to_dict() == {None: 227, "allowed": 4}
    # A frame without them (built before they joined CANDIDATE_COLUMNS) gets them at the end.
    without = candidates.drop(columns=list(ADDED_COLUMNS))
    assert list(apply_reference(without).columns) == [*without.columns, *ADDED_COLUMNS]
    assert out.index.equals(candidates.index)
    pd.testing.assert_frame_equal(candidates, before)


@pytest.mark.parametrize(
    ("dataset", "changed"), [("large_scale", 45), ("frontier", 18), ("notable", 180)]
)
def test_epoch_ids_are_rebuilt_on_the_canonical_lead_organization(dataset, changed):
    _, candidates = source_candidates("epoch", dataset)
    out = apply_reference(candidates)
    assert (out["model_id"] != candidates["model_id"]).sum() == changed
    assert out["model_id"].nunique() == candidates["model_id"].nunique()  # nothing collides
    renamed = dict(zip(candidates["model_id"], out["model_id"], strict=True))
    if dataset == "frontier":
        assert renamed["google-deepmind/gemini-1.5-pro"] == "google/gemini-1.5-pro"
        assert renamed["google-research/palm-540b"] == "google/palm-540b"
        assert renamed["deepmind/gopher-280b"] == "google/gopher-280b"


def test_ids_not_built_from_the_lead_organization_are_kept():
    _, candidates = source_candidates("openrouter", "models")
    corrupted = candidates.copy()
    corrupted.loc[2, "model_id"] = "someone-else/qwen3.7-flash"  # lead is still `qwen`
    out = apply_reference(corrupted)
    assert out.loc[2, "model_id"] == "someone-else/qwen3.7-flash"
    assert apply_reference(candidates).loc[2, "model_id"] == "alibaba/qwen3.7-flash"
    # `~author/...-latest` aliases suggest no model, before and after.
    assert out["model_id"].isna().sum() == candidates["model_id"].isna().sum() == 10


def test_countries_come_from_the_table_only_where_a_record_has_none():
    _, openrouter = source_candidates("openrouter", "models")
    out = apply_reference(openrouter)
    assert out.loc[2, ["organizations", "country_codes"]].tolist() == [["Alibaba"], ["CN"]]
    assert out["country_codes"].str.len().gt(0).sum() == 303  # of 336: 33 unlisted labs
    _, epoch = source_candidates("epoch", "notable")
    kept = apply_reference(epoch)
    had = epoch["country_codes"].str.len() > 0
    assert kept["country_codes"][had].tolist() == epoch["country_codes"][had].tolist()


def test_hub_licences_decide_the_open_state_and_gating_does_not_close_a_repo():
    records, candidates = source_candidates("huggingface", "details")
    out = apply_reference(candidates)
    assert out[
        ["source_key", "license_id", "weights_access", "commercial_use"]
    ].values.tolist() == [
        ["google-bert/bert-base-uncased", "Apache-2.0", "open_unrestricted", "allowed"],
        ["deepset/roberta-base-squad2", "CC-BY-4.0", "open_unrestricted", "allowed"],
        [
            "sentence-transformers/paraphrase-albert-small-v2",
            "Apache-2.0",
            "open_unrestricted",
            "allowed",
        ],
        ["stabilityai/stable-diffusion-2-1", "openrail++", "open_restricted", "restricted"],
    ]
    gated = records.assign(gated="manual")  # a corrupted copy: every repo gated
    regated = apply_reference(SOURCES["huggingface"].normalize(gated, "details"))
    assert regated["weights_access"].tolist() == out["weights_access"].tolist()


def test_other_stays_unknown_and_never_permissive():
    _, trending = source_candidates("huggingface", "trending")
    out = apply_reference(trending)
    other = out[out["license_raw"] == "other"]
    assert len(other) == 3
    assert other["license_id"].tolist() == ["other"] * 3
    assert other["weights_access"].isna().all()
    assert other["commercial_use"].isna().all()


def test_a_source_access_state_stands_and_a_contradicting_licence_is_left_out():
    _, models = source_candidates("modelsdev", "models")
    out = apply_reference(models)
    mit = out[out["license_raw"] == "MIT"]
    assert mit["weights_access"].tolist() == ["open_unrestricted"] * 4
    corrupted = models.copy()
    corrupted.loc[mit.index[0], "weights_access"] = "api"  # the source says: no weights
    row = apply_reference(corrupted).loc[mit.index[0]]
    assert (row["weights_access"], row["license_id"], row["commercial_use"]) == ("api", None, None)


def test_epoch_labels_stand_and_notes_give_the_licence():
    records, candidates = source_candidates("epoch", "notable")
    out = apply_reference(candidates)
    labels = records[ACCESSIBILITY].map(epoch_labels("weights_access"))
    assert out["weights_access"].tolist() == labels.tolist()
    by_model = out.set_index(records["Model"])
    assert by_model.loc["Llama 3.1-405B", ["license_id", "commercial_use"]].tolist() == [
        "llama3.1",
        "restricted",
    ]
    assert by_model.loc["DeepSeek-V3", "license_id"] == "deepseek"
    # "Apache 2.0\nhttps://github.com/danijar/dreamerv3": the code's licence; weights unreleased.
    assert by_model.loc["DreamerV3", ["weights_access", "license_id"]].tolist() == [
        "unreleased",
        None,
    ]
    assert out["license_id"].notna().sum() == 237


def test_share_of_open_models_with_a_known_licence_in_the_replay_snapshot():
    merged = merge_candidates(
        pd.concat(
            # as `parse_documents` gives them: through `apply_reference`, with their locators
            [replay_frames("epoch")[d][1] for d in SOURCES["epoch"].urls],
            ignore_index=True,
        ),
        rank=[f"epoch.{d}" for d in SOURCES["epoch"].urls],  # the flow's order
        previous=None,
        seen_at=datetime(2026, 5, 2, tzinfo=UTC),
    )
    open_models = merged[merged["openness"] == "open"]
    assert (len(merged), len(open_models), open_models["license_id"].notna().sum()) == (
        1355,
        498,
        384,
    )
    known = open_models[open_models["license_id"].notna()]
    sources = known["provenance"].map(lambda p: json.loads(p)["license_id"].split(":")[0])
    assert sources.value_counts().to_dict() == {
        "epoch.notable": 188,
        "epoch.large_scale": 185,
        "epoch.frontier": 11,
    }


@pytest.mark.parametrize(
    ("model", "published"),
    [
        ("Llama 3.1-405B", 3.8e25),
        ("DeepSeek-V3", 3.3e24),
        ("DBRX", 2.6e24),
        ("Qwen2.5-72B", 7.8e24),
    ],
)
def test_compute_estimate_matches_epoch_where_epoch_counted_operations(model, published):
    """Epoch's own figures for these are 6·N·D; blank them and the estimate comes back."""
    records, candidates = source_candidates("epoch", "notable")
    row = records.index[records["Model"] == model]
    tokens = pd.to_numeric(records["Training dataset size (total)"], errors="coerce")
    blanked = candidates.loc[row].assign(
        training_tokens=tokens[row], training_compute_flop=float("nan"), compute_method=None
    )
    out = apply_reference(blanked).iloc[0]
    assert out["training_compute_flop"] == pytest.approx(published, rel=0.02)
    assert (out["compute_method"], out["compute_confidence"]) == ("operation_count", "likely")
    kept = apply_reference(candidates.loc[row].assign(training_tokens=tokens[row])).iloc[0]
    assert (kept["training_compute_flop"], kept["compute_method"]) == (published, "source")


def test_unit_errors_are_flagged_not_dropped():
    records, candidates = source_candidates("epoch", "notable")
    out = apply_reference(candidates)
    flagged = out[out["quality_flags"].str.len() > 0]
    # Real small models of the LLM era, listed for review, values kept.
    assert dict(zip(flagged["name"], flagged["quality_flags"], strict=True)) == {
        "Table Tennis Agent": ["parameters 1.85e+05 < 1e+06"],
        "Robot Parkour": ["parameters 5e+05 < 1e+06"],
        "Swift": ["parameters 5.68e+04 < 1e+06"],
        "CURL": ["parameters 9.073e+05 < 1e+06"],
    }
    row = records.index[records["Model"] == "Llama 3.1-405B"]
    slipped = candidates.loc[row].assign(parameters=405.0, training_compute_flop=3.8e9)
    out = apply_reference(slipped).iloc[0]
    assert out["quality_flags"] == [
        "parameters 405 < 1e+06",
        "training_compute_flop 3.8e+09 < 1e+10",
    ]
    assert out["parameters"] == 405.0
