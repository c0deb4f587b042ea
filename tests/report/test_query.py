"""`landscape query`: DuckDB SQL over one snapshot of the real replay data."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.query import connect

runner = CliRunner()
CONFIRMED_BY_OPENNESS = (
    "select openness, count(*) as models from models "
    "where large_scale = 'confirmed' group by all order by all"
)


def query(store, *args: str):
    return runner.invoke(app, ["query", *args, "--warehouse", str(store.root)])


def test_prints_a_table(replay_store):
    result = query(replay_store, CONFIRMED_BY_OPENNESS)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "openness  models\n"
        "--------  ------\n"
        "closed       103\n"
        "open         224\n"
        "unknown        1\n"
        "(3 rows)\n"
    )


def test_json_keeps_types_dates_lists_and_nulls(replay_store):
    sql = (
        "select model_id, release_date, country_codes, training_compute_flop, "
        "large_scale = 'confirmed' as large from models "
        "where model_id in ('deepseek/deepseek-r1', 'openai/gpt-5.5') order by 1"
    )
    result = query(replay_store, sql, "--json")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == """\
[
  {
    "model_id": "deepseek/deepseek-r1",
    "release_date": "2025-01-20",
    "country_codes": [
      "CN"
    ],
    "training_compute_flop": 3.5e+24,
    "large": true
  },
  {
    "model_id": "openai/gpt-5.5",
    "release_date": "2026-04-23",
    "country_codes": [
      "US"
    ],
    "training_compute_flop": null,
    "large": false
  }
]
"""
    )


def test_csv_and_a_past_snapshot(replay_store):
    sql = "select dataset, count(*) as records from source_records group by all order by all"
    latest = query(replay_store, sql, "--csv")
    assert latest.exit_code == 0, latest.output
    assert latest.stdout == "dataset,records\nfrontier,137\nlarge_scale,510\nnotable,1011\n"
    past = query(replay_store, sql, "--csv", "--snapshot", replay_store.first)
    assert past.stdout == "dataset,records\nfrontier,137\nlarge_scale,510\nnotable,895\n"
    prefix = query(
        replay_store,
        "select count(*) as n from models",
        "--json",
        "--snapshot",
        replay_store.first[:18],
    )
    assert prefix.stdout == '[\n  {\n    "n": 1327\n  }\n]\n'


def test_every_manifest_table_is_a_view_and_no_extension_is_fetched(replay_store):
    con, snapshot_id = connect(replay_store.root)
    assert snapshot_id == replay_store.second
    views = con.execute(
        "select table_name from information_schema.tables where table_type = 'VIEW' order by 1"
    ).fetchall()
    listed = open_store(replay_store.root).manifest(snapshot_id)["tables"]
    assert [name for (name,) in views] == sorted(listed)
    assert {"models", "source_records", "summary_by_year"} <= set(listed)
    assert con.execute("select count(*) from summary_by_year").fetchall() == [(830,)]
    # Not even the extension folder can be listed: the connection has no file access at all.
    with pytest.raises(duckdb.PermissionException, match="disabled by configuration"):
        con.execute("select extension_name from duckdb_extensions() where installed").fetchall()
    settings = con.execute(
        "select current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions'), "
        "current_setting('enable_external_access'), current_setting('lock_configuration')"
    ).fetchall()
    assert settings == [(False, False, False, True)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["selec 1"], 'error: Parser Error: syntax error at or near "selec"'),
        (
            ["select * from merges"],
            "error: Catalog Error: Table with name merges does not exist!",
        ),
        (["select 1", "--csv", "--json"], "error: --csv and --json exclude each other"),
        (["select 1", "--snapshot", "2020-01-01"], "error: no snapshot on 2020-01-01 in {root}"),
    ],
)
def test_bad_sql_or_snapshot_exits_2(replay_store, args, message):
    result = query(replay_store, *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message.format(root=replay_store.root)
    assert result.stdout == ""
