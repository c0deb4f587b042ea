"""Find models in a snapshot without SQL: filters, lookup by id, name or source key, and one
model's whole record (fields with their sources, source records, conflicts, history).

The `landscape models` and `landscape show` commands read through here, as a notebook can.
It runs DuckDB over the snapshot's parquet files (`report.query.connect`), never Prefect or
Great Expectations, so a lookup costs a query, not a pipeline import. Analysts type what they
know ("meta", "China", "deepseek r1"), not the canonical spelling, so every filter matches
case-insensitively and by part.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.query import connect
from ai_landscape.schema import LARGE_SCALE, WEIGHTS_ACCESS

LIST_COLUMNS = [
    "model_id",
    "name",
    "organizations",
    "country_codes",
    "release_date",
    "weights_access",
    "openness",
    "license_id",
    "parameters",
    "training_compute_flop",
    "large_scale",
    "sources",
]
# `--large-scale any`: the chart's wider panel (report/chartdata.LARGE_SCALE_PANELS).
ANY_LARGE_SCALE = ("confirmed", "estimated", "unconfirmed")
YEARS = re.compile(r"^(\d{4})(?:\s*(?:-|:|\.\.)\s*(\d{4}))?$")
SUGGESTIONS = 5
MIN_SIMILARITY = 60.0


class FilterError(ValueError):
    """A filter value that cannot match anything by construction (a usage error)."""


@dataclass(frozen=True)
class ModelFilter:
    search: str | None = None
    org: str | None = None
    country: str | None = None
    openness: str | None = None
    access: str | None = None
    license: str | None = None
    large_scale: str | None = None
    year: str | None = None

    def where(self) -> tuple[str, list]:
        """SQL condition over `models` and its parameters (values never spliced into SQL)."""
        clauses, params = ["true"], []
        for token in (self.search or "").lower().split():
            clauses.append(
                "strpos(lower(concat_ws(' ', model_id, name, array_to_string(organizations, ' '),"
                " array_to_string(hf_repo_ids, ' '), array_to_string(openrouter_ids, ' '))), ?) > 0"
            )
            params.append(token)
        if self.org:
            clauses.append("len(list_filter(organizations, lambda o: strpos(lower(o), ?) > 0)) > 0")
            params.append(self.org.lower())
        if self.country:
            clauses.append("list_contains(country_codes, ?)")
            params.append(country_code(self.country))
        if self.openness:
            clauses.append("openness = ?")
            params.append(self.openness)
        if self.access:
            clauses.append("weights_access = ?")
            params.append(_one_of("--access", self.access, WEIGHTS_ACCESS))
        if self.license:
            clauses.append("strpos(lower(coalesce(license_id, '(none)')), ?) > 0")
            params.append(self.license.lower())
        if self.large_scale:
            levels = _large_scale_levels(self.large_scale)
            clauses.append(f"large_scale in ({', '.join('?' for _ in levels)})")
            params += levels
        if self.year:
            first, last = year_range(self.year)
            clauses.append("year(release_date) between ? and ?")
            params += [first, last]
        return " and ".join(clauses), params


def country_code(text: str) -> str:
    """`CN`, `cn`, `China` -> `CN`: an ISO code as given, else a name looked up as the
    pipeline looks up the sources' country names."""
    if re.fullmatch(r"[A-Za-z]{2}", text.strip()):
        return text.strip().upper()
    from ai_landscape.normalize.countries import to_iso2

    code = to_iso2(text)
    if code is None:
        raise FilterError(f"--country {text!r}: not an ISO code or a country name we know")
    return code


def year_range(text: str) -> tuple[int, int]:
    """`2024` or `2023-2025` (also `2023:2025`) -> first and last year, inclusive."""
    found = YEARS.match(text.strip())
    if not found:
        raise FilterError(f"--year {text!r}: expected YEAR or FIRST-LAST, e.g. 2024 or 2023-2025")
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if last < first:
        raise FilterError(f"--year {text!r}: the range ends before it starts")
    return first, last


