"""The headline keeps the seed's count and shows what it is made of (issue 12)."""

from __future__ import annotations

import pandas as pd

from ai_landscape.report import fidelity
from tests.real_frames import replay_tables


def test_headline_of_the_replay_exports():
    models = replay_tables()["models"]
    assert fidelity.headline(models) == {
        "confirmed": 328,
        "confirmed_derived": 49,
        "confirmed_by_openness": {"open": 224, "closed": 103, "unknown": 1},
        "epoch_list": 509,
        "epoch_list_by_openness": {"open": 238, "closed": 248, "unknown": 23},
    }
    notes = fidelity.headline_notes(models)
    assert notes[1] == (
        "Why 'confirmed' leans open: closed labs rarely publish compute (103 closed / 224 "
        "open confirmed, against 248 / 238 in Epoch's list)."
    )


def test_derived_models_by_year_add_up_to_the_derived_headline():
    models = replay_tables()["models"]
    derived = fidelity.derived_by_year(models)
    assert int(derived["models"].sum()) == 49
    year = derived[derived["year"] == 2025].set_index(["country_group", "openness"])["models"]
    assert year.to_dict() == {("CN", "open"): 18, ("US", "open"): 3, ("rest_of_world", "open"): 1}


def test_a_chart_credits_only_the_sources_of_its_models():
    models = pd.DataFrame(
        {
            "sources": [["epoch"], ["epoch", "feeds"]],
            "release_date": [None, pd.Timestamp("2025-06-01").date()],
        }
    )
    credits = fidelity.chart_credits(models, "snap")
    assert credits.attribution == "Epoch AI, CC BY 4.0; labs' news feeds"
    assert credits.latest_release == "2025-06-01"


def test_the_classes_table_defines_every_large_scale_class_and_the_new_columns():
    from ai_landscape.schema import LARGE_SCALE

    table = fidelity.classes_table()
    names = table["class or column"].tolist()
    assert names[: len(LARGE_SCALE)] == [f"large_scale = {c}" for c in LARGE_SCALE]
    assert names[len(LARGE_SCALE) :] == [
        "listed_large_scale",
        "compute_scope",
        "finetune_compute_flop",
        "base_model_id",
    ]


def test_listed_labs_licences_of_epoch_alone():
    """Epoch's exports alone: its links name a repo for 10 of the seven labs' 186 open models,
    and no licence comes from a repo (the replay with the Hub listing: 228 / 131 / 93 / 188,
    tests/pipeline/test_pipeline.py). Without the listing no model has a Hub record, so every
    model naming a repo names one the listing lacks, and no family is in it."""
    models = replay_tables()["models"]
    assert fidelity.listed_labs_licences(models) == {
        "open_models": 186,
        "name_a_repo": 10,
        "licence_from_repo": 0,
        "any_licence": 151,
        "not_from_repo": {
            "repo licence other or blank": 0,
            "repo not in listing, newer": 0,
            "repo not in listing": 10,
            "no repo, newer": 0,
            "no repo, family in listing": 0,
            "no repo, family not in listing": 176,
        },
    }
