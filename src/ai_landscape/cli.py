"""`landscape`: run the refresh, list snapshots."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ai_landscape import runtime
from ai_landscape.commands import lookup, snapshot_list
from ai_landscape.config import default_warehouse
from ai_landscape.http.client import MODES
from ai_landscape.ops.runners import TASK_RUNNERS
from ai_landscape.selection import UsageError, parse_source_urls, select_datasets

app = typer.Typer(help="A versioned, validated record of the AI model landscape.")

EXIT_USAGE = 2


def _fail_usage(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


@app.command()
def run(
    mode: Annotated[
        str, typer.Option(help="live: fetch over HTTP; replay: recorded data.")
    ] = "live",
    sources: Annotated[
        str | None, typer.Option(help="Comma list: `epoch` or `epoch.large_scale`; default all.")
    ] = None,
    source_url: Annotated[
        list[str] | None,
        typer.Option(help="KEY=URL: a dataset's (or a source's base) path, file:// or http(s)://."),
    ] = None,
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    max_removed_share: Annotated[
        float | None,
        typer.Option(help="Allow this share of models to disappear in this run (default 0.1)."),
    ] = None,
    task_runner: Annotated[
        str, typer.Option(help="thread (default) or dask (a local Dask cluster).")
    ] = "thread",
) -> None:
    """Refresh the landscape: fetch, normalize, validate and publish a snapshot.

    Exit 0: published, or nothing changed; 1: a source or validation failed, nothing
    published; 2: usage or configuration error.
    """
    if mode not in MODES:
        raise _fail_usage(f"--mode must be one of {', '.join(MODES)}, not {mode!r}")
    if task_runner not in TASK_RUNNERS:
        raise _fail_usage(
            f"--task-runner must be one of {', '.join(TASK_RUNNERS)}, not {task_runner!r}"
        )
    names = sources.split(",") if sources else None
    try:
        urls = parse_source_urls(source_url or [])
        select_datasets(names, urls, mode)
    except UsageError as exc:
        raise _fail_usage(str(exc)) from None

    runtime.configure()
    from ai_landscape.flow import RunFailed, RunSummary, refresh_landscape
    from ai_landscape.ops.runners import make_task_runner

    state = refresh_landscape.with_options(task_runner=make_task_runner(task_runner))(
        mode=mode,
        sources=names,
        source_urls=urls,
        warehouse=str(warehouse or default_warehouse()),
        max_removed_share=max_removed_share,
        return_state=True,
    )
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, RunFailed):
        _print_summary(outcome.summary)
        typer.echo(f"FAILED: {outcome.why}", err=True)
        raise typer.Exit(outcome.summary.exit_code)
    if not isinstance(outcome, RunSummary):
        typer.echo(f"FAILED: {outcome}", err=True)
        raise typer.Exit(1)
    _print_summary(outcome)


def _print_summary(summary) -> None:
    if summary.status == "published":
        typer.echo(f"published snapshot {summary.snapshot_id}")
    elif summary.status == "unchanged":
        typer.echo(f"nothing changed: latest snapshot {summary.latest_id} already holds this data")
    for key, info in summary.sources.items():
        if info.get("status") == "skipped":
            continue
        line = f"  source {key}: {info['status']}"
        if "records" in info:
            line += f", {info['records']} records"
        if info["status"] == "stale":
            line += f" carried over from {info['stale_since']}"
        if "error" in info:
            line += f" ({info['error']})"
        typer.echo(line)
    for table, rows in summary.rows.items():
        typer.echo(f"  {table}: {rows} rows")
    for error in summary.errors:
        typer.echo(f"  error: {error}", err=True)
    for event_type, ids in summary.changes.items():
        typer.echo(f"  {event_type}: {len(ids)}")
    if summary.report:
        typer.echo(f"  report: {summary.report}")
    timing = ", ".join(f"{stage} {secs:.2f}s" for stage, secs in summary.seconds.items())
    typer.echo(f"  stages: {timing}")
    typer.echo(f"  warehouse: {summary.warehouse}")


SNAPSHOT_HELP = "`latest`, a snapshot id, a unique id prefix or a date (YYYY-MM-DD, UTC)."


@app.command()
def report(
    snapshot: Annotated[str, typer.Option(help=SNAPSHOT_HELP)] = "latest",
    out: Annotated[
        str | None, typer.Option(help="Output folder; default <warehouse>/_reports/<id>/.")
    ] = None,
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
) -> None:
    """Charts (PNG), their numbers (CSV) and one self-contained HTML page for a snapshot."""
    from ai_landscape.publish.store import SnapshotNotFound
    from ai_landscape.report.build import build_report

    try:
        built = build_report(warehouse or default_warehouse(), snapshot, out)
    except SnapshotNotFound as exc:
        raise _fail_usage(str(exc)) from None
    typer.echo(f"report of snapshot {built.snapshot_id}: {built.page}")
    for path in built.images.values():
        typer.echo(f"  {path}")


@app.command()
def query(
    sql: Annotated[
        str, typer.Argument(help="DuckDB SQL over views named after the snapshot's tables.")
    ],
    snapshot: Annotated[str, typer.Option(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of rows.")] = False,
) -> None:
    """Run SQL over one snapshot: `models`, `source_records`, `summary_by_year`, ... are views
    over its parquet files. Exit 2 on a bad snapshot or bad SQL."""
    import duckdb

    from ai_landscape.publish.store import SnapshotNotFound
    from ai_landscape.report.query import render, run_query

    if as_csv and as_json:
        raise _fail_usage("--csv and --json exclude each other")
    try:
        result = run_query(sql, warehouse or default_warehouse(), snapshot)
    except (SnapshotNotFound, duckdb.Error) as exc:
        raise _fail_usage(str(exc)) from None
    typer.echo(render(result, "csv" if as_csv else "json" if as_json else "table"), nl=False)


@app.command()
def validate(
    snapshot: Annotated[str, typer.Option(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
) -> None:
    """Re-validate a published snapshot against the current suites.

    Exit 0: it passes as it is; 1: a blocking failure, or rows today's suites would
    quarantine; 2: no such snapshot.
    """
    from ai_landscape.validate.command import validate_snapshot

    code, text = validate_snapshot(snapshot, warehouse or default_warehouse())
    typer.echo(text, err=code != 0)
    raise typer.Exit(code)


def _print_frame(frame, as_json: bool) -> None:
    if as_json:
        from ai_landscape.plain import dumps

        typer.echo(dumps(frame.to_dict(orient="records")))
    elif frame.empty:
        typer.echo("(none)")
    else:
        typer.echo(frame.to_string(index=False, max_colwidth=60))


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help=SNAPSHOT_HELP)],
    new: Annotated[str, typer.Argument(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records.")] = False,
) -> None:
    """What changed between two snapshots: models added and removed, access, licence, compute
    and release-date changes."""
    from ai_landscape.publish.store import SnapshotNotFound, SnapshotStore
    from ai_landscape.resolve.history import diff as diff_snapshots

    try:
        old_id, new_id, changes = diff_snapshots(
            SnapshotStore(warehouse or default_warehouse()), old, new
        )
    except SnapshotNotFound as exc:
        raise _fail_usage(str(exc)) from None
    if not as_json:
        typer.echo(f"{old_id} -> {new_id}: {len(changes)} changes")
    _print_frame(changes, as_json)


@app.command()
def history(
    model_id: Annotated[str, typer.Argument(help="A model id, e.g. deepseek/deepseek-r1.")],
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records.")] = False,
) -> None:
    """A model's timeline: when the pipeline first saw it and every change since, with the
    record that showed it."""
    from ai_landscape.publish.store import SnapshotStore
    from ai_landscape.resolve.history import first_seen, history

    store = SnapshotStore(warehouse or default_warehouse())
    seen = first_seen(store, model_id)
    if seen is None:
        hint = lookup.suggestion_hint(store.root, model_id)
        raise _fail_usage(f"no snapshot in {store.root} lists {model_id!r}{hint}")
    events = history(store, model_id)
    if not as_json:
        typer.echo(f"{model_id}: first seen {seen[1].isoformat()} (snapshot {seen[0]})")
    _print_frame(events, as_json)


app.command("models")(lookup.models)
app.command("show")(lookup.show)
app.add_typer(snapshot_list.app, name="snapshots")

normalize_app = typer.Typer(
    help="Explain how a value is normalized: the answer and the rule or table row behind it."
)
app.add_typer(normalize_app, name="normalize")

NORMALIZE_COMMANDS = {
    "license": "Licence text or Epoch accessibility label -> license_id, weights_access, "
    "openness, commercial_use (data/reference/licenses.csv).",
    "params": "Parameter count (`671B`, `284B total, 13B active`) -> parameters, "
    "active_parameters.",
    "compute": "Training compute (`3.8×10^25`, `~2e24 FLOP`) -> training_compute_flop.",
}


def _normalize_command(kind: str, summary: str) -> None:
    def command(
        text: Annotated[
            str | None,
            typer.Argument(help="The value; without it, one value per line of standard input."),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per value, one per line.")
        ] = False,
    ) -> None:
        from ai_landscape.normalize.explain import EXIT_USAGE
        from ai_landscape.normalize.explain import explain as explain_value

        status, lines = explain_value(kind, text, as_json=as_json, stdin=sys.stdin)
        for line in lines:
            typer.echo(line, err=status == EXIT_USAGE)
        raise typer.Exit(status)

    command.__doc__ = summary
    normalize_app.command(kind)(command)


for _kind, _summary in NORMALIZE_COMMANDS.items():
    _normalize_command(_kind, _summary)


if __name__ == "__main__":
    app()
