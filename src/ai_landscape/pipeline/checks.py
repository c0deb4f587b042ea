"""The validation gate as a run uses it: suites over the built tables and every dataset's
records, the run's Data Docs, and its quarantine when the run publishes.

Great Expectations runs in the run's worker process (pipeline/worker.py), not here: the
records are checked there while this process resolves the tables (`check_records`), and the
tables once they are built (`validate_tables`). So GX's import (the worker's warm-up, before
the run needs it: pipeline/early.py) and the records' thirty-odd validations are on the other
core, and the run's own process never imports GX. Called without a `submit`, or with frames
too large to copy to another process (`worker.MAX_SENT_ROWS`), both run here.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pandas as pd

from ai_landscape.pipeline.ingest import DatasetResult
from ai_landscape.pipeline.tables import add_source_records
from ai_landscape.pipeline.worker import sender, worker_result
from ai_landscape.submit import Submit, here

# Columns of a table no suite reads, left out of what is sent to the worker: `provenance`
# (each field's source, as JSON text) was 4.2 MB of the replay's 5.2 MB of pickled models,
# ~0.05 s of the run's process before the worker could start checking (#17).
UNCHECKED = {"models": ["provenance"]}


def check_records(
    results: list[DatasetResult],
    previous_manifest: dict | None,
    accept_count_change: tuple[str, ...] = (),
    submit: Submit | None = None,
) -> Future | None:
    """Every dataset's records through its suite, sent to `submit`: a future of the reports,
    for `validate_tables`. None when there is no worker or the records are too many to send
    (`worker.MAX_SENT_ROWS`): the gate then checks them in the validate stage, where their
    time is counted, not between stages."""
    from ai_landscape.validate.gate import previous_counts_from_manifest

    records = _records(results)
    counts = previous_counts_from_manifest(previous_manifest)
    send = sender(submit, records.values())
    if send is here:
        return None
    return send(checked_records, records, counts, tuple(accept_count_change))


def checked_records(
    records: dict[str, pd.DataFrame], previous_counts: dict[str, int], accept: tuple[str, ...]
) -> list:
    """`validate.gate.validate_records`' reports, their GX results held where they were made
    (`validate.docs.held`, drawn by `drawn_pages`): what the worker sends back. A GX result
    does not cross: unpickling one imports GX (3 s)."""
    from ai_landscape.validate.docs import held
    from ai_landscape.validate.gate import validate_records

    return [held(r) for r in validate_records(records, previous_counts, accept)]


def validate_tables(
    tables: dict[str, pd.DataFrame],
    results: list[DatasetResult],
    previous_manifest: dict | None,
    run_id: str,
    warehouse: Path,
    max_removed_share: float | None = None,
    accept_count_change: tuple[str, ...] = (),
    records_checked: Future | None = None,
    submit: Submit | None = None,
):
    """The gate's result (validate.gate.GateResult), its Data Docs and quarantine written.
    `records_checked`: `check_records`' future for the same results, if the run started it.
    Only the tables with suites go to `submit`; the gate's quarantine, the Data Docs' files and
    the quarantine's are done here, from the reports. The pages of the checks `submit` made
    are plain text until `finish_data_docs`; those made here are GX's at once.

    `tables` without `source_records` (as `build_tables` leaves them) gains it, built here
    from the results while the worker checks the others: no suite reads it, and this process
    would otherwise wait. Built in the resolve stage, its 0.2 s of the replay were spent while
    the worker still checked the records (#17)."""
    from ai_landscape.validate.docs import drawn_pages, write_data_docs
    from ai_landscape.validate.gate import (
        TABLE_SUITES,
        gate,
        previous_counts_from_manifest,
        write_quarantine,
    )

    counts = previous_counts_from_manifest(previous_manifest)
    accept = tuple(accept_count_change)
    records = _records(results)
    record_reports = None
    if records_checked is not None:
        job = (checked_records, records, counts, accept)
        record_reports = worker_result(records_checked, *job)
    previous_models = (previous_manifest or {}).get("tables", {}).get("models", {}).get("rows")
    validated = {
        name: frame.drop(columns=UNCHECKED.get(name, []))
        for name, frame in tables.items()
        if name in TABLE_SUITES
    }
    job = (checked_tables, validated, previous_models, max_removed_share)
    tables_checked = sender(submit, validated.values())(*job)
    if "source_records" not in tables:
        add_source_records(tables, results)
    table_reports = worker_result(tables_checked, *job)
    result = gate(
        tables,
        records,
        counts,
        run_id,
        previous_models=previous_models,
        max_removed_share=max_removed_share,
        accept_count_change=accept,
        record_reports=record_reports,
        table_reports=table_reports,
    )
    docs = write_data_docs(warehouse, run_id, result, drawn_pages())  # those checked here
    result.summary["data_docs"] = docs.relative_to(warehouse).as_posix()
    if result.publishable:
        result.summary["quarantine"] = write_quarantine(warehouse, run_id, result.quarantined)
    return result


def checked_tables(
    tables: dict[str, pd.DataFrame], previous_models: int | None, max_removed_share: float | None
) -> list:
    """`validate.gate.validate_table_suites`' reports, as `checked_records` sends them."""
    from ai_landscape.validate.docs import held
    from ai_landscape.validate.gate import validate_table_suites

    reports = validate_table_suites(
        tables, previous_models=previous_models, max_removed_share=max_removed_share
    )
    return [held(r) for r in reports]


def release_records(results: list[DatasetResult]) -> None:
    """Drop every dataset's parsed records once the gate has checked them: `source_records`
    holds them as JSON, and nothing after the gate reads the frames, so publishing does not
    hold them (the candidates stay: the manifest's normalization report reads them) (#17)."""
    for r in results:
        r.records = None


def _records(results: list[DatasetResult]) -> dict[str, pd.DataFrame]:
    return {r.request.key: r.records for r in results if r.records is not None}


def finish_data_docs(
    warehouse: Path, run_id: str, result, drawn: Future | None, submit: Submit | None = None
) -> None:
    """GX's pages of the checks the worker made (`drawn`: `drawn_pages` sent to it, or None to
    send it now) over their plain ones; the pages of checks made here, drawn at validation,
    stay. A worker that died took its checks' results with it: those pages stay plain text."""
    from ai_landscape.validate.docs import drawn_pages, write_drawn_pages

    if drawn is None:
        drawn = (submit or here)(drawn_pages)
    write_drawn_pages(warehouse, run_id, result, worker_result(drawn, dict))
