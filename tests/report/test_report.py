"""`landscape report` on snapshots built by the flow from the recorded Epoch exports.

`replay_store` (conftest) holds two snapshots, the second with a parent to report changes
against.
"""

from __future__ import annotations

import base64
import json
import re

import duckdb
import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.publish.warehouse import open_store
from ai_landscape.report import chartdata, charts
from ai_landscape.report.build import build_report
from ai_landscape.report.chartdata import LARGE_SCALE_PANELS
from ai_landscape.report.coverage import attribution, coverage
from ai_landscape.report.groups import country_group
from ai_landscape.resolve.events import compare_models, count_by_type
from tests.conftest import REPLAY_EVENT_COUNTS
from tests.real_frames import replay_models, replay_tables

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_report_renders_pngs_csvs_and_a_self_contained_page(replay_store, tmp_path):
    report = build_report(replay_store.root, "latest", tmp_path / "out")
    assert report.snapshot_id == replay_store.second
    assert sorted(p.name for p in report.folder.iterdir()) == [
        "changes.csv",
        "conflicts_by_field.csv",
        "coverage.csv",
        "index.html",
        "large_scale.png",
        "large_scale_any.csv",
        "large_scale_confirmed.csv",
        "large_scale_derived.csv",
        "licence_sources.csv",
        "licences.csv",
        "licences.png",
        "sources_per_model.csv",
        "weights_access.csv",
        "weights_access.png",
    ]
    sizes = {}
    for name, path in report.images.items():
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE), name
        assert len(data) > 50_000, name
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            sizes[name] = image.size
    assert sizes == {
        "large_scale": (1650, 1500),
        "weights_access": (1950, 1275),
        "licences": (1950, 1275),
    }

    page = report.page.read_text("utf-8")
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) == 3
    inlined = [base64.b64decode(s.removeprefix("data:image/png;base64,")) for s in sources]
    assert inlined == [p.read_bytes() for p in report.images.values()]  # nothing fetched
    assert "<link" not in page
    # Scripts are inlined (the model explorer): none is loaded from anywhere.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script type="application/json" id="explorer-data">',
        "<script>",
    ]
    assert re.findall(r'(?:src|href)="https?:', page) == []
    assert f"<h1>AI landscape: snapshot {replay_store.second}</h1>" in page
    assert "<tr><th>Data</th><td>Epoch AI, CC BY 4.0</td></tr>" in page
    assert f"<tr><th>Parent</th><td>{replay_store.first}</td></tr>" in page


def test_cli_report_writes_under_the_warehouse_by_default(replay_store):
    result = CliRunner().invoke(
        app, ["report", "--snapshot", replay_store.first, "--warehouse", str(replay_store.root)]
    )
    assert result.exit_code == 0, result.output
    folder = replay_store.root / "_reports" / replay_store.first
    assert result.stdout.splitlines()[0] == (
        f"report of snapshot {replay_store.first}: {folder / 'index.html'}"
    )
    page = (folder / "index.html").read_text("utf-8")
    assert "No previous snapshot: this is the first one in the store" in page
    assert not (folder / "changes.csv").exists()


