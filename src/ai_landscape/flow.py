"""The refresh flow: fetch → parse → normalize → resolve → validate → publish.

It only wires tasks and decides what a run's outcome is; the stages live in their modules.
A failed run raises `RunFailed` so Prefect marks it Failed; the summary travels with it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from ai_landscape import __version__
from ai_landscape.config import default_warehouse
from ai_landscape.http.client import make_client
from ai_landscape.ingest import failure_reason
from ai_landscape.normalize.reference import normalization_report
from ai_landscape.ops.concurrency import warehouse_slot
from ai_landscape.ops.notify import notify_failure
from ai_landscape.publish.filesystem import local_workdir
from ai_landscape.publish.store import SnapshotStore, is_object_url
from ai_landscape.report.summary import headline_by_year, summary_by_year
from ai_landscape.resolve.events import events_of_published
from ai_landscape.resolve.merge import unlink_missing_bases
from ai_landscape.selection import select_datasets, skip_reasons
from ai_landscape.tasks import (
    build_tables,
    draw_report,
    ingest_dataset,
    publish_snapshot,
    validate_tables,
)


@dataclass
class RunSummary:
    status: str  # published | unchanged | failed (a stale source still publishes)
    mode: str
    warehouse: str
    snapshot_id: str | None = None
    latest_id: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    validation: dict | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    normalization: dict = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)  # event type -> model ids
    report: str | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "failed" else 0

    def to_dict(self) -> dict:
        return asdict(self)

    def markdown(self) -> str:
        lines = [f"## Landscape refresh: {self.status}", ""]
        lines += [f"- snapshot: `{self.snapshot_id or self.latest_id}`", f"- mode: {self.mode}"]
        lines += [f"- {table}: {n} rows" for table, n in self.rows.items()]
        lines += [f"- {key}: {info.get('status')}" for key, info in self.sources.items()]
        for event_type, ids in self.changes.items():
            shown = ", ".join(f"`{i}`" for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
            lines.append(f"- {event_type}: {len(ids)} ({shown})")
        if self.report:
            lines.append(f"- report: `{self.report}`")
        lines += [f"- error: {e}" for e in self.errors]
        return "\n".join(lines)


class RunFailed(RuntimeError):
    def __init__(self, summary: RunSummary, why: str):
        super().__init__(f"{why}: " + "; ".join(summary.errors))
        self.summary = summary
        self.why = why


@flow(name="refresh-landscape", on_failure=[notify_failure])
def refresh_landscape(
    mode: str = "live",
    sources: Sequence[str] | None = None,
    source_urls: Mapping[str, str] | None = None,
    warehouse: str | None = None,
    max_removed_share: float | None = None,
) -> RunSummary:
    """`max_removed_share` raises the events suite's limit on models removed in one run (10%)
    for this run only, after an operator has reviewed the removals."""
    log = get_run_logger()
    requests = select_datasets(sources, source_urls, mode)
    # A path, or an object-store URL (s3://bucket/prefix) kept as a string; what is still
    # local-only (raw zone, HTTP validators, Data Docs, quarantine) goes to `work`.
    url = warehouse if warehouse and is_object_url(warehouse) else None
    root = url or Path(warehouse or default_warehouse())
    work = local_workdir(root)
    store = SnapshotStore(root)
    summary = RunSummary(status="failed", mode=mode, warehouse=str(root))
    client = make_client(mode, work)

    # One run per warehouse, from reading the latest snapshot to committing the next.
    with warehouse_slot(root):
        started = datetime.now(UTC)
        previous_id = store.latest_id()
        previous_manifest = store.manifest(previous_id) if previous_id else None
        previous_sources = previous_manifest["sources"] if previous_manifest else {}
        run_id = f"{started:%Y%m%dT%H%M%SZ}"

        t0 = time.perf_counter()
        futures = [
            ingest_dataset.submit(r, client, work, previous_sources.get(r.key)) for r in requests
        ]
        results = [f.result() for f in futures]
        summary.seconds["fetch_parse_normalize"] = time.perf_counter() - t0
        summary.sources = {
            key: {"status": "skipped", "reason": reason}
            for key, reason in skip_reasons(requests, mode).items()
        }
        summary.sources.update({r.request.key: r.info for r in results})
        summary.errors = [r.error for r in results if r.error]
        failed = [r.request.key for r in results if r.status == "failed"]
        if failed:
            raise _failed(summary, failure_reason(results))
        for r in results:
            if r.status == "stale":
                log.warning("%s: carried over from %s (stale)", r.error, r.info["stale_since"])

        t0 = time.perf_counter()
        previous = {
            table: store.read_table(table, previous_id)
            for table in ("models", "source_records")
            if previous_id
        }
        tables = build_tables(results, previous, previous_id, started)
        summary.rows = {name: len(frame) for name, frame in tables.items()}
        summary.seconds["resolve"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        checked = validate_tables(
            tables, results, previous_manifest, run_id, work, max_removed_share
        )
        summary.validation = checked.summary
        summary.seconds["validate"] = time.perf_counter() - t0
        if not checked.publishable:
            summary.errors = [f"validation failed: {message}" for message in checked.blocking]
            raise _failed(summary, "validation failed; nothing published")
        for message in checked.warnings:
            log.warning("validation: %s", message)
        # Quarantined models leave the derived tables too.
        passed = unlink_missing_bases(checked.tables["models"])
        tables = {
            **checked.tables,
            "models": passed,
            "summary_by_year": summary_by_year(passed),
            "large_scale_by_year": headline_by_year(passed),
            "events": events_of_published(tables["events"], passed),
        }
        summary.rows = {name: len(frame) for name, frame in tables.items()}

        t0 = time.perf_counter()
        summary.normalization = normalization_report(
            pd.concat([r.candidates for r in results], ignore_index=True)
        )
        info = {
            "normalization": summary.normalization,
            "mode": mode,
            "code_version": __version__,
            "sources": summary.sources,
            "validation": summary.validation,
        }
        published = publish_snapshot(root, tables, started, info)
        summary.seconds["publish"] = time.perf_counter() - t0
        summary.status = "unchanged" if published.unchanged else "published"
        summary.snapshot_id = published.snapshot_id
        summary.latest_id = published.latest_id
        summary.changes = {
            event_type: sorted(group["model_id"])
            for event_type, group in tables["events"].groupby("event_type")
        }
        log.info("%s: latest snapshot %s in %s", summary.status, summary.latest_id, root)
        if not published.unchanged and not isinstance(root, str):
            t0 = time.perf_counter()
            summary.report = draw_report(root, published.snapshot_id)
            summary.seconds["report"] = time.perf_counter() - t0
        create_markdown_artifact(summary.markdown(), key="landscape-refresh")
        return summary


def _failed(summary: RunSummary, why: str) -> RunFailed:
    log = get_run_logger()
    for error in summary.errors:
        log.error(error)
    create_markdown_artifact(summary.markdown(), key="landscape-refresh")
    return RunFailed(summary, why)
