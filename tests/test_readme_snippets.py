"""The README's "Reading the data" section runs as written, against real replay snapshots.

Python blocks are executed from a folder holding `data/warehouse/` (a copy of the session's
two-snapshot store plus a partition a crashed publish could leave behind, which every
"history" snippet must skip); `landscape` lines of sh blocks go through the CLI, and a text
block after one is its exact output; the column dictionary equals the generated one.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ai_landscape.cli import app
from ai_landscape.report import chartdata, dictionary
from ai_landscape.report.query import connect
from tests.conftest import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
SECTION = "## Reading the data"
LEFTOVER = "20991231T000000Z-abcdef"  # no manifest: a publish that crashed before its commit
FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.S | re.M)


def section() -> str:
    text = README.read_text("utf-8")
    assert text.count(SECTION) == 1, f"README.md needs exactly one {SECTION!r} heading"
    body = text.split(SECTION, 1)[1]
    return re.split(r"^## ", body, maxsplit=1, flags=re.M)[0]


def blocks(language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(section()) if lang == language]


def python_blocks() -> list:
    params = []
    for code in blocks("python"):
        heading = re.findall(r"^### (.+)$", section().split(code, 1)[0], re.M)[-1]
        marks = []
        if "import polars" in code and importlib.util.find_spec("polars") is None:
            marks = [pytest.mark.skip(reason="polars is not installed in .venv (not in the lock)")]
        params.append(pytest.param(code, id=heading, marks=marks))
    return params


@pytest.fixture
def project(replay_store, tmp_path, monkeypatch) -> Path:
    """A folder with `data/warehouse/` (the session store plus a leftover partition) as cwd."""
    root = tmp_path / "data" / "warehouse"
    shutil.copytree(replay_store.root, root, ignore=shutil.ignore_patterns("_raw", "_reports"))
    leftover = root / "models" / f"snapshot_id={LEFTOVER}"
    leftover.mkdir()
    shutil.copy(root / "models" / f"snapshot_id={replay_store.first}" / "part-0.parquet", leftover)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANDSCAPE_WAREHOUSE", str(root))
    return tmp_path


def frame(value) -> pd.DataFrame:
    """Whatever the snippet's library returned, as pandas, to check it the same way."""
    if isinstance(value, pd.DataFrame):
        return value
    for method in ("df", "to_pandas"):  # DuckDB relations; Polars and Arrow tables
        if hasattr(value, method):
            return getattr(value, method)()
    raise TypeError(f"cannot read {type(value).__name__}")


def test_the_section_has_one_block_per_reader():
    ids = [p.id for p in python_blocks()]
    assert ids == ["DuckDB", "pandas", "Polars", "pyarrow"]


@pytest.mark.parametrize("code", python_blocks())
def test_python_snippet_reads_latest_past_and_history(code, project, replay_store):
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert len(frame(namespace["models"])) == 1355
    assert len(frame(namespace["past"])) == 1327
    history = frame(namespace["history"])
    per_snapshot = history["snapshot_id"].astype(str).value_counts().to_dict()
    assert per_snapshot == {replay_store.second: 1355, replay_store.first: 1327}  # no leftover
    if "per_year" in namespace:
        per_year = frame(namespace["per_year"])
        assert per_year[per_year["year"] == 2025].set_index("openness")["models"].to_dict() == {
            "closed": 15,
            "open": 92,
        }
    if "meaning" in namespace:
        assert namespace["meaning"].startswith("`confirmed`: compute >= 1e23 known;")


def test_landscape_commands_run_and_print_what_the_readme_shows(project):
    text = section()
    commands = [
        line.split("  #")[0]
        for code in blocks("sh")
        for line in code.splitlines()
        if line.startswith("landscape ")
    ]
    assert [c.split()[1] for c in commands] == ["report", "query"]
    outputs = {}
    for command in commands:
        result = CliRunner().invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
        outputs[command] = result.stdout
    query = commands[1]
    shown = text.split(query, 1)[1]
    expected = FENCE.search(shown)
    assert expected.group(1) == "text"
    assert outputs[query] == expected.group(2)
    assert (project / "data/warehouse/_reports").is_dir()


def test_the_chart_sql_is_the_reports_and_the_summary_table_gives_the_same(project):
    from_summary, from_models = [code.rstrip("\n") for code in blocks("sql")]
    assert from_models == chartdata.LARGE_SCALE_SQL
    con, _ = connect(project / "data" / "warehouse")
    rows = con.sql(from_models).fetchall()
    assert con.sql(from_summary).fetchall() == rows
    assert sum(n for *_, n in rows) == 328


def test_the_readme_image_is_a_chart_png():
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", section())
    assert images == ["docs/images/large_scale_open_closed.png"]
    data = (PROJECT_ROOT / images[0]).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 50_000


ANALYST = PROJECT_ROOT / "docs" / "analyst.md"


def test_column_dictionary_matches_the_schema():
    """README and docs/analyst.md (the tables added since the README's split began) hold
    every table of the contract, each as generated."""
    documented = dictionary.by_table(dictionary.extract(section()))
    documented |= dictionary.by_table(dictionary.extract(ANALYST.read_text("utf-8")))
    assert documented == dictionary.by_table(dictionary.column_dictionary()), (
        "column dictionary is stale: run `python -m ai_landscape.report.dictionary README.md` "
        "and `... docs/analyst.md large_scale_by_year`"
    )
