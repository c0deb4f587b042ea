"""`landscape query` only reads the snapshot's tables, and tampered parts are caught (#14.1).

Each test works on a copy of the replay warehouse, since several try to damage it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ai_landscape import snapshots
from ai_landscape.cli import app
from ai_landscape.publish.integrity import IntegrityError
from ai_landscape.publish.store import SnapshotStore
from ai_landscape.publish.warehouse import open_store

runner = CliRunner()


@pytest.fixture
def copy(replay_store, tmp_path) -> SnapshotStore:
    root = tmp_path / "warehouse"
    shutil.copytree(replay_store.root, root)
    return open_store(root)


def query(store: SnapshotStore, sql: str):
    return runner.invoke(app, ["query", sql, "--warehouse", str(store.root)])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_copy_over_a_published_part_is_refused_and_the_part_is_unchanged(copy):
    part = copy.table_path("models", copy.latest_id())
    before = digest(part)
    result = query(copy, f"COPY (select * from models limit 75) TO '{part}' (FORMAT parquet)")
    assert result.exit_code == 2
    assert "a COPY statement is not allowed" in result.output
    assert digest(part) == before


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("select * from read_csv('/etc/passwd')", "disabled"),
        ("select count(*) from read_parquet('{other}')", "disabled"),
        ("ATTACH '{tmp}/evil.db' AS evil; CREATE TABLE evil.t AS SELECT 1", "ATTACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("select 1; COPY models TO '{tmp}/out.csv'", "COPY"),
        ("CREATE TABLE t AS SELECT 1", "CREATE"),
    ],
)
def test_anything_but_reading_the_snapshot_is_refused(copy, tmp_path, sql, words):
    first = copy.list_snapshots()[0]["snapshot_id"]
    other = copy.table_path("models", first)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = query(copy, sql.format(tmp=tmp_path, other=other))
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file written


def test_a_select_over_the_snapshot_still_works(copy):
    result = runner.invoke(
        app,
        ["query", "select count(*) as n from models", "--warehouse", str(copy.root), "--csv"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"n\n{copy.manifest('latest')['tables']['models']['rows']}\n"


def test_a_replaced_part_is_an_error_naming_the_file_in_query_read_and_validate(copy):
    latest = copy.latest_id()
    part = copy.table_path("models", latest)
    manifest_rows = copy.manifest(latest)["tables"]["models"]["rows"]
    # What the attack did: 75 of the models written over the published part.
    pq.write_table(pq.read_table(part).slice(0, 75), part)
    assert manifest_rows != 75

    result = query(copy, "select count(*) from models")
    assert result.exit_code == 1
    assert f"{part} has sha256 {digest(part)}" in result.output
    assert "changed after it was published" in result.output

    with pytest.raises(IntegrityError, match=str(part)):
        snapshots.read("models", copy.root)

    checked = runner.invoke(app, ["validate", "--warehouse", str(copy.root)])
    assert checked.exit_code == 1
    assert f"snapshot {latest} FAILS its integrity check" in checked.output
    assert str(part) in checked.output


def test_a_missing_part_is_named(copy):
    part = copy.table_path("conflicts", copy.latest_id())
    part.unlink()
    checked = runner.invoke(app, ["validate", "--warehouse", str(copy.root)])
    assert checked.exit_code == 1
    assert f"table 'conflicts': {part} is missing" in checked.output
    with pytest.raises(IntegrityError, match="is missing"):
        pd.DataFrame(snapshots.read("conflicts", copy.root))
