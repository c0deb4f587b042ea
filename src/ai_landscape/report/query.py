"""`landscape query`: DuckDB SQL over one snapshot's tables (printed by `commands/render.py`).

Each table the manifest lists becomes a view over its parquet file, read in place by DuckDB's
built-in parquet reader (on an object-store warehouse, a pyarrow dataset DuckDB scans);
extension auto-install and auto-load are off, so a query never downloads an extension.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import duckdb

from ai_landscape.publish.objectstore import ObjectSnapshotStore
from ai_landscape.publish.warehouse import open_store

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Result:
    snapshot_id: str
    columns: list[str]
    rows: list[tuple]


def connect(
    warehouse: str | os.PathLike | None, snapshot: str = "latest"
) -> tuple[duckdb.DuckDBPyConnection, str]:
    """An in-memory DuckDB with one view per table of the snapshot; returns it and the id."""
    store = open_store(warehouse)
    snapshot_id = store.resolve(snapshot)
    tables = store.manifest(snapshot_id)["tables"]
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    for name, info in sorted(tables.items()):
        if not _IDENTIFIER.match(name):
            raise ValueError(f"snapshot {snapshot_id}: table name {name!r} is not an identifier")
        if isinstance(store, ObjectSnapshotStore):
            # DuckDB reads object stores only through its httpfs extension, which cannot be
            # downloaded here; pyarrow's filesystem streams the parts to it instead.
            import pyarrow.dataset as ds  # imports pandas: only for an object store

            con.register(name, ds.dataset(store.key(info["path"]), filesystem=store.fs))
            continue
        path = str(store.root / info["path"]).replace("'", "''")
        con.execute(f"create view {name} as select * from read_parquet('{path}')")
    return con, snapshot_id


def run_query(sql: str, warehouse: str | os.PathLike | None, snapshot: str = "latest") -> Result:
    con, snapshot_id = connect(warehouse, snapshot)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return Result(snapshot_id, [], [])
        columns = [d[0] for d in cursor.description]
        return Result(snapshot_id, columns, cursor.fetchall())
    finally:
        con.close()
