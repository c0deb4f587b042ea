"""The refresh flow: fetch → parse → normalize → resolve → validate → publish → report.

It only wires the stages (tasks.py) in order; the run's state and outcome live in
`pipeline/run.py`. A failed run raises `RunFailed` so Prefect marks it Failed; the summary
travels with it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from ai_landscape.ops.artifacts import create_validation_artifacts
from ai_landscape.ops.concurrency import warehouse_slot
from ai_landscape.ops.deadline import LEASE_MARGIN_S, RunDeadline, run_deadline_seconds
from ai_landscape.ops.notify import notify_failure
from ai_landscape.ops.secrets import unredact
from ai_landscape.ops.stop import stopped_cleanly
from ai_landscape.pipeline.feeds import apply_feed_detection, send_feed_detection
from ai_landscape.pipeline.finalize import finalize
from ai_landscape.pipeline.ingest_source import by_source, source_threads, submission_order
from ai_landscape.pipeline.run import Run, RunFailed, RunSummary
from ai_landscape.tasks import (
    build_tables,
    census_dataset,
    draw_report,
    ingest_source,
    publish_snapshot,
    validate_tables,
)

__all__ = ["RunFailed", "RunSummary", "refresh_landscape"]

# The stages log with the standard library under `ai_landscape`. A deployment forwards that
# logger to the run's log (PREFECT_LOGGING_EXTRA_LOGGERS in prefect.yaml), and its INFO lines
# (what a run published, which source was carried over) belong there: the logger's level
# would otherwise be the root's WARNING.
logging.getLogger("ai_landscape").setLevel(logging.INFO)


@flow(name="refresh-landscape", on_failure=[notify_failure])
def refresh_landscape(
    mode: str = "live",
    sources: Sequence[str] | None = None,
    source_urls: Mapping[str, str] | None = None,
    warehouse: str | None = None,
    max_removed_share: float | None = None,
    accept_count_change: Sequence[str] | None = None,
    deadline_seconds: float | None = None,
) -> RunSummary:
    """The parameters are `landscape run`'s (docs/cli.md); URLs arrive redacted (ops.secrets)."""
    deadline = RunDeadline(run_deadline_seconds(deadline_seconds))
    run = Run(mode, sources, unredact(source_urls), warehouse, max_removed_share)
    run.accept(accept_count_change, stop_at=time.time() + deadline.remaining())
    work = run.warehouse.work
    with (  # one run per warehouse, from reading the latest snapshot to the commit
        warehouse_slot(run.warehouse.root, lease=deadline.seconds + LEASE_MARGIN_S),
        run.worker,  # its process ends with the run, whichever way the run ends
        stopped_cleanly(run.summary, deadline, lambda why: _stopped(run, why)),
    ):
        run.read_previous()
        with run.stage("fetch_parse_normalize"):
            results, censuses = _fetch_all(run)
        why = run.record_ingest(results, censuses)
        deadline.check("fetching")  # a fetch cut short by the run's deadline fails as the run's
        _stop_if(run, why)
        records_checked = run.check_records()  # in the worker, while this process resolves
        with run.stage("resolve"):
            built = build_tables(results, run.previous_tables(), run.previous_id, run.started)
        deadline.check("resolution")
        with run.stage("validate"):  # `built` gains `source_records` there
            checked = validate_tables(*run.validate_arguments(built, records_checked))
            create_validation_artifacts(checked, work / checked.summary["data_docs"])
        run.record_tables(built)
        _stop_if(run, run.record_validation(checked))
        del built  # the gate's tables from here: a quarantined table is not held twice (#17)
        with run.stage("publish"):
            deadline.check("validation")
            tables = run.record_tables(finalize(checked.tables, run.quarantine_removals(checked)))
            census = run.send_publish_work(tables)  # the census's lineage, the Data Docs' pages
            run.record_figures(tables)  # meanwhile, the manifest's figures
            _stop_if(run, run.add_census(census, tables))
            published = publish_snapshot(*run.publish_arguments(tables))
        if run.record_publish(published, tables["events"]):
            with run.stage("report"):
                run.summary.report = draw_report(
                    run.warehouse.root, published.latest_id, run.worker.submit
                )
    create_markdown_artifact(run.summary.markdown(), key="landscape-refresh")
    return run.summary


def _fetch_all(run: Run) -> tuple[list, list]:
    """Every source's ingest (one task each, pipeline/ingest_source.py) and the Hub census,
    submitted together so they run side by side; each dataset's outcome (a failure is an
    outcome, not an exception), in the order the datasets were selected."""
    work = run.warehouse.work
    repos = run.previous_repos()
    # The census first: its chunks go to the run's worker process (pipeline/worker.py), on
    # the second core while the other datasets are ingested.
    census = [
        census_dataset.submit(r, run.client, work, repos, run.started, run.worker.submit)
        for r in run.census_requests
    ]
    # The worker (GX set up by its warm-up, pipeline/early.py) checks the census's file as
    # soon as it is written, before it checks the records.
    for future in census:
        future.add_done_callback(lambda done: run.check_census_file(done.result()))
    threads, groups = source_threads(run.summary.mode), by_source(run.requests)
    previous = lambda requests: [run.previous_info(r) for r in requests]  # noqa: E731
    ingest = {
        source: ingest_source.submit(
            source, groups[source], run.client, work, previous(groups[source]), threads
        )
        for source in submission_order(list(groups))
    }
    # The feeds' detection goes to the worker as soon as their task is done (they are first).
    sent = [send_feed_detection(f.result(), run.worker.submit) for f in ingest.values()]
    for detection in sent:
        apply_feed_detection(detection)
    return [r for source in groups for r in ingest[source].result()], [f.result() for f in census]


def _stop_if(run: Run, why: str | None) -> None:
    if why is not None:
        raise _stopped(run, why)


def _stopped(run: Run, why: str) -> RunFailed:
    """The run's failure, logged; a failed run leaves the warehouse as it found it."""
    run.discard_census_work()
    run.finish_docs()  # a gate that blocked: its Data Docs say why
    log = get_run_logger()
    for error in run.summary.errors:
        log.error(error)
    create_markdown_artifact(run.summary.markdown(), key="landscape-refresh")
    return RunFailed(run.summary, why)
