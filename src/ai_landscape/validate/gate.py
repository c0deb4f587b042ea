"""The validation gate between building a run's tables and publishing them. Pure: no Prefect.

Every suite runs; each failed expectation acts by its `meta.severity`:
- `blocking`: the run publishes nothing (exit code 1); the message names the dataset or table,
  the expectation and sample offending rows;
- `row`: the offending rows leave the table for `<warehouse>/_quarantine/<run_id>/<table>.parquet`
  with `_quarantined_by` naming the expectation(s); the rest publishes. If more than
  `max_quarantine_share` of a table would go, that is a systematic error and blocks instead;
- `warn`: reported in the summary, nothing else.

What the gate checks: each dataset's parsed records (`records_<source>.json`, else
`records.json`), `models` (`models.json` and `models_country_codes.json`), and `events` when
the run has one. Rows in = rows published + rows quarantined, for every table, always.

Dependent tables: a quarantined model's `source_records` rows are quarantined with it (they
would point at a model that is not there). `summary_by_year` is derived from models, so the
gate passes it through untouched and the CALLER recomputes it from `result.tables["models"]`;
the same holds for anything else derived from models (events, reports).
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ai_landscape import settings
from ai_landscape.fsutil import write_atomic
from ai_landscape.validate.gx_runner import load_suite, validate_frame
from ai_landscape.validate.outcome import SEVERITIES, FailedExpectation, ValidationReport

QUARANTINE = "_quarantine"
REASON_COLUMN = "_quarantined_by"
TABLE_SUITES = {
    "models": ("models", "models_country_codes"),
    "events": ("events",),
    "conflicts": ("conflicts",),
}
# table -> {dependent: key}
DEPENDENT_TABLES = {"models": {"source_records": "model_id", "conflicts": "model_id"}}
DERIVED_TABLES = ("summary_by_year",)  # recomputed by the caller after the gate
MAX_QUARANTINE_SHARE = 0.05


class GateAccountingError(RuntimeError):
    """Rows in != rows published + rows quarantined: a bug in the gate, never data."""


@dataclass
class GateResult:
    publishable: bool
    tables: dict[str, pd.DataFrame]  # rows that passed (derived tables: as given, recompute)
    quarantined: dict[str, pd.DataFrame]  # table -> quarantined rows + `_quarantined_by`
    reports: list[ValidationReport]
    blocking: list[str]  # one message per blocking failure
    warnings: list[str]
    summary: dict = field(default_factory=dict)  # JSON-safe, for the manifest's `validation`

    def describe(self) -> str:
        head = "validation passed" if self.publishable else "validation FAILED: nothing published"
        counts = ", ".join(f"{t}: {len(q)} quarantined" for t, q in self.quarantined.items())
        lines = [head + (f" ({counts})" if counts else "")]
        lines += [f"BLOCKING {m}" for m in self.blocking]
        lines += [f"warning {m}" for m in self.warnings]
        return "\n".join(lines)


def gate(
    tables: dict[str, pd.DataFrame],
    dataset_records: dict[str, pd.DataFrame],
    previous_counts: dict[str, int],
    run_id: str,
    *,
    previous_models: int | None = None,
    max_removed_share: float | None = None,
    accept_count_change: Collection[str] = (),
    today: str | None = None,
    max_quarantine_share: float = MAX_QUARANTINE_SHARE,
    directory: Path | None = None,
    record_reports: list[ValidationReport] | None = None,
    table_reports: list[ValidationReport] | None = None,
) -> GateResult:
    """`dataset_records`: parsed records per dataset key (`epoch.large_scale`); `previous_counts`:
    each key's record count in the previous snapshot (`previous_counts_from_manifest`);
    `previous_models`: the previous snapshot's model count (bounds removal events);
    `max_removed_share` overrides the events suite's share for one run, for an operator who
    has reviewed a mass change (a source renaming its organizations, say);
    `accept_count_change` names datasets whose record count may leave the row-count band in
    this run, for an operator who has reviewed the jump (a year between two exports).
    `record_reports`, `table_reports`: `validate_records`' and `validate_table_suites`' reports when
    they were made already (a run makes them in its worker process); `dataset_records` is
    then not read."""
    directory = Path(directory or settings.EXPECTATIONS_DIR)
    tables = {name: frame.reset_index(drop=True) for name, frame in tables.items()}
    if record_reports is None:
        record_reports = validate_records(
            dataset_records, previous_counts, accept_count_change, today=today, directory=directory
        )
    if table_reports is None:
        table_reports = validate_table_suites(
            tables,
            previous_models=previous_models,
            max_removed_share=max_removed_share,
            today=today,
            directory=directory,
        )
    reports = [*record_reports, *table_reports]

    failures = [(r, f) for r in reports for f in r.failed]
    blocking = [_message(r, f) for r, f in failures if _blocks(f)]
    warnings = [_message(r, f) for r, f in failures if f.severity == "warn" and not _blocks(f)]
    published, quarantined = _quarantine(tables, reports)
    for table, rows in quarantined.items():
        total = len(tables[table])
        if table in TABLE_SUITES and len(rows) > max_quarantine_share * total:
            blocking.append(
                f"{table}: {len(rows)} of {total} rows would be quarantined "
                f"({100 * len(rows) / total:.1f}%), above the {100 * max_quarantine_share:g}% "
                "limit: a systematic error, not a few bad rows"
            )
    _check_accounting(tables, published, quarantined)
    result = GateResult(not blocking, published, quarantined, reports, blocking, warnings)
    result.summary = _summary(run_id, result, tables)
    return result


def validate_records(
    dataset_records: dict[str, pd.DataFrame],
    previous_counts: dict[str, int],
    accept_count_change: Collection[str] = (),
    *,
    today: str | None = None,
    directory: Path | None = None,
) -> list[ValidationReport]:
    """Each dataset's records against its source's suite (the gate's first part). They are
    known once ingest ends, before the tables are built, so a run checks them meanwhile."""
    directory = Path(directory or settings.EXPECTATIONS_DIR)
    extra = {"today": today} if today else {}
    return [
        _validate_records(
            key,
            frame,
            None if key in accept_count_change else previous_counts.get(key),
            directory,
            extra,
        )
        for key, frame in sorted(dataset_records.items())
    ]


def validate_table_suites(
    tables: dict[str, pd.DataFrame],
    *,
    previous_models: int | None = None,
    max_removed_share: float | None = None,
    today: str | None = None,
    directory: Path | None = None,
) -> list[ValidationReport]:
    """The TABLE_SUITES over those of `tables` that have suites (the gate's second part; the
    gate's arguments of the same names). Row labels in the reports are positions, as the gate
    numbers the tables."""
    directory = Path(directory or settings.EXPECTATIONS_DIR)
    extra = {"today": today} if today else {}
    reports = []
    for table, suites in TABLE_SUITES.items():
        if table not in tables:
            continue
        params = dict(extra)
        if table == "events":
            share = max_removed_share
            if share is None:
                share = load_suite("events", directory)["meta"]["max_removed_share"]
            params["max_removed"] = (
                None if previous_models is None else math.floor(share * previous_models)
            )
        frame = tables[table].reset_index(drop=True)
        reports += [
            validate_frame(frame, s, parameters=params, directory=directory, target=table)
            for s in suites
        ]
    return reports


def previous_counts_from_manifest(manifest: dict | None) -> dict[str, int]:
    """Record count per dataset of a snapshot whose source was read (ok or carried over)."""
    sources = (manifest or {}).get("sources", {})
    return {
        key: int(info["records"])
        for key, info in sources.items()
        if info.get("status") in ("ok", "stale") and info.get("records") is not None
    }


def write_quarantine(
    warehouse: str | os.PathLike, run_id: str, quarantined: dict[str, pd.DataFrame]
) -> dict[str, str]:
    """`<warehouse>/_quarantine/<run_id>/<table>.parquet` per table with quarantined rows, each
    written whole or not at all; returns table -> path relative to the warehouse."""
    paths = {}
    for table, frame in sorted(quarantined.items()):
        if frame.empty:
            continue
        folder = Path(warehouse) / QUARANTINE / run_id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{table}.parquet"
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
        write_atomic(target, sink.getvalue().to_pybytes())
        paths[table] = target.relative_to(Path(warehouse)).as_posix()
    return paths


# --- internals --------------------------------------------------------------------------------


def _validate_records(
    key: str, frame: pd.DataFrame, previous: int | None, directory: Path, extra: dict
) -> ValidationReport:
    source = key.split(".", 1)[0]
    suite = f"records_{source}" if (directory / f"records_{source}.json").is_file() else "records"
    params = dict(extra)
    if previous is not None:
        low, high = load_suite(suite, directory)["meta"]["row_count_band"]
        params.update(
            min_rows=math.ceil(low * previous),
            max_rows=math.floor(high * previous),
            previous_rows=previous,
        )
    return validate_frame(
        frame, suite, parameters=params, directory=directory, target=f"{key} records"
    )


def _blocks(failed: FailedExpectation) -> bool:
    """Blocking by severity, and also whatever the gate cannot act on: an expectation GX could
    not evaluate, a severity it does not know, a row-level failure that names no rows."""
    if failed.severity == "row":
        return failed.error is not None or not failed.rows
    return failed.severity != "warn" or failed.error is not None


def _message(report: ValidationReport, failed: FailedExpectation) -> str:
    text = f"{report.target}: {report.suite}.{failed.label}: {failed.describe()}"
    previous = report.parameters.get("previous_rows")
    if failed.expectation == "expect_table_row_count_to_be_between" and previous is not None:
        text += f" (previous run: {previous} records)"
    if failed.severity not in SEVERITIES:
        text += f" [unknown severity {failed.severity!r} treated as blocking]"
    elif failed.severity == "row" and _blocks(failed):
        text += " [row-level, but no offending rows to quarantine: treated as blocking]"
    return text + (f" - {failed.why}" if failed.why else "")


def _quarantine(
    tables: dict[str, pd.DataFrame], reports: list[ValidationReport]
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Split each table into published rows and quarantined rows (+ dependent tables' rows)."""
    reasons: dict[str, dict[int, list[str]]] = {}
    for report in reports:
        for failed in report.by_severity("row"):
            if _blocks(failed):
                continue
            if report.target not in tables:
                raise ValueError(
                    f"suite {report.suite}: row-level expectation {failed.label} on "
                    f"{report.target!r}, which is not a published table"
                )
            rows = reasons.setdefault(report.target, {})
            for label in dict.fromkeys(failed.rows):
                rows.setdefault(int(label), []).append(f"{report.suite}.{failed.label}")
    published = dict(tables)
    quarantined: dict[str, pd.DataFrame] = {}
    for table, rows in reasons.items():
        frame = tables[table]
        labels = sorted(rows)
        out = frame.loc[labels].assign(**{REASON_COLUMN: ["; ".join(rows[i]) for i in labels]})
        quarantined[table] = out
        published[table] = frame.drop(index=labels).reset_index(drop=True)
        for dependent, key in DEPENDENT_TABLES.get(table, {}).items():
            if dependent not in tables:
                continue
            why = dict(
                zip(out[key], f"{table} row quarantined: " + out[REASON_COLUMN], strict=True)
            )
            linked = tables[dependent][key].isin(why.keys())
            quarantined[dependent] = tables[dependent][linked].assign(
                **{REASON_COLUMN: tables[dependent].loc[linked, key].map(why)}
            )
            published[dependent] = tables[dependent][~linked].reset_index(drop=True)
    return published, quarantined


def _check_accounting(tables, published, quarantined) -> None:
    for name, frame in tables.items():
        out = len(published[name]) + len(quarantined.get(name, ()))
        if out != len(frame):
            raise GateAccountingError(
                f"{name}: {len(frame)} rows in, {len(published[name])} published + "
                f"{len(quarantined.get(name, ()))} quarantined"
            )


def _summary(run_id: str, result: GateResult, tables: dict[str, pd.DataFrame]) -> dict:
    rows = {
        name: {
            "in": len(frame),
            "published": len(result.tables[name]),
            "quarantined": len(result.quarantined.get(name, ())),
        }
        for name, frame in tables.items()
        if name not in DERIVED_TABLES
    }
    reports = {}
    for r in result.reports:
        key = r.suite if r.target in TABLE_SUITES else f"{r.suite}:{r.target.split()[0]}"
        reports[key] = r.to_dict()
    return {
        "run_id": run_id,
        "publishable": result.publishable,
        "blocking": list(result.blocking),
        "warnings": list(result.warnings),
        "rows": rows,
        "reports": reports,
    }
