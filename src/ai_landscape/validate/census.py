"""Great Expectations on the census at its size: the file is validated where it lies.

- `hub_repos.json` holds only row-by-row expectations, so it runs on one batch of row groups
  at a time (`meta.batch_rows`, a quarter of a million rows) and the batches' failures add up
  to the table's: memory holds one batch, whatever the census's size.
- `hub_repos_table.json` checks what needs the whole table (one row per repo, the row count
  against the previous census) on a one-row summary DuckDB aggregates from the file.
- `hub_lineage.json` runs on the lineage frame, which is small.

Census expectations are `blocking` or `warn`: a row-level quarantine would mean rewriting a
two-million-row file for a few rows; a bad row here is a parse or normalize bug to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ai_landscape.validate.gx_runner import load_suite, validate_frame
from ai_landscape.validate.outcome import FailedExpectation, ValidationReport

REPOS_SUITE, TABLE_SUITE, LINEAGE_SUITE = "hub_repos", "hub_repos_table", "hub_lineage"


@dataclass
class CensusValidation:
    reports: list[ValidationReport]
    blocking: list[str]
    warnings: list[str]

    @property
    def publishable(self) -> bool:
        return not self.blocking

    def summary(self) -> dict:
        return {
            "publishable": self.publishable,
            "blocking": self.blocking,
            "warnings": self.warnings,
            "reports": {r.suite: r.to_dict() for r in self.reports},
        }


def validate_census(
    repos: Path,
    lineage: pd.DataFrame,
    previous_rows: int | None,
    *,
    directory: Path | None = None,
    now: datetime | None = None,
    file_reports: list[ValidationReport] | None = None,
) -> CensusValidation:
    """`file_reports`: `validate_census_file`'s for the same file, if done already."""
    if file_reports is None:
        file_reports = validate_census_file(repos, previous_rows, directory=directory, now=now)
    lineage_report = validate_frame(
        lineage, LINEAGE_SUITE, directory=directory, target="hub_lineage"
    )
    reports = [*file_reports, replace(lineage_report, gx_result=None)]
    blocking, warnings = [], []
    for report in reports:
        for failed in report.failed:
            text = f"{report.target}: {report.suite}.{failed.label}: {failed.describe()}"
            text += f" - {failed.why}" if failed.why else ""
            (warnings if failed.severity == "warn" and not failed.error else blocking).append(text)
    return CensusValidation(reports, blocking, warnings)


def validate_census_file(
    repos: Path,
    previous_rows: int | None,
    *,
    directory: Path | None = None,
    now: datetime | None = None,
) -> list[ValidationReport]:
    """The suites that read only the census's file (its rows, its row count against the
    previous census): a run checks them as soon as the file is written, and only the lineage
    is left for when the models are final (pipeline/census/steps.py)."""
    # Without GX's result objects: the census has no Data Docs page, and a report may cross
    # from the run's worker process to one that never imported GX (unpickling them would).
    return [
        replace(validate_repos_file(repos, now or datetime.now(UTC), directory), gx_result=None),
        replace(_validate_summary(repos, previous_rows, directory), gx_result=None),
    ]


def validate_repos_file(repos: Path, now: datetime, directory: Path | None) -> ValidationReport:
    """The row suite, batch after batch; failures of one expectation across batches merge."""
    suite = load_suite(REPOS_SUITE, directory)
    columns = sorted(
        {e["kwargs"]["column"] for e in suite["expectations"] if "column" in e["kwargs"]}
    )
    file = pq.ParquetFile(repos)
    merged: ValidationReport | None = None
    for batch in file.iter_batches(
        batch_size=suite["meta"]["batch_rows"], columns=[*columns, "base_models"]
    ):
        frame = batch.drop_columns(["base_models"]).to_pandas()
        frame["base_count"] = pc.list_value_length(batch["base_models"]).to_numpy()
        report = validate_frame(
            frame,
            REPOS_SUITE,
            parameters={"now": now.isoformat()},
            directory=directory,
            target="hub_repos",
        )
        merged = report if merged is None else _merge(merged, report)
    if merged is None:  # an empty file: evaluate on an empty frame, so the report is real
        empty = file.schema_arrow.empty_table().to_pandas().assign(base_count=0)
        merged = validate_frame(empty[[*columns, "base_count"]], REPOS_SUITE, directory=directory)
    return merged


def _merge(first: ValidationReport, other: ValidationReport) -> ValidationReport:
    failed = {f.label: f for f in first.failed}
    for f in other.failed:
        if f.label not in failed:
            failed[f.label] = f
            continue
        seen = failed[f.label]
        count = (seen.unexpected_count or 0) + (f.unexpected_count or 0)
        sample = list(dict.fromkeys([*seen.unexpected_sample, *f.unexpected_sample]))[:5]
        failed[f.label] = replace(seen, unexpected_count=count, unexpected_sample=sample)
    rows = first.rows + other.rows
    ordered: tuple[FailedExpectation, ...] = tuple(
        replace(f, unexpected_percent=100 * (f.unexpected_count or 0) / rows if rows else None)
        for f in failed.values()
    )
    return replace(
        first,
        success=first.success and other.success,
        failed=ordered,
        rows=rows,
        mostly={},
        gx_result=None,
    )


def _validate_summary(repos: Path, previous_rows: int | None, directory: Path | None):
    suite = load_suite(TABLE_SUITE, directory)
    rows, distinct = duckdb.sql(
        f"SELECT count(*), count(DISTINCT repo_id) FROM read_parquet('{repos.as_posix()}')"
    ).fetchall()[0]
    summary = pd.DataFrame({"rows": [rows], "duplicate_repo_ids": [rows - distinct]})
    params: dict = {}
    if previous_rows:
        low, high = suite["meta"]["row_count_band"]
        params = {"min_rows": int(low * previous_rows), "max_rows": int(high * previous_rows)}
        params["previous_rows"] = previous_rows
    return validate_frame(
        summary, TABLE_SUITE, parameters=params, directory=directory, target="hub_repos"
    )
