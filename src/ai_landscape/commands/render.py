"""Query results and frames as a terminal table, CSV or JSON: what the read-only commands print."""

from __future__ import annotations

import csv
import decimal
import io
import json

from ai_landscape.plain import cell as _cell
from ai_landscape.plain import plain as _plain
from ai_landscape.report.query import Result

FORMATS = ("table", "csv", "json")


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
