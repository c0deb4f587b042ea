"""The suites (expectations/*.json) as declared, how gx_runner runs any suite (missing
columns, large frames, the caller's frame, SQL expectations), and the views it validates.

The models suites on real and corrupted rows are in test_validate_models.py; the shared rows
in validate_frames.py."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pycountry

from ai_landscape import schema, settings
from ai_landscape.normalize import access
from ai_landscape.validate.gx_runner import load_suite, validate_frame
from ai_landscape.validate.outcome import SEVERITIES
from ai_landscape.validate.views import country_codes_exploded, models_with_counts
from tests.replay_values import replay_frames
from tests.validate_frames import failures, models_frame

SUITES = sorted(p.stem for p in settings.EXPECTATIONS_DIR.glob("*.json"))


# --- the suites themselves --------------------------------------------------------------------


def test_every_suite_declares_name_severity_and_why():
    assert SUITES == [
        "conflicts",
        "events",
        "hub_lineage",
        "hub_repos",
        "hub_repos_table",
        "models",
        "models_country_codes",
        "records",
        "records_epoch",
        "records_feeds",
        "records_huggingface",
        "records_modelsdev",
        "records_openrouter",
    ]
    for name in SUITES:
        suite = load_suite(name)
        assert suite["name"] == name
        names = [e["meta"]["name"] for e in suite["expectations"]]
        assert len(names) == len(set(names)), name
        for expectation in suite["expectations"]:
            assert expectation["meta"]["severity"] in SEVERITIES
            assert expectation["meta"]["why"]
        severities = {e["meta"]["severity"] for e in suite["expectations"]}
        if name.startswith("hub_"):  # the census quarantines nothing; some checks only warn
            assert severities <= {"blocking", "warn"}
        elif not name.startswith("models"):  # only models rows can be quarantined
            assert severities == {"blocking"}


def test_models_suite_severities():
    by_severity: dict[str, list[str]] = {}
    for e in load_suite("models")["expectations"]:
        by_severity.setdefault(e["meta"]["severity"], []).append(e["meta"]["name"])
    assert by_severity["row"] == [
        "compute_in_range",
        "compute_floor_since_2010",
        "parameters_in_range",
        "parameters_match_size_in_name",
        "release_date_in_range",
        "release_date_not_hub_sentinel",
    ]
    assert by_severity["warn"] == ["open_models_link_weights"]
    assert len(by_severity["blocking"]) == 21


def test_enum_sets_mirror_schema():
    sets = {
        e["kwargs"]["column"]: tuple(e["kwargs"]["value_set"])
        for e in load_suite("models")["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
    }
    assert sets == {
        "weights_access": schema.WEIGHTS_ACCESS,
        "openness": schema.OPENNESS,
        "commercial_use": schema.COMMERCIAL_USE,
        "large_scale": schema.LARGE_SCALE,
        "compute_scope": schema.COMPUTE_SCOPES,
        "compute_method": schema.COMPUTE_METHOD,
        "compute_confidence": schema.COMPUTE_CONFIDENCE,
        "base_model_listed": (True,),  # a view column: base_model_id is a row of models
    }
    mappings = {
        e["meta"]["name"]: e["kwargs"]["mapping"]
        for e in load_suite("models")["expectations"]
        if e["type"] == "expect_column_pair_values_to_follow_mapping"
    }
    states = pd.Series(schema.WEIGHTS_ACCESS)
    assert mappings["openness_follows_weights_access"] == dict(
        zip(states, access.openness(states), strict=True)
    )
    derived = dict(zip(states, access.commercial_use(states), strict=True))
    assert mappings["commercial_use_follows_weights_access"] == {
        k: v for k, v in derived.items() if k in schema.OPEN_ACCESS
    }


def test_country_codes_are_pycountrys_alpha2():
    (expectation,) = load_suite("models_country_codes")["expectations"]
    assert expectation["kwargs"]["value_set"] == sorted(c.alpha_2 for c in pycountry.countries)
    assert len(expectation["kwargs"]["value_set"]) == 249


def test_records_suites_require_what_the_sources_parse():
    from ai_landscape.sources.epoch import constants as epoch
    from ai_landscape.sources.feeds import constants as feeds
    from ai_landscape.sources.huggingface import constants as huggingface
    from ai_landscape.sources.modelsdev import constants as modelsdev
    from ai_landscape.sources.openrouter import constants as openrouter

    def required(suite: str) -> list[str]:
        (e,) = [
            e for e in load_suite(suite)["expectations"] if e["meta"]["name"] == "required_columns"
        ]
        assert e["kwargs"]["exact_match"] is False
        return e["kwargs"]["column_set"]

    assert required("records_epoch") == ["_row", *epoch.REQUIRED_COLUMNS]
    assert required("records_openrouter") == ["_row", *openrouter.REQUIRED_KEYS]
    assert required("records_modelsdev") == ["_row", modelsdev.ID, *modelsdev.REQUIRED_KEYS]
    assert required("records_huggingface") == ["_row", *huggingface.REQUIRED_FIELDS]
    assert required("records_feeds") == ["_row", *feeds.RECORD_COLUMNS]
    assert required("records") == ["_row"]


# --- running a suite -------------------------------------------------------------------------


def test_missing_column_fails_that_expectation_without_crashing():
    report = validate_frame(models_frame().drop(columns=["name"]), "models")
    assert set(failures(report)) == {
        ("models", "name_not_null"),
        ("models", "parameters_match_size_in_name"),
    }
    for failed in failures(report).values():
        assert failed.unexpected_count is None
        assert "name" in failed.error
    assert report.evaluated == 28


def test_caller_frame_is_not_modified():
    frame = models_frame("datetime64")
    before = frame.copy()
    validate_frame(frame, "models")
    pd.testing.assert_frame_equal(frame, before)


def test_large_frames_take_the_categorical_path():
    """From 10,000 rows, enum-like text becomes categorical for GX: same verdicts, same rows."""
    real = models_frame(model_ids=())
    frame = pd.concat([real] * 8, ignore_index=True)  # 10,840 rows
    frame["model_id"] = frame["model_id"] + "#" + (frame.index // len(real)).astype(str)
    frame.loc[10_000, "weights_access"] = "open_weights"
    gopher = 7 * len(real) + 421  # the last copy of "Gopher (280B)"
    assert frame.loc[gopher, "name"] == "Gopher (280B)"
    frame.loc[gopher, "parameters"] = 280.0
    report = validate_frame(frame, "models")
    assert {k: f.rows for k, f in failures(report).items()} == {
        ("models", "weights_access_in_set"): (10_000,),
        ("models", "parameters_match_size_in_name"): (gopher,),
    }


def test_a_sparse_list_column_in_a_large_frame_is_not_taken_for_text():
    """Real models.dev records, each file copied 50 times in path order (as a 50x bundle
    parses): 11,550 rows whose `links` (lists of dicts, 6 of 231 files) is null in the first
    2,950 rows and a list later. It used to be sampled as text on its first 1,000 values and
    crash in `_for_filtering` with `TypeError: unhashable type: 'list'`."""
    records, _ = replay_frames("modelsdev")["models"]
    frame = records.loc[records.index.repeat(50)].reset_index(drop=True)
    frame["id"] = frame["id"] + "#" + (frame.index % 50).astype(str)
    links = frame["links"]
    assert (len(frame), links.notna().sum(), links.notna().idxmax()) == (11_550, 300, 2_950)
    assert isinstance(links[2_950], list)
    assert isinstance(links[2_950][0], dict)
    report = validate_frame(frame, "records_modelsdev", target="modelsdev.models records")
    assert (report.success, report.rows, report.failed) == (True, 11_550, ())


def test_unexpected_rows_expectation_does_not_run_on_pandas(tmp_path):
    """Why the cross-column checks are custom map expectations, not SQL ones."""
    suite = {
        "name": "sql_check",
        "expectations": [
            {
                "type": "unexpected_rows_expectation",
                "kwargs": {"unexpected_rows_query": "select * from {batch} where parameters < 0"},
                "meta": {"name": "negative_parameters", "severity": "row", "why": "-"},
            }
        ],
    }
    (tmp_path / "sql_check.json").write_text(json.dumps(suite))
    (failed,) = validate_frame(models_frame(), "sql_check", directory=tmp_path).failed
    assert failed.error == (
        "No provider found for unexpected_rows_query.table using PandasExecutionEngine"
    )


# --- views ------------------------------------------------------------------------------------


def test_views_keep_the_table_row_labels():
    frame = models_frame().set_index(pd.Index([10, 11, 12, 13]))
    frame.at[11, "country_codes"] = ["US", "GB"]
    frame.at[13, "country_codes"] = []
    exploded = country_codes_exploded(frame)
    assert exploded.index.tolist() == [10, 11, 11, 12]
    assert exploded["country_code"].tolist() == ["CN", "US", "GB", "US"]
    assert exploded["model_id"].tolist()[1:3] == ["openai/gpt-4o", "openai/gpt-4o"]
    repos = [[], [], ["meta-llama/Llama-3.1-8B"], []]
    frame["hf_repo_ids"] = [np.array(r, dtype=object) for r in repos]  # as from parquet
    assert models_with_counts(frame)["hf_repo_count"].tolist() == [0, 0, 1, 0]
