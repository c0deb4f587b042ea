"""`landscape query`: DuckDB SQL over one snapshot's tables, printed as text, CSV or JSON.

Each table the manifest lists becomes a view over its parquet file, read in place by DuckDB's
built-in parquet reader (on an object-store warehouse, a pyarrow dataset DuckDB scans);
extension auto-install and auto-load are off, so a query never downloads an extension.
"""

from __future__ import annotations

import csv
import decimal
import io
import json
import os
import re
from dataclasses import dataclass

import duckdb
import pyarrow.dataset as ds

from ai_landscape.plain import cell as _cell
from ai_landscape.plain import plain as _plain
from ai_landscape.publish.filesystem import ObjectSnapshotStore
from ai_landscape.publish.store import SnapshotStore

FORMATS = ("table", "csv", "json")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Result:
    snapshot_id: str
    columns: list[str]
    rows: list[tuple]


def connect(
    warehouse: str | os.PathLike, snapshot: str = "latest"
) -> tuple[duckdb.DuckDBPyConnection, str]:
    """An in-memory DuckDB with one view per table of the snapshot; returns it and the id."""
    store = SnapshotStore(warehouse)
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
            con.register(name, ds.dataset(store.key(info["path"]), filesystem=store.fs))
            continue
        path = str(store.root / info["path"]).replace("'", "''")
        con.execute(f"create view {name} as select * from read_parquet('{path}')")
    return con, snapshot_id


def run_query(sql: str, warehouse: str | os.PathLike, snapshot: str = "latest") -> Result:
    con, snapshot_id = connect(warehouse, snapshot)
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return Result(snapshot_id, [], [])
        columns = [d[0] for d in cursor.description]
        return Result(snapshot_id, columns, cursor.fetchall())
    finally:
        con.close()


def render(result: Result, fmt: str = "table") -> str:
    if fmt == "json":
        records = [dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.rows]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([[_cell(v) for v in row] for row in result.rows])
        return out.getvalue()
    return _text_table(result)


def _text_table(result: Result) -> str:
    """Columns two spaces apart (numbers right-aligned), a rule under the header, then the
    row count: readable in a terminal and stable enough to diff."""
    cells = [[_cell(v) for v in row] for row in result.rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(result.columns)]
    numeric = [
        bool(result.rows) and all(_is_number(row[i]) for row in result.rows if row[i] is not None)
        for i in range(len(result.columns))
    ]

    def line(values: list[str], align: list[bool]) -> str:
        padded = (
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, align, strict=True)
        )
        return "  ".join(padded).rstrip()

    lines = [line(result.columns, numeric), line(["-" * w for w in widths], numeric)]
    lines += [line(r, numeric) for r in cells]
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


def _is_number(value) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)
