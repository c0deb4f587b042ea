"""Read-only commands import no Prefect, Great Expectations or matplotlib, and no pandas
where pyarrow or DuckDB does the job: each runs in a fresh interpreter, which then lists the
heavy packages it imported. Timings are in `bench/commands.py`, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ai_landscape.publish.warehouse import open_store
from tests.store_frames import T1, T2, publish, tables

HEAVY = ("prefect", "great_expectations", "matplotlib", "pandas", "dask", "feedparser")
PROBE = f"""
import json, sys
from ai_landscape.cli import app
sys.argv = ["landscape", *sys.argv[1:]]
try:
    app()
except SystemExit as exit:
    code = exit.code
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & set({HEAVY!r}))
print(json.dumps({{"code": code, "heavy": heavy}}))
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Two snapshots of real Epoch rows: Llama 3.1-405B and Grok 4.20, then DeepSeek-R1 too."""
    root = tmp_path_factory.mktemp("imports") / "warehouse"
    store = open_store(root)
    publish(store, tables(2), T1)
    publish(store, tables(3), T2)
    return str(root)


def imported_by(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"},
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "heavy"),
    [
        (["--help"], []),
        (["snapshots"], []),
        (["snapshots", "--json"], []),
        (["query", "select count(*) from models"], []),
        # Snapshot comparison and the normalizers are pandas code; still no engine, no GX.
        (["diff", "2025-03-01"], ["pandas"]),
        (["history", "deepseek/deepseek-r1"], ["pandas"]),
        (["normalize", "license", "MIT"], ["pandas"]),
        (["normalize", "params", "671B"], ["pandas"]),
    ],
)
def test_read_only_commands_import_only_what_they_use(warehouse, args, heavy):
    needs_store = args[0] in ("snapshots", "query", "diff", "history")
    outcome = imported_by(*args, *(["--warehouse", warehouse] if needs_store else []))
    assert outcome == {"code": 0, "heavy": heavy}