def _one_of(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value.lower() not in allowed:
        raise FilterError(f"{option} {value!r}: one of {', '.join(allowed)}")
    return value.lower()


def _large_scale_levels(value: str) -> list[str]:
    if value.lower() == "any":
        return list(ANY_LARGE_SCALE)
    return [_one_of("--large-scale", value, (*LARGE_SCALE, "any"))]


def list_models(
    con: duckdb.DuckDBPyConnection, where: ModelFilter, limit: int | None = None
) -> pa.Table:
    """Matching models, newest release first (undated last), then by id."""
    condition, params = where.where()
    sql = (
        f"select {', '.join(LIST_COLUMNS)} from models where {condition} "
        "order by release_date desc nulls last, model_id"
    )
    if limit:
        sql += f" limit {int(limit)}"
    return con.sql(sql, params=params).to_arrow_table()


@dataclass(frozen=True)
class Lookup:
    """What `show` found: one model id (and how), several names alike, or suggestions."""

    model_id: str | None = None
    matched_by: str | None = None  # id | name | source key
    ambiguous: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def find_model(con: duckdb.DuckDBPyConnection, text: str) -> Lookup:
    """An id, else a display name, else a source's own key (a record's `source_key`, a Hub
    repo, an OpenRouter id), all case-insensitive; failing those, the nearest ids."""
    wanted = text.strip().lower()
    steps = (
        ("id", "select model_id from models where lower(model_id) = ?", [wanted]),
        ("name", "select model_id from models where lower(name) = ?", [wanted]),
        (
            "source key",
            "select distinct model_id from source_records "
            "where lower(source_key) = ? and model_id is not null "
            "union select model_id from models where list_contains("
            "list_transform(list_concat(hf_repo_ids, openrouter_ids), lambda x: lower(x)), ?)",
            [wanted, wanted],
        ),
    )
    for how, sql, params in steps:
        ids = sorted(row[0] for row in con.execute(sql, params).fetchall())
        if len(ids) == 1:
            return Lookup(ids[0], how)
        if ids:
            return Lookup(matched_by=how, ambiguous=ids)
    return Lookup(suggestions=nearest_ids(con, wanted))


def nearest_ids(con: duckdb.DuckDBPyConnection, text: str, n: int = SUGGESTIONS) -> list[str]:
    """The ids whose id, last id part or name is most like `text` (rapidfuzz ratio)."""
    from rapidfuzz import fuzz, process

    rows = con.execute("select model_id, lower(name) from models").fetchall()
    choices = {}
    for model_id, name in rows:
        for alias in (model_id, model_id.split("/", 1)[-1], name):
            choices[(model_id, alias)] = alias
    scored = process.extract(text.lower(), choices, scorer=fuzz.ratio, limit=n * 4)
    best: dict[str, float] = {}
    for _, score, (model_id, _alias) in scored:
        if score >= MIN_SIMILARITY:
            best[model_id] = max(score, best.get(model_id, 0.0))
    return sorted(best, key=lambda i: (-best[i], i))[:n]


def model_detail(con: duckdb.DuckDBPyConnection, model_id: str) -> dict:
    """One model: its row, each field's value and source, its records, conflicts."""
    cursor = con.execute("select * from models where model_id = ?", [model_id])
    columns = [d[0] for d in cursor.description]
    row = dict(zip(columns, cursor.fetchone(), strict=True))
    provenance = json.loads(row.get("provenance") or "{}")
    fields = [
        {"field": name, "value": value, "source": provenance.get(name)}
        for name, value in row.items()
        if name not in ("provenance", "snapshot_id")  # snapshot_id: the hive partition
    ]
    records = _rows(
        con,
        "select source, dataset, row, source_key, retrieved_at, stale, raw_locator, record "
        "from source_records where model_id = ? order by source, dataset, row",
        model_id,
    )
    for record in records:
        record["record"] = json.loads(record["record"])
    conflicts = (
        _rows(
            con,
            "select field, source, value, chosen, locator from conflicts where model_id = ? "
            "order by field, chosen desc, source",
            model_id,
        )
        if _has_table(con, "conflicts")
        else []
    )
    return {"model": row, "fields": fields, "records": records, "conflicts": conflicts}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params) -> list[dict]:
    cursor = con.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_views() where view_name = ? and not internal", [name]
    ).fetchone()[0]
    return bool(found) or name in {r[0] for r in con.execute("show tables").fetchall()}


def model_history(warehouse: str | os.PathLike, model_id: str) -> tuple[dict | None, list]:
    """(first seen: snapshot and time, or None; every event of the model, oldest first)."""
    from ai_landscape.publish.history import first_seen, history

    store = open_store(warehouse)
    seen = first_seen(store, model_id)
    events = history(store, model_id).to_dict(orient="records")
    first = {"snapshot_id": seen[0], "first_seen": seen[1]} if seen else None
    return first, events


def open_snapshot(
    warehouse: str | os.PathLike, snapshot: str = "latest"
) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A DuckDB connection with one view per table of the snapshot, and its id."""
    return connect(warehouse, snapshot)
