"""`landscape query`: DuckDB SQL over one snapshot's tables, printed as text, CSV or JSON.

Each table the manifest lists becomes a view over its part, read through the snapshot store
(local disk or object store) and checked against the manifest's sha256. The connection is
read-only in every sense `query` needs (see `ai_landscape.report.sandbox`): only SELECT
statements, no file or network access, no extension, no setting can be changed back.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
import os
import re
from dataclasses import dataclass

import duckdb

from ai_landscape.publish.integrity import verified_table
from ai_landscape.publish.store import SnapshotStore
from ai_landscape.report.sandbox import check_read_only, lock_down, sandboxed_connection

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
    """An in-memory, read-only DuckDB with one view per table of the snapshot; returns it and
    the id. Each part is checked against its manifest's sha256 before it is registered."""
    store = SnapshotStore(warehouse)
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


def run_query(sql: str, warehouse: str | os.PathLike, snapshot: str = "latest") -> Result:
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


def _plain(value):
    """JSON-ready: dates as ISO text, NaN as null, lists and structs recursively."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)  # UUID, blobs, ...


def _cell(value) -> str:
    """Text and CSV cells: empty for null, JSON for lists, ISO for dates."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
