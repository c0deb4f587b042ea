"""`landscape query`: DuckDB SQL over one snapshot's tables (printed by `commands/render.py`).

Each table the manifest lists becomes a view over its part, read through the snapshot store
(local disk or object store) and checked against the manifest's sha256. The connection is
read-only in every sense `query` needs (see `ai_landscape.report.sandbox`): only SELECT
statements, no file or network access, no extension, no setting can be changed back.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import duckdb

from ai_landscape.publish.integrity import verified_table
from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.sandbox import check_read_only, lock_down, sandboxed_connection

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Result:
    snapshot_id: str
    columns: list[str]
    rows: list[tuple]


def connect(
    warehouse: str | os.PathLike | None, snapshot: str = "latest"
) -> tuple[duckdb.DuckDBPyConnection, str]:
    """An in-memory, read-only DuckDB with one view per table of the snapshot; returns it and
    the id. Each part is checked against its manifest's sha256 before it is registered."""
    store = open_store(warehouse)
    snapshot_id = store.resolve(snapshot)
    tables = store.manifest(snapshot_id)["tables"]
    for name in tables:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"snapshot {snapshot_id}: table name {name!r} is not an identifier")
    con = sandboxed_connection()
    for name, info in sorted(tables.items()):
        # The verified bytes, parsed once: what was checked is what is queried, and DuckDB
        # itself never opens a file (its file access is off below).
        con.register(name, verified_table(store, snapshot_id, name, info))
    lock_down(con)
    return con, snapshot_id


def run_query(sql: str, warehouse: str | os.PathLike | None, snapshot: str = "latest") -> Result:
    check_read_only(sql)
    con, snapshot_id = connect(warehouse, snapshot)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return Result(snapshot_id, [], [])
        columns = [d[0] for d in cursor.description]
        return Result(snapshot_id, columns, cursor.fetchall())
    finally:
        con.close()
