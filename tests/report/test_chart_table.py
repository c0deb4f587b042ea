"""`large_scale_by_year`: the headline chart's numbers as a table a plain sum cannot
double-count, and the worked queries of docs/analyst.md run as written."""

from __future__ import annotations

import re
import shlex

import pandas as pd
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.report import chartdata
from ai_landscape.report.build import build_report
from ai_landscape.report.query import run_query
from tests.conftest import PROJECT_ROOT

ANALYST = PROJECT_ROOT / "docs" / "analyst.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.S | re.M)


def test_plain_sum_is_the_charts_total(full_replay):
    table = full_replay.read_table("large_scale_by_year")
    models = full_replay.read_table("models")
    confirmed = models[(models["large_scale"] == "confirmed") & models["release_date"].notna()]
    assert int(table["models"].sum()) == len(confirmed) == 328
    # One row per year x country group x openness: nothing to filter before summing.
    assert not table.duplicated(["year", "country_group", "openness"]).any()
    chart = chartdata.large_scale_by_year(models, "confirmed")
    assert table.astype({"year": "int64"}).equals(chart)
    # The detailed table gives 684 on the same naive sum (two scopes, one row per country).
    summary = full_replay.read_table("summary_by_year")
    assert int(summary.loc[summary["large_scale"] == "confirmed", "models"].sum()) == 684


def test_the_report_draws_the_published_table(full_replay, tmp_path):
    report = build_report(full_replay.root, "latest", tmp_path / "report")
    drawn = pd.read_csv(report.tables["large_scale_confirmed"])
    published = full_replay.read_table("large_scale_by_year").astype({"year": "int64"})
    assert drawn.equals(published)


def analyst_blocks(language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(ANALYST.read_text("utf-8")) if lang == language]


def test_the_worked_queries_give_what_the_doc_says(full_replay):
    """Each sql block of docs/analyst.md ends with `-- N` per query: its single number."""
    checked = 0
    for block in analyst_blocks("sql"):
        for sql, expected in re.findall(r"(select .*?);\s*-- (\d+)\n", block, re.S):
            result = run_query(sql, full_replay.root)
            assert result.rows == [(int(expected),)], sql
            checked += 1
    assert checked == 3


def test_the_documented_commands_run(full_replay):
    """Each `landscape` line of the doc's sh blocks exits 0 on the replay snapshot."""
    lines = [
        shlex.split(line.split("  #")[0])
        for code in analyst_blocks("sh")
        for line in code.splitlines()
        if line.startswith("landscape ") and "[" not in line  # synopses are not commands
    ]
    assert len(lines) >= 8
    for args in lines:
        result = CliRunner().invoke(app, [*args[1:], "--warehouse", str(full_replay.root)])
        assert result.exit_code == 0, (args, result.output)