def test_cli_report_unknown_snapshot_exits_2(replay_store):
    result = CliRunner().invoke(
        app, ["report", "--snapshot", "2020-01-01", "--warehouse", str(replay_store.root)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: no snapshot on 2020-01-01 in {replay_store.root}"


DIRECT_CHART_1 = """
    with grouped as (
        select year(release_date) as year, openness, large_scale,
               coalesce(list_contains(country_codes, 'US'), false) as us,
               coalesce(list_contains(country_codes, 'CN'), false) as cn,
               coalesce(len(country_codes), 0) as n
        from read_parquet(?) where release_date is not null
    )
    select year,
           case when us and cn then 'US+CN' when us then 'US' when cn then 'CN'
                when n > 0 then 'rest_of_world' else 'unknown' end,
           openness, count(*)
    from grouped where list_contains(?, large_scale) group by all
"""


@pytest.mark.parametrize(
    ("panel", "levels", "total"),
    [("confirmed", ["confirmed"], 328), ("any", ["confirmed", "estimated", "unconfirmed"], 535)],
)
def test_chart_1_numbers_equal_a_direct_duckdb_count(replay_store, panel, levels, total):
    store = open_store(replay_store.root)
    path = str(store.table_path("models", replay_store.second))
    direct = duckdb.connect().execute(DIRECT_CHART_1, [path, levels]).fetchall()
    chart = chartdata.large_scale_by_year(store.read_table("models"), panel)
    assert sorted(chart.itertuples(index=False, name=None)) == sorted(direct)
    assert chart["models"].sum() == total


def test_chart_1_headline_2025():
    """Large-scale models (compute >= 1e23 known) released in 2025: China's mostly open."""
    chart = chartdata.large_scale_by_year(replay_tables()["models"], "confirmed")
    year = chart[chart["year"] == 2025].set_index(["country_group", "openness"])["models"]
    assert year.to_dict() == {
        ("US", "open"): 25,
        ("US", "closed"): 7,
        ("CN", "open"): 57,
        ("CN", "closed"): 7,
        ("rest_of_world", "open"): 10,
        ("rest_of_world", "closed"): 1,
    }


def test_chart_1_sql_of_the_report_gives_the_chart_numbers(replay_store):
    from ai_landscape.report.query import run_query

    result = run_query(chartdata.LARGE_SCALE_SQL, replay_store.root)
    chart = chartdata.large_scale_by_year(
        open_store(replay_store.root).read_table("models"), "confirmed"
    )
    assert result.rows == sorted(chart.itertuples(index=False, name=None))


def test_country_groups_of_real_models():
    models = replay_models(
        "allen-institute-for-ai/sandwich-transformer",  # US, FR
        "harbin-institute-of-technology/dncnn",  # CN, HK
        "duke-university/or-wideresnet",  # US, CN
        "google/agent57",  # GB (DeepMind, London; canonical organization Google)
        "chinese-university-of-hong-kong-cuhk/polynet",  # HK
        "ieee/cms-rcnn",  # none known
    )
    assert [list(c) for c in models["country_codes"]] == [
        ["US", "FR"],
        ["CN", "HK"],
        ["US", "CN"],
        ["GB"],
        ["HK"],
        [],
    ]
    groups = country_group(models.set_index(pd.Index([7, 3, 5, 0, 9, 1]))["country_codes"])
    assert groups.to_dict() == {
        7: "US",
        3: "CN",
        5: "US+CN",
        0: "rest_of_world",
        9: "rest_of_world",
        1: "unknown",
    }


def test_access_chart_counts_every_dated_model_once():
    models = replay_tables()["models"]
    counts = chartdata.access_by_year(models)
    assert counts["models"].sum() == 1351 == models["release_date"].notna().sum()
    year = counts[counts["year"] == 2025].set_index("weights_access")["models"]
    assert year.to_dict() == {
        "open_unrestricted": 78,
        "open_restricted": 26,
        "open_noncommercial": 9,
        "api": 78,
        "hosted": 8,
        "unreleased": 11,
        "unknown": 8,
    }


def test_licence_chart_counts_the_real_licence_mix():
    """Licence ids read from Epoch's `Accessibility notes`: the top six keep their id."""
    counts = chartdata.licences_by_year(replay_tables()["models"])
    totals = counts.groupby("licence")["models"].sum().to_dict()
    # modified-mit and llama2 (8 each) tie for sixth place; qwen and BSD-3-Clause (7) are out.
    assert totals == {
        "Apache-2.0": 153,
        "MIT": 95,
        "cc-by-nc": 13,
        "nvidia-open-model": 9,
        "llama2": 8,
        "modified-mit": 8,
        "(other licences)": 98,
        "(unknown)": 114,
    }
    assert sum(totals.values()) == 498  # every dated open-weights model
    year = counts[counts["year"] == 2025].set_index("licence")["models"].to_dict()
    assert year == {
        "Apache-2.0": 41,
        "MIT": 28,
        "modified-mit": 3,
        "nvidia-open-model": 7,
        "cc-by-nc": 2,
        "(other licences)": 13,
        "(unknown)": 19,
    }


def test_licence_chart_keeps_the_top_licences_once_ids_exist():
    """Stand-in licence ids read from Epoch's own `Accessibility notes` of each record
    (overriding the normalized ones), to exercise the grouping with `top=2`."""
    tables = replay_tables()
    records = tables["source_records"]
    notes = pd.Series(
        [json.loads(r).get("Accessibility notes") for r in records["record"]],
        index=records["model_id"],
    )
    notes = notes[~notes.index.duplicated()].str.lower()  # each model's first record
    stand_in = pd.Series(pd.NA, index=notes.index, dtype="str")
    stand_in[notes.str.contains("apache", na=False)] = "Apache-2.0"
    stand_in[notes.str.contains("mit license", na=False)] = "MIT"
    stand_in[notes.str.contains("llama", na=False)] = "llama"
    models = tables["models"]
    models["license_id"] = models["model_id"].map(stand_in)

    counts = chartdata.licences_by_year(models, top=2)
    totals = counts.groupby("licence")["models"].sum().to_dict()
    # llama (33) is the third licence, so it joins the grouped rest.
    assert totals == {"Apache-2.0": 179, "MIT": 85, "(other licences)": 33, "(unknown)": 201}
    assert sum(totals.values()) == 498


def test_changes_between_the_two_snapshots(replay_store, tmp_path):
    store = open_store(replay_store.root)
    old_path = store.table_path("models", replay_store.first)
    new_path = store.table_path("models", replay_store.second)
    [(added, removed, access)] = (
        duckdb.connect()
        .execute(
            """
        select (select count(*) from read_parquet($new) where model_id not in
                    (select model_id from read_parquet($old))),
               (select count(*) from read_parquet($old) where model_id not in
                    (select model_id from read_parquet($new))),
               (select count(*) from read_parquet($old) o join read_parquet($new) n
                    using (model_id) where o.weights_access <> n.weights_access)
        """,
            {"old": str(old_path), "new": str(new_path)},
        )
        .fetchall()
    )
    report = build_report(replay_store.root, replay_store.second, tmp_path)
    changes = pd.read_csv(report.tables["changes"], dtype="str", keep_default_na=False)
    counts = changes["event_type"].value_counts().to_dict()
    assert (counts["model_added"], counts["model_removed"], counts["access_changed"]) == (
        added,
        removed,
        access,
    )
    assert counts == REPLAY_EVENT_COUNTS
    opus = changes[changes["model_id"] == "anthropic/claude-3-opus"]
    assert opus.to_dict("records") == [
        {
            "event_type": "compute_revised",
            "model_id": "anthropic/claude-3-opus",
            "field": "training_compute_flop",
            "old": "1.640001e+25",
            "new": "",
        }
    ]


def test_compare_models_on_edited_real_rows():
    old = replay_models("01.ai/yi-34b", "deepseek/deepseek-r1", "openai/gpt-5.5")
    new = replay_models("01.ai/yi-34b", "deepseek/deepseek-r1", "google/gemma-3n")
    new.loc[0, "weights_access"] = "api"
    new.loc[0, "training_compute_flop"] = 7.1e23
    new.loc[1, "training_compute_flop"] *= 1 + 1e-12  # float noise, not a revision
    events = compare_models(old, new)
    assert events.to_dict("records") == [
        {
            "event_type": "model_added",
            "model_id": "google/gemma-3n",
            "field": None,
            "old": None,
            "new": "Gemma 3n",
        },
        {
            "event_type": "model_removed",
            "model_id": "openai/gpt-5.5",
            "field": None,
            "old": "GPT-5.5",
            "new": None,
        },
        {
            "event_type": "access_changed",
            "model_id": "01.ai/yi-34b",
            "field": "weights_access",
            "old": "open_restricted",
            "new": "api",
        },
        {
            "event_type": "compute_revised",
            "model_id": "01.ai/yi-34b",
            "field": "training_compute_flop",
            "old": "6.1e+23",
            "new": "7.1e+23",
        },
    ]
    assert count_by_type(events) == {
        "model_added": 1,
        "model_removed": 1,
        "access_changed": 1,
        "license_changed": 0,
        "compute_revised": 1,
        "release_date_changed": 0,
    }


RECORDED = "2026-05-02T00:00:00+00:00"


def test_coverage_reads_the_manifest(replay_store):
    store = open_store(replay_store.root)
    manifest = store.manifest(replay_store.second)
    frame = coverage(
        manifest,
        store.read_table("models", replay_store.second),
        store.read_table("source_records", replay_store.second),
    )
    # Manifest order (alphabetical); large_scale lists one model twice, hence 509. Licence
    # unknown: the models without a licence id read from Epoch's accessibility notes.
    checked = frame.drop(columns=["retrieved_at", "age_days"])
    expected = [
        ("frontier", 137, 137, 123),
        ("large_scale", 510, 509, 324),
        ("notable", 1011, 1011, 774),
    ]
    assert list(checked.itertuples(index=False, name=None)) == [
        (f"epoch.{name}", "ok", records, models, unknown, 0, RECORDED, url)
        for name, records, models, unknown in expected
        for url in [f"https://epoch.ai/data/{name}_ai_models.csv"]
    ]
    created = pd.Timestamp(manifest["created_at"])
    expected_age = (created - pd.Timestamp(RECORDED)).days
    assert frame["age_days"].tolist() == [expected_age] * 3

    records = store.read_table("source_records", replay_store.second)
    # Gemini 3.1 Pro: twice in the large-scale export, once in notable.
    held = records[records["model_id"] == "google/gemini-3.1-pro"]
    with_held = coverage(manifest, store.read_table("models", replay_store.second), records, held)
    assert with_held["quarantined"].tolist() == [0, 2, 1]


def test_attribution_names_every_source_that_supplied_records(replay_store):
    manifest = open_store(replay_store.root).manifest("latest")
    assert attribution(manifest) == "Epoch AI, CC BY 4.0"
    manifest["sources"]["openrouter.models"] = {"status": "ok", "records": 3}
    manifest["sources"]["feeds.openai"] = {"status": "skipped"}
    assert attribution(manifest) == "Epoch AI, CC BY 4.0; OpenRouter"


def test_charts_of_a_snapshot_without_models_say_so(tmp_path):
    models = replay_tables()["models"].head(0)
    credits = charts.Credits("Epoch AI, CC BY 4.0", "20260502T000000Z-000000", None)
    panels = {key: chartdata.large_scale_by_year(models, key) for key in LARGE_SCALE_PANELS}
    path = charts.large_scale_chart(panels, credits, tmp_path / "large_scale.png")
    with Image.open(path) as image:
        assert image.size == (1650, 1500)
    licences = chartdata.licences_by_year(models)
    assert licences.empty
    path = charts.stacked_by_year(
        licences, "licence", charts.licence_styles([]), "t", [], credits, tmp_path / "l.png"
    )
    assert path.read_bytes().startswith(PNG_SIGNATURE)
