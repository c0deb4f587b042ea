"""Over-long fields held out before resolution (validate/fieldlimits.py), checked over every
dataset's candidates at once: each held row goes back to its own dataset."""

from __future__ import annotations

import pandas as pd
import pytest

from ai_landscape.http.client import make_client
from ai_landscape.pipeline.ingest import ingest
from ai_landscape.pipeline.selection import select_datasets
from ai_landscape.validate.fieldlimits import hold_overlong, overlong


@pytest.fixture
def results(tmp_path):
    client = make_client("replay", tmp_path)
    keys = ["epoch.frontier", "openrouter.models", "huggingface.details", "modelsdev.models"]
    return [ingest(r, client, tmp_path) for r in select_datasets(keys, None, "replay")]


def test_the_real_replay_holds_nothing(results):
    sizes = [len(r.candidates) for r in results]
    assert hold_overlong(results).empty
    assert [len(r.candidates) for r in results] == sizes
    assert ["held_overlong" in r.info for r in results] == [False] * 4


def test_each_held_row_leaves_its_own_dataset(results):
    frontier, _openrouter, hub, modelsdev = results
    sizes = [len(r.candidates) for r in results]
    frontier.candidates.loc[5, "name"] = "x" * 301
    frontier.candidates.loc[9, "license_raw"] = "y" * 1001
    hub_row = hub.candidates.index[2]
    hub.candidates.at[hub_row, "hf_repo_ids"] = ["org/short", "org/" + "z" * 400]
    last = modelsdev.candidates.index[-1]
    modelsdev.candidates.at[last, "organizations"] = ["w" * 300, "v" * 302]
    kept_hub = hub.candidates.drop(index=hub_row)

    held = hold_overlong(results)

    assert held[["source", "dataset", "field", "length"]].to_dict("records") == [
        {"source": "epoch", "dataset": "frontier", "field": "name", "length": 301},
        {"source": "epoch", "dataset": "frontier", "field": "license_raw", "length": 1001},
        {"source": "huggingface", "dataset": "details", "field": "hf_repo_ids", "length": 404},
        {"source": "modelsdev", "dataset": "models", "field": "organizations", "length": 302},
    ]
    assert held["preview"].tolist() == [
        "x" * 80,
        "y" * 80,
        str(["org/short", "org/" + "z" * 400])[:80],
        str(["w" * 300, "v" * 302])[:80],
    ]
    assert held["_quarantined_by"].tolist() == [
        "field_length: name over 300 characters",
        "field_length: license_raw over 1000 characters",
        "field_length: hf_repo_ids over 300 characters",
        "field_length: organizations over 300 characters",
    ]
    assert [len(r.candidates) for r in results] == [
        sizes[0] - 2,
        sizes[1],
        sizes[2] - 1,
        sizes[3] - 1,
    ]
    assert [r.info.get("held_overlong") for r in results] == [2, None, 1, 1]
    assert 5 not in frontier.candidates.index
    assert 9 not in frontier.records.index
    assert (hub.candidates.index == kept_hub.index).all()
    assert (hub.records.index == hub.candidates.index).all()


def test_a_value_over_two_limits_is_held_once():
    frame = pd.DataFrame(
        {
            "name": ["n" * 301, "ok"],
            "source_key": ["k" * 301, "ok"],
            "model_id": ["m", "m"],
            "license_raw": [None, "mit"],
            "organizations": [["o" * 301], None],
            "hf_repo_ids": [[], "r" * 301],
            "openrouter_ids": [None, []],
        },
        index=[7, 8],
    )
    assert overlong(frame).to_dict("records") == [
        {"index": 7, "field": "name", "length": 301},
        {"index": 8, "field": "hf_repo_ids", "length": 301},
    ]
