"""`landscape models` and `landscape show`: find a model and read its whole record.

Rendering only; the reading is `ai_landscape.catalog`. Both commands are read-only and import
neither Prefect, Great Expectations nor matplotlib (a test holds them to it), so they answer
in about the time DuckDB takes to scan the snapshot.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

import typer

from ai_landscape import settings
from ai_landscape.commands.tables import Col, flop, human_count, render, shorten, terminal_width
from ai_landscape.plain import cell, dumps, plain

EXIT_USAGE = 2
SNAPSHOT_HELP = "`latest`, a snapshot id, a unique id prefix or a date (YYYY-MM-DD, UTC)."
TABLE_COLUMNS = [
    Col("model_id"),  # what `show` takes: shortened last, after organization and licence
    Col("organization", flex=2, optional=True),  # the id starts with its slug
    Col("country", flex=0),
    Col("released", flex=0),
    Col("access", flex=0),
    Col("licence", flex=2),
    Col("params", right=True, flex=0),
    Col("compute", right=True, flex=0),
    Col("large_scale", flex=0),
]

# weights_access in a terminal column; --csv and --json keep the contract's values.
ACCESS_SHORT = {
    "open_unrestricted": "open",
    "open_restricted": "open-restr",
    "open_noncommercial": "open-nc",
}


def _usage(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def models(
    search: Annotated[
        str | None, typer.Option(help="Words that must all appear in id, name, org or repo.")
    ] = None,
    org: Annotated[
        str | None, typer.Option(help="Part of an organization's name: `meta`, `zhipu`.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO code or country name: `CN`, `China`.")
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open weights only.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Closed (API, hosted, unreleased).")] = (
        False
    ),
    access: Annotated[
        str | None, typer.Option(help="A weights_access state, e.g. open_restricted.")
    ] = None,
    license_: Annotated[
        str | None, typer.Option("--license", help="Part of a licence id: `apache`, `llama`.")
    ] = None,
    large_scale: Annotated[
        str | None,
        typer.Option(help="confirmed, estimated, unconfirmed, below, unknown, or any."),
    ] = None,
    year: Annotated[str | None, typer.Option(help="Release year or range: 2024, 2023-2025.")] = (
        None
    ),
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    snapshot: Annotated[str, typer.Option(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (every column whole).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of models.")] = False,
) -> None:
    """List the models of a snapshot, newest first, filtered: a table that fits the terminal.

    Exit 0 (also when nothing matches), 2 on a bad option or snapshot."""
    from ai_landscape.catalog import FilterError, ModelFilter, list_models, open_snapshot
    from ai_landscape.publish.store import SnapshotNotFound

    if open_ and closed:
        raise _usage("--open and --closed exclude each other")
    if as_csv and as_json:
        raise _usage("--csv and --json exclude each other")
    where = ModelFilter(
        search=search,
        org=org,
        country=country,
        openness="open" if open_ else "closed" if closed else None,
        access=access,
        license=license_,
        large_scale=large_scale,
        year=year,
    )
    try:
        con, snapshot_id = open_snapshot(warehouse or settings.current().warehouse, snapshot)
        found = list_models(con, where, limit)
    except (SnapshotNotFound, FilterError) as exc:
        raise _usage(str(exc)) from None
    rows = found.to_pylist()
    if as_json:
        typer.echo(dumps(rows))
    elif as_csv:
        typer.echo(_csv(found.column_names, rows), nl=False)
    else:
        typer.echo(models_table(rows))
        typer.echo(f"({len(rows)} model{'s' if len(rows) != 1 else ''}, snapshot {snapshot_id})")


def models_table(rows: list[dict], width: int | None = None) -> str:
    """The list as a terminal reads it: id (what `show` takes), lead organization, open
    access shortened (open, open-restr, open-nc), sizes in B/T, compute as 3.8e25."""
    lines = [
        [
            r["model_id"],
            _lead(r["organizations"]),
            ",".join(r["country_codes"] or []),
            cell(r["release_date"]),
            ACCESS_SHORT.get(r["weights_access"], r["weights_access"]),
            r["license_id"] or "",
            human_count(r["parameters"]),
            flop(r["training_compute_flop"]),
            r["large_scale"],
        ]
        for r in rows
    ]
    return render(TABLE_COLUMNS, lines, width)


def _lead(organizations: list[str] | None) -> str:
    names = organizations or []
    return names[0] + (f" +{len(names) - 1}" if len(names) > 1 else "") if names else ""


def _csv(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[cell(r[c]) for c in columns] for r in rows])
    return out.getvalue()


def show(
    model: Annotated[
        str,
        typer.Argument(help="A model id, a name, or a source's key (Hub repo, OpenRouter id)."),
    ],
    snapshot: Annotated[str, typer.Option(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """One model: every field with the source record that supplied it, its source records,
    where its sources disagree, and its history. Exit 2 when nothing matches (the nearest
    ids are suggested) or the text names several models (they are listed)."""
    from ai_landscape.catalog import find_model, model_detail, model_history, open_snapshot
    from ai_landscape.publish.store import SnapshotNotFound

    root = warehouse or settings.current().warehouse
    try:
        con, snapshot_id = open_snapshot(root, snapshot)
    except SnapshotNotFound as exc:
        raise _usage(str(exc)) from None
    found = find_model(con, model)
    if found.ambiguous:
        listed = ", ".join(found.ambiguous)
        raise _usage(f"{model!r} is the {found.matched_by} of several models: {listed}")
    if found.model_id is None:
        hint = f"; did you mean: {', '.join(found.suggestions)}" if found.suggestions else ""
        raise _usage(f"no model {model!r} in snapshot {snapshot_id}{hint}")
    detail = model_detail(con, found.model_id)
    first, events = model_history(root, found.model_id)
    detail = {
        "snapshot_id": snapshot_id,
        "matched_by": found.matched_by,
        **detail,
        "first_seen": first,
        "history": events,
    }
    typer.echo(dumps(detail) if as_json else show_text(detail))


def show_text(detail: dict, width: int | None = None) -> str:
    """Sections a reader scans top-down: the fields, then the evidence behind them."""
    width = width or terminal_width()
    model = detail["model"]
    out = [
        f"{model['name']}  ({model['model_id']}, found by {detail['matched_by']}, "
        f"snapshot {detail['snapshot_id']})",
        "",
        "Fields (value, and the record that supplied it)",
    ]
    rows = [
        [f["field"], _value(f["field"], f["value"]), short_locator(f["source"])]
        for f in detail["fields"]
        if f["field"] not in ("model_id", "name")
    ]
    out.append(render([Col("field", flex=0), Col("value"), Col("source")], rows, width))
    records = detail["records"]
    out += ["", f"Source records ({len(records)})"]
    rows = [
        [
            f"{r['source']}.{r['dataset']}",
            str(r["row"]),
            r["source_key"],
            cell(r["retrieved_at"])[:19],
            "stale" if r["stale"] else "",
            r["raw_locator"].rsplit("/", 1)[-1][:16],
        ]
        for r in records
    ]
    cols = [Col("dataset", flex=0), Col("row", right=True, flex=0), Col("key")]
    cols += [Col("retrieved_at", flex=0), Col("stale", flex=0), Col("raw object", flex=0)]
    out.append(render(cols, rows, width) if rows else "  (none)")
    conflicts = detail["conflicts"]
    out += ["", f"Conflicts ({len(conflicts)} values where sources disagree)"]
    rows = [
        [
            c["field"],
            c["source"],
            c["value"],
            "chosen" if c["chosen"] else "",
            short_locator(c["locator"]),
        ]
        for c in conflicts
    ]
    cols = [Col("field", flex=0), Col("source", flex=0), Col("value"), Col("chosen")]
    out.append(render([*cols, Col("record")], rows, width) if rows else "  (none)")
    out += ["", "History"]
    first = detail["first_seen"]
    if first:
        out.append(f"  first seen {cell(first['first_seen'])} (snapshot {first['snapshot_id']})")
    for e in detail["history"]:
        change = e["event_type"] + (
            f" {e['field']}: {e['old']} -> {e['new']}" if e["field"] else ""
        )
        out.append(shorten(f"  {cell(e['detected_at'])[:19]}  {change}", width))
    if not detail["history"]:
        out.append("  no change recorded since")
    return "\n".join(out)


def _value(field: str, value) -> str:
    if field in ("parameters", "active_parameters", "training_tokens"):
        text = cell(value)
        return f"{text} ({human_count(plain(value))})" if text else ""
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    return cell(value)


def short_locator(locator: str | None) -> str:
    """`epoch.large_scale:_raw/epoch/large_scale/<sha256>.bin#row=170` -> `epoch.large_scale
    row 170` (`--json` keeps the whole locator, which names the raw object)."""
    if not locator:
        return ""
    dataset, _, rest = locator.partition(":")
    _, sep, row = rest.rpartition("#row=")
    return f"{dataset} row {row}" if sep else dataset


def suggestion_hint(warehouse, text: str) -> str:
    """`; did you mean: a, b` from the latest snapshot's nearest ids, or "" (none, no
    snapshot): for commands that take an exact id, such as `history`."""
    from ai_landscape.catalog import nearest_ids, open_snapshot
    from ai_landscape.publish.store import SnapshotNotFound

    try:
        con, _ = open_snapshot(warehouse, "latest")
    except SnapshotNotFound:
        return ""
    near = nearest_ids(con, text)
    return f"; did you mean: {', '.join(near)}" if near else ""
