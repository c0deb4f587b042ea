"""Why an open model of the seven listed labs takes no licence from a weights repo (issue 12),
on the full replay: the gap to the 90% goal, explained model by model and counted."""

from __future__ import annotations

import pandas as pd

from ai_landscape.report import fidelity
from ai_landscape.report.licence_gap import REASONS, gap_reasons, listing_date
from ai_landscape.report.run_figures import figure_lines, run_figures


def _reasons(store) -> pd.Series:
    models = store.read_table("models")
    chosen = fidelity.listed_labs_models(models)
    from_repo = fidelity.licence_source(chosen) == fidelity.LICENCE_SOURCES[0]
    listed_on = listing_date(store.manifest("latest")["sources"])
    reasons = gap_reasons(chosen, from_repo, models, listed_on)
    return reasons.set_axis(chosen.loc[reasons.index, "name"].to_numpy())


def test_the_listing_date_is_that_of_its_recorded_pages(full_replay):
    """The Hub listing was recorded on 2025-10-11 (data/replay/huggingface/PROVENANCE.md)."""
    sources = full_replay.manifest("latest")["sources"]
    assert listing_date(sources) == pd.Timestamp("2025-10-11")
    assert listing_date({}) is None


def test_each_model_without_a_repo_licence_has_its_reason(full_replay):
    reasons = _reasons(full_replay)
    assert len(reasons) == 135  # of 228: 93 take the licence of their repo
    assert reasons.value_counts().reindex(list(REASONS)).tolist() == [18, 18, 2, 3, 19, 75]
    expected = {
        # The listing's licence is `other` (the dump kept no license_name): Epoch's stands.
        "Qwen-72B": REASONS[0],
        "Llama 4 Scout": REASONS[0],
        "Ministral 8B": REASONS[0],  # newly linked to Ministral-8B-Instruct-2410 (`other`)
        # Repos named by models.dev / OpenRouter, newer than the listing (2025-10-11).
        "Qwen3.5 27B": REASONS[1],
        "DeepSeek V4 Pro": REASONS[1],
        "Mistral Large 3": REASONS[1],
        "Wan 2.2 14B T2V": REASONS[2],  # Wan-AI/..., not a listed namespace
        "SAM 3": REASONS[3],
        # Repos of the family are listed, none of them the model by a rule.
        "Gemma 3n": REASONS[4],  # E2B and E4B
        "phi-3-medium 14B": REASONS[4],  # 4k and 128k, no size in the repo name
        "Qwen3-Next-80B-A3B": REASONS[4],  # -Instruct and -Thinking
        # Weights elsewhere: facebook/* (not in the listing), GitHub, or nowhere.
        "OPT-66B": REASONS[5],
        "RoBERTa Large": REASONS[5],
        "AlphaFold 2": REASONS[5],
        "GraphCast": REASONS[5],
    }
    assert reasons[list(expected)].to_dict() == expected
    # Linked by the new rules, so licensed by their repos and absent here.
    for name in ("Mistral 7B", "Mixtral 8x7B", "Code Llama-34B", "Llama 3.2 11B"):
        assert name not in reasons.index


def test_the_run_summary_prints_the_reasons_beside_the_goal(full_replay):
    models = full_replay.read_table("models")
    figures = run_figures(models, {}, full_replay.manifest("latest")["sources"])
    lines = figure_lines(figures)
    assert lines[-2] == (
        "open models of the seven listed labs in a catalogue: 228; name a weights repo 131 "
        "(57.5%), licence from it 93 (40.8%), any licence 188 (82.5%)"
    )
    assert lines[-1] == (
        "why 135 of them take no licence from a repo: repo licence other or blank 18; "
        "repo not in listing, newer 18; repo not in listing 2; no repo, newer 3; "
        "no repo, family in listing 19; no repo, family not in listing 75"
    )
