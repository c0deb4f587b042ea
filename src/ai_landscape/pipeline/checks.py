"""The validation gate as a run uses it: suites over the built tables and every dataset's
records, the run's Data Docs, and its quarantine when the run publishes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ai_landscape.pipeline.ingest import DatasetResult


def validate_tables(
    tables: dict[str, pd.DataFrame],
    results: list[DatasetResult],
    previous_manifest: dict | None,
    run_id: str,
    warehouse: Path,
    max_removed_share: float | None = None,
    accept_count_change: tuple[str, ...] = (),
):
    # Great Expectations is imported here, not at module import: read-only commands that
    # import the pipeline's modules never pay for it.
    from ai_landscape.validate.docs import write_data_docs
    from ai_landscape.validate.gate import gate, previous_counts_from_manifest, write_quarantine

    previous_models = (previous_manifest or {}).get("tables", {}).get("models", {}).get("rows")
    result = gate(
        tables,
        {r.request.key: r.records for r in results if r.records is not None},
        previous_counts_from_manifest(previous_manifest),
        run_id,
        previous_models=previous_models,
        max_removed_share=max_removed_share,
        accept_count_change=accept_count_change,
    )
    docs = write_data_docs(warehouse, run_id, result)
    result.summary["data_docs"] = docs.relative_to(warehouse).as_posix()
    if result.publishable:
        result.summary["quarantine"] = write_quarantine(warehouse, run_id, result.quarantined)
    return result


def release_records(results: list[DatasetResult]) -> None:
    """Drop every dataset's parsed records once the gate has checked them: `source_records`
    holds them as JSON, and nothing after the gate reads the frames, so publishing does not
    hold them (the candidates stay: the manifest's normalization report reads them) (#17)."""
    for r in results:
        r.records = None
