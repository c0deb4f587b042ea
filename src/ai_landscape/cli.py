"""`landscape`: the command line. Each command parses its options and calls one function;
what it prints is built in `commands/`, what it computes in the stage packages."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ai_landscape import settings
from ai_landscape.commands import lookup, snapshot_list
from ai_landscape.commands.exit_codes import EXIT_USAGE
from ai_landscape.ops.runners import TASK_RUNNERS

app = typer.Typer(help="A versioned, validated record of the AI model landscape.")


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
    accept_count_change: Annotated[
        str | None,
        typer.Option(help="DATASET[,DATASET]: a reviewed record-count jump; this run only."),
    ] = None,
    deadline: Annotated[
        float | None,
        typer.Option(
            help="Give up after this many seconds, publishing nothing "
            "(default $LANDSCAPE_RUN_DEADLINE_SECONDS, else 4 h)."
        ),
    ] = None,
) -> None:
    """Refresh the landscape: fetch, normalize, validate and publish a snapshot.

    Exit 0: published, or nothing changed; 1: a source or validation failed, nothing
    published; 2: usage or configuration error.
    """
    # Here, not at the top: the source registry imports every normalizer (pandas), which the
    # read-only commands and `--help` never need (docs/performance.md).
    from ai_landscape.http.client import MODES
    from ai_landscape.pipeline.review import parse_datasets
    from ai_landscape.pipeline.selection import UsageError, parse_source_urls, select_datasets

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
        accepted = parse_datasets(accept_count_change)
    except UsageError as exc:
        raise _fail_usage(str(exc)) from None

    settings.configure_runtime()
    from ai_landscape.pipeline.early import start_run_worker

    start_run_worker()  # imports in the worker while this process imports the flow
    from ai_landscape.flow import RunFailed, RunSummary, refresh_landscape
    from ai_landscape.ops.runners import run_task_runner
    from ai_landscape.ops.secrets import redacted_parameters
    from ai_landscape.ops.stop import EXIT_TERMINATED, Terminated, on_sigterm

    try:
        with on_sigterm():
            state = refresh_landscape.with_options(task_runner=run_task_runner(task_runner, mode))(
                mode=mode,
                sources=names,
                # Prefect stores parameters: secrets in URLs stay in this process (ops.secrets).
                source_urls=redacted_parameters(urls),
                warehouse=warehouse or settings.current().warehouse,
                max_removed_share=max_removed_share,
                accept_count_change=accepted,
                deadline_seconds=deadline,
                return_state=True,
            )
    except Terminated:
        typer.echo("STOPPED: terminated by a signal; nothing was published", err=True)
        raise typer.Exit(EXIT_TERMINATED) from None
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
    from ai_landscape.commands.run import summary_lines

    for line, to_stderr in summary_lines(summary):
        typer.echo(line, err=to_stderr)


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
        built = build_report(warehouse, snapshot, out)
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
    """Run read-only SQL over one snapshot: `models`, `source_records`, `summary_by_year`, ...
    are views over its parquet files. Exit 2 on a bad snapshot, bad or non-SELECT SQL; 1 when
    a part does not match its manifest's sha256."""
    import duckdb

    from ai_landscape.commands.render import render
    from ai_landscape.publish.integrity import IntegrityError
    from ai_landscape.publish.store import SnapshotNotFound
    from ai_landscape.report.query import run_query

    if as_csv and as_json:
        raise _fail_usage("--csv and --json exclude each other")
    try:
        result = run_query(sql, warehouse, snapshot)
    except (SnapshotNotFound, duckdb.Error) as exc:
        raise _fail_usage(str(exc)) from None
    except IntegrityError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
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
    from ai_landscape.commands.validate import validate_snapshot

    code, text = validate_snapshot(snapshot, warehouse)
    typer.echo(text, err=code != 0)
    raise typer.Exit(code)


def _print_frame(frame, as_json: bool) -> None:
    from ai_landscape.commands.history import frame_text

    typer.echo(frame_text(frame, as_json))


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help=SNAPSHOT_HELP)],
    new: Annotated[str, typer.Argument(help=SNAPSHOT_HELP)] = "latest",
    warehouse: Annotated[str | None, typer.Option(help="Snapshot store root.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records.")] = False,
) -> None:
    """What changed between two snapshots: models added and removed, access, licence, compute
    and release-date changes."""
    from ai_landscape.publish.history import diff as diff_snapshots
    from ai_landscape.publish.store import SnapshotNotFound
    from ai_landscape.publish.warehouse import open_store

    try:
        old_id, new_id, changes = diff_snapshots(open_store(warehouse), old, new)
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
    from ai_landscape.publish.history import first_seen, history
    from ai_landscape.publish.warehouse import open_store

    store = open_store(warehouse)
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
    "announcement": "Feed item title (`TITLE | SUMMARY`) -> is_model_announcement, model_names, "
    "the rule, and the learned classifier's probability with the cues that fired and their "
    "weights (docs/announcements.md).",
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
        from ai_landscape.commands.normalize import explain as explain_value

        status, lines = explain_value(kind, text, as_json=as_json, stdin=sys.stdin)
        for line in lines:
            typer.echo(line, err=status == EXIT_USAGE)
        raise typer.Exit(status)

    command.__doc__ = summary
    normalize_app.command(kind)(command)


for _kind, _summary in NORMALIZE_COMMANDS.items():
    _normalize_command(_kind, _summary)


def main() -> None:
    """The `landscape` command: `landscape run` runs under a supervisor (`ops.supervise`) so
    that no process outlives it, even after SIGKILL."""
    from ai_landscape.ops import supervise

    if supervise.wanted(sys.argv):
        sys.exit(supervise.supervise(sys.argv))
    app()


if __name__ == "__main__":
    app()
