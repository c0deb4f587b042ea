"""`landscape normalize license|params|compute|announcement`: the answer, the rule, the exit
status."""

from __future__ import annotations

import io
import json

import pandas as pd

from ai_landscape.commands.normalize import EXIT_OK, EXIT_UNRESOLVED, EXIT_USAGE, explain
from tests.normalize.test_licenses import SNAPSHOT
from tests.replay_values import licence_cells


def _run(kind: str, text: str | None = None, *, as_json: bool = False, stdin: str = ""):
    return explain(kind, text, as_json=as_json, stdin=io.StringIO(stdin))


def test_licence_as_text():
    assert _run("license", "Llama 3.1 Community") == (
        EXIT_OK,
        [
            "input           Llama 3.1 Community",
            "license_id      llama3.1",
            "weights_access  open_restricted",
            "openness        open",
            "commercial_use  restricted",
            "rule            licenses.csv:26 llama3.1: alias 'llama 3.1 community'",
        ],
    )


def test_licence_as_json_has_the_issue_keys():
    status, lines = _run("license", "Propretary", as_json=True)
    assert status == EXIT_OK
    assert [json.loads(line) for line in lines] == [
        {
            "input": "Propretary",
            "license_id": "proprietary",
            "weights_access": "api",
            "openness": "closed",
            "commercial_use": "unknown",
            "rule": "licenses.csv:104 proprietary: alias 'propretary'",
        }
    ]


def test_an_epoch_label_is_licence_input():
    status, lines = _run("license", "Open weights (restricted use)", as_json=True)
    assert (status, json.loads(lines[0])["weights_access"]) == (EXIT_OK, "open_restricted")
    assert (
        json.loads(lines[0])["rule"] == "Epoch accessibility label 'Open weights (restricted use)'"
    )


def test_standard_input_one_json_object_per_line_and_unknown_sets_the_status():
    status, lines = _run("license", as_json=True, stdin="MRL\n\nother\nCC-BY-NC-4.0\n")
    assert status == EXIT_UNRESOLVED  # `other` says nothing
    assert [(r["input"], r["license_id"], r["weights_access"]) for r in map(json.loads, lines)] == [
        ("MRL", "mistral-research", "open_noncommercial"),
        ("other", "other", "unknown"),
        ("CC-BY-NC-4.0", "CC-BY-NC-4.0", "open_noncommercial"),
    ]


def test_a_file_of_every_replay_licence_string_in_one_call():
    texts = licence_cells()["text"]
    one_line = texts[~texts.str.contains("\n")].drop_duplicates()
    status, lines = _run("license", as_json=True, stdin="\n".join(one_line))
    assert (status, len(lines)) == (EXIT_UNRESOLVED, 205)
    snapshot = pd.read_csv(SNAPSHOT, dtype=str, keep_default_na=False).set_index("text")
    for line in lines:
        answer = json.loads(line)
        expected = snapshot.loc[answer["input"]]
        assert (answer["license_id"] or "", answer["weights_access"]) == (
            expected["license_id"],
            expected["weights_access"],
        )


def test_params_as_text_and_json():
    assert _run("params", "13B active parameters out of 284B total") == (
        EXIT_OK,
        [
            "input              13B active parameters out of 284B total",
            "parameters         2.84e+11",
            "active_parameters  1.3e+10",
            "rule               labelled total; labelled active",
        ],
    )
    status, lines = _run("params", as_json=True, stdin="671B\n7.24 billion\nseven\n")
    assert status == EXIT_UNRESOLVED
    assert [json.loads(line) for line in lines] == [
        {"input": "671B", "parameters": 671e9, "active_parameters": None, "rule": "one number"},
        {
            "input": "7.24 billion",
            "parameters": 7.24e9,
            "active_parameters": None,
            "rule": "one number",
        },
        {"input": "seven", "parameters": None, "active_parameters": None, "rule": "no count found"},
    ]


def test_compute_as_json():
    status, lines = _run("compute", as_json=True, stdin="3.8×10^25\n~2e24 FLOP\n10^23\n")
    assert status == EXIT_OK
    assert [json.loads(line)["training_compute_flop"] for line in lines] == [3.8e25, 2e24, 1e23]


def test_usage_errors():
    assert _run("licence", "MIT") == (
        EXIT_USAGE,
        ["error: unknown kind 'licence'; one of license, params, compute, announcement"],
    )
    assert _run("params", stdin="\n  \n") == (
        EXIT_USAGE,
        ["error: no value given (pass TEXT or lines on standard input)"],
    )


def test_announcement_with_the_classifiers_cues():
    """A feed title (and summary after ` | `): the detector's answer and the learned weights
    of the cues that fired, which add up to the classifier's log-odds."""
    status, lines = _run("announcement", stdin="GLM-5.1\nHow we hire engineers\n", as_json=True)
    assert status == EXIT_OK
    glm, hiring = (json.loads(line) for line in lines)
    assert (glm["is_model_announcement"], glm["model_names"], glm["rule"]) == (
        True,
        "GLM-5.1",
        "title_name",
    )
    assert glm["classifier_probability"] > 0.5 > hiring["classifier_probability"]
    assert glm["classifier_cues"].startswith("rules:announce=+5.52; ")
    assert glm["classifier_cues"].endswith("(bias)=-4.48")
    assert (hiring["is_model_announcement"], hiring["model_names"], hiring["rule"]) == (
        False,
        "",
        None,
    )
