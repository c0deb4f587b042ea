"""A source's compute more than 10x off 6·N·D from its own N and D is a conflicts row (issue
12), on the real Epoch records."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.conflicts import compute_against_estimate, find_conflicts
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.resolution import resolve
from tests.replay_values import replay_frames


def _epoch_conflicts() -> pd.DataFrame:
    candidates = pd.concat([c for _, c in replay_frames("epoch").values()], ignore_index=True)
    candidates = resolve(candidates, DATASET_RANK)
    candidates["locator"] = (
        "epoch." + candidates["dataset"] + "#row=" + candidates["row"].astype(str)
    )
    models = merge_candidates(
        candidates, rank=DATASET_RANK, previous=None, seen_at=datetime(2026, 5, 2, tzinfo=UTC)
    )
    return find_conflicts(candidates, models)


def test_opt_13b_stated_compute_against_6nd_with_the_papers_token_count():
    """The real OPT-13B record of Epoch's large-scale export (3.53e23 FLOP, 13B parameters)
    gives no token count; with the 180B tokens of the OPT paper (Zhang et al. 2022, section
    2.3: not a recorded source value, added here by hand) 6·N·D is 1.4e22, 25x less."""
    candidates = pd.concat([c for _, c in replay_frames("epoch").values()], ignore_index=True)
    opt = candidates[candidates["source_key"] == "OPT-13B"].copy()
    assert opt[["dataset", "parameters", "training_compute_flop"]].values.tolist() == [
        ["large_scale", 13e9, 3.53e23]
    ]
    assert opt["training_tokens"].isna().all()
    assert compute_against_estimate(opt.assign(_source="epoch.large_scale")).empty
    opt = opt.assign(_source="epoch.large_scale", training_tokens=180e9)
    rows = compute_against_estimate(opt)
    assert rows[["field", "source", "value"]].values.tolist() == [
        ["training_compute_flop", "epoch.large_scale", "3.53e+23"],
        [
            "training_compute_flop",
            "epoch.large_scale 6·N·D",
            "1.4e+22 = 6 × 13000000000 parameters × 180000000000 tokens",
        ],
    ]


def test_no_record_of_the_replay_gives_tokens_so_no_estimate_row():
    """No normalizer reads a token count yet (Epoch's `Training dataset size` is not mapped to
    `training_tokens`), so over the replay the check finds nothing: 0 rows."""
    conflicts = _epoch_conflicts()
    assert conflicts["source"].str.endswith(" 6·N·D").sum() == 0


def test_a_fine_tune_and_an_estimate_are_not_compared():
    frame = pd.DataFrame(
        {
            "model_id": ["a", "b", "c"],
            "_source": ["epoch.notable"] * 3,
            "locator": ["x", "y", "z"],
            "parameters": [1e10] * 3,
            "active_parameters": [None] * 3,
            "training_tokens": [1e11] * 3,  # 6·N·D = 6e21
            "training_compute_flop": [1e24, 1e24, 6e21 * 20],
            "finetune_compute_flop": [None, 1e21, None],
            "compute_method": [None, None, "operation_count"],
            "base_models": [[], [], []],
        }
    )
    assert compute_against_estimate(frame)["model_id"].tolist() == ["a", "a"]
