"""`landscape snapshots` (one line per snapshot) and `landscape snapshots show ID` (one manifest).

A manifest holds every fetched document and the whole validation summary, well over a
thousand lines: printing all of them to list the snapshots buried the few facts one looks
for. The list says when, how, how many models, and which sources were stale (carried over
from an earlier fetch because they failed that run); `show` gives one manifest.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ai_landscape import settings
from ai_landscape.commands.tables import Col, render
from ai_landscape.plain import dumps

app = typer.Typer(
    help="List published snapshots (oldest first), or show one's manifest.",
    invoke_without_command=True,
    no_args_is_help=False,
)
SNAPSHOT_HELP = "A snapshot id, a unique id prefix, a date (YYYY-MM-DD, UTC) or `latest`."


def stale_sources(manifest: dict) -> dict[str, str | None]:
    """Dataset -> since when it was carried over, for every stale dataset of a snapshot."""
    return {
        key: info.get("stale_since")
        for key, info in manifest.get("sources", {}).items()
        if info.get("status") == "stale"
    }


def summary(manifest: dict, latest: str | None) -> dict:
    """What the list shows of one manifest (also its `--json` form)."""
    tables = manifest.get("tables", {})
    return {
        "snapshot_id": manifest["snapshot_id"],
        "created_at": manifest["created_at"],
        "mode": manifest.get("mode"),
        "parent_id": manifest.get("parent_id"),
        "models": tables.get("models", {}).get("rows"),
        "rows": {name: info["rows"] for name, info in tables.items()},
        "stale": stale_sources(manifest),
        "latest": manifest["snapshot_id"] == latest,
    }


def summaries_table(rows: list[dict], width: int | None = None) -> str:
    cols = [
        Col("snapshot", flex=0),
        Col("created", flex=0),
        Col("mode", flex=0),
        Col("models", right=True, flex=0),
        Col("stale sources"),
        Col("", flex=0),
    ]
    lines = [
        [
            r["snapshot_id"],
            r["created_at"][:19].replace("T", " "),
            str(r["mode"] or "?"),
            str(r["models"] if r["models"] is not None else ""),
            ", ".join(r["stale"]) or "-",
            "latest" if r["latest"] else "",
        ]
        for r in rows
    ]
    return render(cols, lines, width)


@app.callback()
def snapshots(
    ctx: typer.Context,
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="A JSON list: id, time, mode, rows, stale sources.")
    ] = False,
) -> None:
    """List published snapshots, oldest first: models, stale sources, the latest marked."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = warehouse
        return
    from ai_landscape.publish.warehouse import open_store

    store = open_store(warehouse or settings.current().warehouse)
    latest = store.latest_id()
    rows = [summary(m, latest) for m in store.list_snapshots()]
    if as_json:
        typer.echo(dumps(rows))
    elif not rows:
        typer.echo(f"no snapshots in {store.root}")
    else:
        typer.echo(summaries_table(rows))


@app.command("show")
def show(
    ctx: typer.Context,
    snapshot: Annotated[str, typer.Argument(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
) -> None:
    """One snapshot's manifest, whole, as JSON: sources, tables, validation. Exit 2 if none."""
    from ai_landscape.publish.store import SnapshotNotFound
    from ai_landscape.publish.warehouse import open_store

    store = open_store(warehouse or ctx.obj or settings.current().warehouse)
    try:
        manifest = store.manifest(snapshot)
    except SnapshotNotFound as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(dumps(manifest))
