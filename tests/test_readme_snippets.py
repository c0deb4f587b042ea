"""The documentation's snippets run as written, against real replay snapshots, and its links hold.

The README keeps the overview; the sections it lists live in `docs/*.md`. Each test finds its
section by heading in whichever of those files holds it, so a section can move between files.
Python blocks of "Reading the data" are executed from a folder holding `data/warehouse/` (a copy
of the session's two-snapshot store plus a partition a crashed publish could leave behind, which
every "history" snippet must skip); `landscape` lines of sh blocks go through the CLI, and a text
block after one is its exact output; the column dictionary equals the generated one. Every
`docs/*.md` is linked from the README, and every relative link resolves.
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
from ai_landscape.schema import TABLES
from tests.conftest import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
DOCS = PROJECT_ROOT / "docs"
READING = "Reading the data"
COLUMNS = "Column dictionary"
LEFTOVER = "20991231T000000Z-abcdef"  # no manifest: a publish that crashed before its commit
FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.S | re.M)
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$", re.M)
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)\)")


def documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def without_code(text: str) -> str:
    """The text with fenced code blocks blanked out (their `#` lines are not headings)."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def find_section(title: str) -> tuple[Path, str]:
    """The one file whose heading is `title`, and the section's body up to the next heading of
    the same or a higher level."""
    found = []
    for path in documents():
        text = path.read_text("utf-8")
        for match in HEADING.finditer(without_code(text)):
            if match.group(2) == title:
                found.append((path, text, match))
    assert len(found) == 1, f"README.md and docs/*.md need exactly one {title!r} heading: {found}"
    path, text, match = found[0]
    level = len(match.group(1))
    body = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", without_code(body), re.M)
    return path, body[: end.start()] if end else body


def section() -> str:
    return find_section(READING)[1]


def blocks(language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(section()) if lang == language]


def python_blocks() -> list:
    params = []
    for code in blocks("python"):
        before = without_code(section().split(code, 1)[0])
        heading = HEADING.findall(before)[-1][1]
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
    exec(compile(code, str(find_section(READING)[0]), "exec"), namespace)
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
    path, text = find_section(READING)
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert [(path.parent / image).resolve() for image in images] == [
        PROJECT_ROOT / "docs/images/large_scale_open_closed.png"
    ]
    data = (path.parent / images[0]).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 50_000


def test_column_dictionary_matches_the_schema():
    path, text = find_section(COLUMNS)
    command = f"python -m ai_landscape.report.dictionary {path.relative_to(PROJECT_ROOT)}"
    assert dictionary.extract(text) == dictionary.column_dictionary(), (
        f"{path.name}: the column dictionary is stale: run `{command}`"
    )
    assert command in text  # the regeneration command it shows names its own file


def test_the_column_dictionary_documents_every_table():
    text = find_section(COLUMNS)[1]
    assert re.findall(r"^#### `(\w+)`$", text, re.M) == list(TABLES)


def test_the_store_layout_lists_every_table():
    text = find_section("The snapshot store")[1]
    layout = re.search(r"^```\w*\n(.*?)^```\n", text, re.S | re.M).group(1)
    listed = re.findall(r"^  (\w+)/snapshot_id=<id>/part-0\.parquet$", layout, re.M)
    assert listed == list(TABLES)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for _, heading in HEADING.findall(without_code(path.read_text("utf-8"))):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path: Path) -> list[str]:
    return LINK.findall(without_code(path.read_text("utf-8")))


def test_every_doc_is_linked_from_the_readme():
    linked = {
        (README.parent / target.split("#", 1)[0]).resolve()
        for target in links(README)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#")
    }
    docs = sorted(DOCS.glob("*.md"))
    assert docs, "docs/ has no markdown files"
    missing = [str(d.relative_to(PROJECT_ROOT)) for d in docs if d.resolve() not in linked]
    assert not missing, f"README.md links to none of: {missing}"


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_relative_link_resolves(path):
    broken = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no heading with anchor #{anchor}")
    assert not broken, f"{path.relative_to(PROJECT_ROOT)}: {broken}"
