"""`landscape models` and `landscape show` on the full replay snapshot (what `make run` makes)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.commands.tables import Col, render

runner = CliRunner()


def landscape(store, *args: str, width: int = 120):
    result = runner.invoke(
        app, [*args, "--warehouse", str(store.root)], env={"COLUMNS": str(width)}
    )
    return result


def ids_of(result) -> list[str]:
    return [row["model_id"] for row in json.loads(result.stdout)]


def direct(store, sql: str, *params) -> list:
    path = str(store.table_path("models", store.latest_id()))
    con = duckdb.connect()
    con.execute(f"create view models as select * from read_parquet('{path}')")
    return con.execute(sql, list(params)).fetchall()


# `models --search "deepseek r1"` on the replay, newest first (the explorer lists the same).
DEEPSEEK_R1_SEARCH = [
    "deepseek/deepseek-r1-0528-qwen3-8b",  # 2025-05-29, the Hub repo's creation
    "deepseek/deepseek-r1-may-2025",  # 2025-05-28, Epoch's
    "deepseek/deepseek-r1",  # 2025-01-20
    "deepseek/deepseek-r1-distill-llama-70b",
    "deepseek/deepseek-r1-distill-llama-8b",
    "deepseek/deepseek-r1-distill-qwen-1.5b",
    "deepseek/deepseek-r1-distill-qwen-14b",
    "deepseek/deepseek-r1-distill-qwen-32b",
    "deepseek/deepseek-r1-distill-qwen-7b",
    "deepseek/deepseek-r1-zero",
]


def test_search_needs_every_word_and_lists_newest_first(full_replay):
    result = landscape(full_replay, "models", "--search", "deepseek r1", "--json")
    assert result.exit_code == 0, result.output
    # OpenRouter's `deepseek-r1-0528` is Epoch's May 2025 release (one release, #12); the
    # distills and R1-Zero are the Hub's repos of the lab (huggingface.authors).
    assert ids_of(result) == DEEPSEEK_R1_SEARCH


def test_filters_match_the_chart_and_direct_counts(full_replay):
    # China's open large-scale models of 2025: the headline chart's bar (test_report: 57).
    result = landscape(
        full_replay,
        *("models", "--country", "China", "--open", "--large-scale", "confirmed"),
        *("--year", "2025", "--json"),
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 57
    assert all("CN" in r["country_codes"] and r["openness"] == "open" for r in rows)
    # An organization by part of its name, case-insensitive: no canonical spelling needed.
    zhipu = ids_of(landscape(full_replay, "models", "--org", "ZHIPU", "--json"))
    expected = direct(
        full_replay,
        "select model_id from models where list_contains(organizations, 'Z.ai (Zhipu AI)')",
    )
    assert sorted(zhipu) == sorted(i for (i,) in expected)
    assert len(zhipu) == 24
    closed_2024 = landscape(
        full_replay, "models", "--closed", "--access", "api", "--year", "2023-2024", "--json"
    )
    (count,) = direct(
        full_replay,
        "select count(*) from models where weights_access = 'api' "
        "and year(release_date) between 2023 and 2024",
    )[0]
    assert len(ids_of(closed_2024)) == count == 102
    apache = ids_of(landscape(full_replay, "models", "--license", "apache", "--json"))
    (count,) = direct(full_replay, "select count(*) from models where license_id ilike '%apache%'")[
        0
    ]
    # The Hub listing: most are repos of the seven labs (1127 before Qwen2.5-VL-7B and
    # Qwen3-Coder-480B-A35B joined their -Instruct repos, both Apache-2.0).
    # Mistral 7B, Mixtral 8x7B and 8x22B are one row each with their Apache-2.0 repos (#12).
    assert len(apache) == count == 1122


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--open", "--closed"], "error: --open and --closed exclude each other"),
        (
            ["--year", "20x"],
            "error: --year '20x': expected YEAR or FIRST-LAST, e.g. 2024 or 2023-2025",
        ),
        (
            ["--access", "opened"],
            "error: --access 'opened': one of open_unrestricted, open_restricted, "
            "open_noncommercial, open_unspecified, api, hosted, unreleased, unknown",
        ),
        (
            ["--country", "Atlantis"],
            "error: --country 'Atlantis': not an ISO code or a country name we know",
        ),
        (
            ["--large-scale", "huge"],
            "error: --large-scale 'huge': one of confirmed, estimated, unconfirmed, below, "
            "unknown, any",
        ),
    ],
)
def test_bad_filters_exit_2_with_the_allowed_values(full_replay, args, message):
    result = landscape(full_replay, "models", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_the_table_fits_the_terminal_and_numbers_are_whole(full_replay):
    result = landscape(full_replay, "models", "--search", "deepseek r1", width=100)
    lines = result.stdout.splitlines()
    # The organization column (an id starts with its slug) is left out before an id is cut.
    assert lines[0].split() == [
        *("model_id", "country", "released", "access"),
        *("licence", "params", "compute", "large_scale"),
    ]
    assert max(len(line) for line in lines) <= 100
    assert lines[-1].startswith("(10 models, snapshot ")
    r1 = next(line for line in lines if line.startswith("deepseek/deepseek-r1 "))
    assert r1.split() == [
        *("deepseek/deepseek-r1", "CN", "2025-01-20", "open", "MIT"),
        *("671B", "3.5e24", "confirmed"),
    ]
    wide = landscape(full_replay, "models", "--search", "deepseek r1", width=140).stdout
    assert wide.splitlines()[0].split()[:2] == ["model_id", "organization"]
    as_csv = landscape(full_replay, "models", "--search", "deepseek r1", "--csv")
    rows = {r["model_id"]: r for r in csv.DictReader(io.StringIO(as_csv.stdout))}
    assert rows["deepseek/deepseek-r1"]["parameters"] == "671000000000"
    assert rows["deepseek/deepseek-r1"]["organizations"] == '["DeepSeek"]'
    as_json = json.loads(
        landscape(full_replay, "models", "--search", "deepseek r1", "--json").stdout
    )
    r1_json = next(r for r in as_json if r["model_id"] == "deepseek/deepseek-r1")
    assert r1_json["parameters"] == 671000000000
    assert isinstance(r1_json["parameters"], int)


def test_render_shortens_the_column_that_gives_way_first():
    cols = [Col("id", flex=0), Col("org", flex=2), Col("n", right=True, flex=0)]
    text = render(cols, [["deepseek/deepseek-r1", "Z.ai (Zhipu AI)", "671"]], width=36)
    assert text.splitlines() == [
        "id                    org          n",
        "--------------------  ---------  ---",
        "deepseek/deepseek-r1  Z.ai (Zh…  671",
    ]


@pytest.mark.parametrize(
    ("text", "model_id", "how"),
    [
        ("deepseek/deepseek-r1", "deepseek/deepseek-r1", "id"),
        ("DEEPSEEK/DEEPSEEK-R1", "deepseek/deepseek-r1", "id"),
        ("o3", "openai/o3", "name"),
        ("deepseek-ai/DeepSeek-V3", "deepseek/deepseek-v3", "source key"),  # the Hub repo
        ("x-ai/grok-build-0.1", "xai/grok-build-0.1", "source key"),  # OpenRouter's id
    ],
)
def test_show_finds_a_model_by_id_name_or_source_key(full_replay, text, model_id, how):
    result = landscape(full_replay, "show", text, "--json")
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert (detail["model"]["model_id"], detail["matched_by"]) == (model_id, how)


def test_show_a_key_of_several_models_lists_them(full_replay):
    # models.dev files deepseek-chat under V3.2, OpenRouter under V3: the key names both.
    result = landscape(full_replay, "show", "deepseek/deepseek-chat")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: 'deepseek/deepseek-chat' is the source key of several models: "
        "deepseek/deepseek-v3, deepseek/deepseek-v3.2"
    )


def test_show_a_typo_suggests_the_nearest_ids(full_replay):
    result = landscape(full_replay, "show", "deepsek-r1")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: no model 'deepsek-r1' in snapshot {full_replay.latest_id()}; did you mean: "
        "deepseek/deepseek-r1, deepseek/deepseek-v3.1, deepseek/deepseek-r1-zero, "
        "deepseek/deepseek-v3, deepseek/deepseek-vl2"
    )
    history = landscape(full_replay, "history", "deepseek/deepsek-r1")
    assert history.exit_code == 2
    assert "; did you mean: deepseek/deepseek-r1, " in history.stderr


def test_show_gives_each_field_its_record_and_the_sources_disagreement(full_replay):
    detail = json.loads(landscape(full_replay, "show", "openai/o3", "--json").stdout)
    fields = {f["field"]: f for f in detail["fields"]}
    assert fields["release_date"]["value"] == "2024-12-20"
    assert fields["release_date"]["source"].startswith("epoch.large_scale:_raw/epoch/large_scale/")
    assert fields["release_date"]["source"].endswith("#row=181")
    assert [(r["source"], r["dataset"], r["row"]) for r in detail["records"]] == [
        ("epoch", "large_scale", 181),
        ("epoch", "notable", 123),
        ("feeds", "openai_news", 57),
        ("modelsdev", "models", 191),
        ("openrouter", "models", 257),
    ]
    assert [(c["source"], c["value"], c["chosen"]) for c in detail["conflicts"]] == [
        ("epoch.large_scale", "2024-12-20", True),
        ("epoch.notable", "2024-12-20", True),
        ("feeds.openai_news", "2025-04-16", False),
        ("modelsdev.models", "2025-04-16", False),
    ]
    assert detail["history"] == []
    assert detail["first_seen"]["snapshot_id"] == full_replay.latest_id()
    text = landscape(full_replay, "show", "o3", width=110).stdout.splitlines()
    assert text[0] == f"o3  (openai/o3, found by name, snapshot {full_replay.latest_id()})"
    assert "release_date           2024-12-20" in "\n".join(text)
    assert any(line.endswith("epoch.large_scale row 181") for line in text)
    assert "Conflicts (4 values where sources disagree)" in text


def test_read_only_commands_import_no_pipeline_machinery(full_replay):
    """models and show answer without Prefect, Great Expectations or matplotlib."""
    code = (
        "import sys\n"
        "from ai_landscape.cli import app\n"
        "for args in (['models', '--org', 'meta'], ['show', 'o3']):\n"
        f"    try: app([*args, '--warehouse', {str(full_replay.root)!r}])\n"
        "    except SystemExit as exit: assert exit.code in (0, None), exit.code\n"
        "heavy = ('prefect', 'great_expectations', 'matplotlib')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
