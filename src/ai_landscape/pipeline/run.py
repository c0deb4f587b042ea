"""One refresh's state and outcome, kept apart from Prefect so the flow only wires stages.

`Run` reads the previous snapshot, records what each stage returned into the `RunSummary`,
and says when the run must stop (`stop_reason`). The flow raises `RunFailed` with that
reason so Prefect marks the run Failed, with the summary attached.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ai_landscape import __version__
from ai_landscape.http.client import HttpClient, make_client
from ai_landscape.normalize.reference import normalization_report
from ai_landscape.pipeline.census import steps as census
from ai_landscape.pipeline.census.build import LINEAGE_MODEL_COLUMNS
from ai_landscape.pipeline.checks import check_records, finish_data_docs, release_records
from ai_landscape.pipeline.early import run_worker
from ai_landscape.pipeline.frozen import frozen_before
from ai_landscape.pipeline.ingest import DatasetResult, failure_reason
from ai_landscape.pipeline.review import accepted_count_changes
from ai_landscape.pipeline.selection import DatasetRequest, select_datasets, skip_reasons
from ai_landscape.pipeline.worker import sender, worker_result
from ai_landscape.publish.store import PublishResult
from ai_landscape.publish.warehouse import Warehouse, open_warehouse
from ai_landscape.report.run_figures import figure_lines, run_figures
from ai_landscape.resolve.events import quarantine_removals
from ai_landscape.validate.docs import drawn_pages
from ai_landscape.validate.fieldlimits import hold_overlong, write_held

log = logging.getLogger(__name__)


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
    fidelity: dict = field(default_factory=dict)  # report/run_figures.py

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
        lines += [f"- {line}" for line in figure_lines(self.fidelity)]
        if self.report:
            lines.append(f"- report: `{self.report}`")
        lines += [f"- error: {e}" for e in self.errors]
        return "\n".join(lines)


class RunFailed(RuntimeError):
    def __init__(self, summary: RunSummary, why: str):
        super().__init__(f"{why}: " + "; ".join(summary.errors))
        self.summary = summary
        self.why = why


class Run:
    """A refresh from the previous snapshot to the next; one per flow run."""

    def __init__(
        self,
        mode: str,
        sources: Sequence[str] | None,
        source_urls: Mapping[str, str] | None,
        warehouse: str | None,
        max_removed_share: float | None = None,
    ):
        self.max_removed_share = max_removed_share
        self.accept_count_change: Sequence[str] | None = None
        self.accepted: dict[str, dict] = {}
        self.multi_catalogue: dict = {}
        requests = select_datasets(sources, source_urls, mode)
        # The Hub census never goes through `ingest`: it streams to parquet (pipeline/census).
        self.census_requests, self.requests = census.split_census(requests)
        self.census_files: dict[str, Path] = {}
        # census key -> its file's checks under way in the worker, and the job they are
        self.census_checks: dict[str, tuple[Future, tuple]] = {}
        self.warehouse: Warehouse = open_warehouse(warehouse)
        self.worker = run_worker()  # the run's second process (pipeline/worker.py)
        self.client: HttpClient = make_client(mode, self.warehouse.work)
        self.summary = RunSummary(status="failed", mode=mode, warehouse=str(self.warehouse.root))
        self.started = datetime.now(UTC)
        self.run_id = f"{self.started:%Y%m%dT%H%M%SZ}"
        self.previous_id: str | None = None
        self.previous_manifest: dict | None = None
        self.previous: dict[str, pd.DataFrame] = {}
        self.held = pd.DataFrame()
        self.checked = None  # the gate's result, until its Data Docs are finished
        self.pages_drawn: Future | None = None

    def accept(self, count_change: Sequence[str] | None, *, stop_at: float) -> None:
        """An operator's reviewed record-count jumps for this run, and the time by which every
        fetch must have ended (the run's deadline)."""
        self.accept_count_change = count_change
        self.client.stop_at = stop_at

    def check_records(self) -> Future | None:
        """The records sent to the worker, to be checked while this process resolves
        (pipeline/checks.py); None when they are left to the gate."""
        limits = self.review_limits()
        return check_records(self.results, self.previous_manifest, limits[1], self.worker.submit)

    def validate_arguments(
        self, tables: dict[str, pd.DataFrame], records_checked: Future | None
    ) -> tuple:
        """What `checks.validate_tables` takes: the built tables, the ingest's results, the
        previous manifest, where to write, the reviewed limits, the records' check, the worker."""
        return (
            tables,
            self.results,
            self.previous_manifest,
            self.run_id,
            self.warehouse.work,
            *self.review_limits(),
            records_checked,
            self.worker.submit,
        )

    def publish_arguments(self, tables: dict[str, pd.DataFrame]) -> tuple:
        """What `finalize.publish_tables` takes: the store, the tables, when, the manifest's
        other entries, the files written apart (census), and the parent this run read."""
        info = self.manifest_info()
        return self.warehouse.store, tables, self.started, info, self.census_files, self.previous_id

    def read_previous(self) -> None:
        """Under the warehouse slot: the snapshot this run's changes are measured against."""
        store = self.warehouse.store
        self.previous_id = store.latest_id()
        self.previous_manifest = store.manifest(self.previous_id) if self.previous_id else None

    def previous_info(self, request: DatasetRequest) -> dict | None:
        """The dataset's entry in the previous manifest (its bytes are the stale fallback)."""
        return (self.previous_manifest or {}).get("sources", {}).get(request.key)

    def previous_tables(self) -> dict[str, pd.DataFrame]:
        """The previous snapshot's `models` and `source_records`, for resolution. The run keeps
        `models` (quarantine_removals reads it after the gate); `source_records` only serves
        resolution's sticky ids, so it is handed out once and not held after (#17)."""
        if not self.previous_id:
            return {}
        store = self.warehouse.store
        if "models" not in self.previous:
            self.previous["models"] = store.read_table("models", self.previous_id)
        return {
            **self.previous,
            "source_records": store.read_table("source_records", self.previous_id),
        }

    def quarantine_removals(self, checked) -> pd.DataFrame:
        """`model_removed` events for published models that validation now holds back."""
        return quarantine_removals(
            self.previous.get("models"),
            checked.quarantined.get("models"),
            detected_at=self.started,
            run_id=self.run_id,
        )

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage, with what existed before it kept out of the garbage collector's way
        (pipeline/frozen.py)."""
        t0 = time.perf_counter()
        with frozen_before():
            yield
        self.summary.seconds[name] = time.perf_counter() - t0

    def discard_census_work(self) -> None:
        """The census's run folder goes when the run stops (its raw pages and cursor stay)."""
        for outcome in getattr(self, "censuses", []):
            if outcome.workdir is not None:
                shutil.rmtree(outcome.workdir, ignore_errors=True)

    def previous_repos(self) -> Path | None:
        """The previous census (`hub_repos`) as a local file, when this run takes a census."""
        if not self.census_requests:
            return None
        return census.previous_repos(self.warehouse.store, self.previous_id, self.warehouse.work)

    def record_ingest(
        self, results: list[DatasetResult], censuses: list[census.CensusOutcome]
    ) -> str | None:
        """The reason to stop, when a dataset failed with no earlier copy to carry over."""
        self.results, self.censuses = results, censuses
        self.summary.sources = {
            key: {"status": "skipped", "reason": reason}
            for key, reason in skip_reasons(self.requests, self.summary.mode).items()
        }
        self.summary.sources.update({r.request.key: r.info for r in [*results, *censuses]})
        self.summary.errors = [r.error for r in [*results, *censuses] if r.error]
        if any(r.status == "failed" for r in [*results, *censuses]):
            return failure_reason([*results, *censuses])
        for r in results:
            if r.status == "stale":
                log.warning("%s: carried over from %s (stale)", r.error, r.info["stale_since"])
        self.held = hold_overlong(results)  # before resolution: an overlong name is a held row
        return None

    def record_validation(self, checked) -> str | None:
        """The reason to stop, when the gate blocks (`checked`: validate.gate.GateResult)."""
        release_records(self.results)  # checked; `source_records` holds them from here (#17)
        self.checked = checked  # for the Data Docs' pages (finish_docs)
        self.summary.validation = checked.summary
        self.summary.validation["field_limits"] = write_held(
            self.warehouse.work, self.run_id, self.held
        )
        if not checked.publishable:
            self.summary.errors = [f"validation failed: {m}" for m in checked.blocking]
            return "validation failed; nothing published"
        for message in checked.warnings:
            log.warning("validation: %s", message)
        return None

    def check_census_file(self, outcome: census.CensusOutcome) -> None:
        """Sends the census file's checks to the worker as soon as the census is written: at
        publish, only the lineage's are left (the replay's: 0.3 s of publish's 1.2)."""
        if outcome.repos_path is not None:
            job = (census.census_file_checks, outcome, self.previous_manifest)
            self.census_checks[outcome.request.key] = (self.worker.submit(*job), job)

    def send_publish_work(self, tables: dict[str, pd.DataFrame]) -> list[tuple]:
        """What the worker does while this process publishes: each census's `hub_lineage`
        against the published models and the census's own validation (where GX is imported
        already, pipeline/checks.py; `add_census` takes their answers), then the Data Docs
        pages of its checks (`finish_docs` writes them)."""
        sent = []
        for outcome in self.censuses:
            checked_file = None
            if outcome.request.key in self.census_checks:
                future, job = self.census_checks[outcome.request.key]
                checked_file = worker_result(future, *job)
            models = tables["models"][LINEAGE_MODEL_COLUMNS]  # a fifth of its bytes
            job = (census.census_tables, outcome, models, self.previous_manifest, checked_file)
            send = sender(self.worker.submit, [tables["models"]])
            sent.append((outcome, send(*job), job))
        self.pages_drawn = self.worker.submit(drawn_pages)
        return sent

    def finish_docs(self) -> None:
        """The Data Docs with GX's pages of the checks the worker made (`send_publish_work`),
        once the run is published or has stopped after the gate."""
        if self.checked is not None:
            work, drawn, self.pages_drawn = self.warehouse.work, self.pages_drawn, None
            finish_data_docs(work, self.run_id, self.checked, drawn, self.worker.submit)
            self.checked = None

    def add_census(self, sent: list[tuple], tables: dict[str, pd.DataFrame]) -> str | None:
        """The census answers of `send_publish_work` into `tables` and the summary; the reason
        to stop when the census's validation blocks. `hub_repos` is published from its file."""
        for outcome, future, job in sent:
            lineage, checked = worker_result(future, *job)
            self.summary.validation["census"] = checked.summary()
            if not checked.publishable:
                self.summary.errors = [f"validation failed: {m}" for m in checked.blocking]
                return "census validation failed; nothing published"
            tables["hub_lineage"] = lineage
            self.census_files["hub_repos"] = outcome.repos_path
            self.summary.rows.update(hub_repos=outcome.rows, hub_lineage=len(lineage))
        return None

    def review_limits(self) -> tuple[float | None, tuple[str, ...]]:
        """The limits an operator lifted for this run after review: the share of models that
        may disappear, and the datasets whose record counts may jump."""
        self.accepted = accepted_count_changes(
            self.accept_count_change, self.results, self.previous_manifest
        )
        return self.max_removed_share, tuple(self.accepted)

    def record_tables(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        self.summary.rows = {name: len(frame) for name, frame in tables.items()}
        self.multi_catalogue = tables["models"].attrs.get("multi_catalogue", self.multi_catalogue)
        return tables

    def record_figures(self, tables: dict[str, pd.DataFrame]) -> None:
        """The published models' figures and the normalization report, for the manifest and
        the summary (a run computes them while its worker builds the census's lineage)."""
        self.summary.fidelity = run_figures(
            tables["models"], self.multi_catalogue, self.summary.sources
        )
        self.summary.normalization = normalization_report(
            pd.concat([r.candidates for r in self.results], ignore_index=True)
        )

    def manifest_info(self) -> dict:
        """What the manifest says of the run beside its tables (plain JSON), once
        `record_figures` and `add_census` are done."""
        info = {
            "normalization": self.summary.normalization,
            "mode": self.summary.mode,
            "code_version": __version__,
            "sources": self.summary.sources,
            "validation": self.summary.validation,
            "fidelity": self.summary.fidelity,
            "review": {
                "max_removed_share": self.max_removed_share,
                "accept_count_change": self.accepted,
            },
        }
        return json.loads(json.dumps(info, default=str))

    def record_publish(self, published: PublishResult, events: pd.DataFrame) -> bool:
        """True when the report is to be drawn: the warehouse is local and a new snapshot was
        written, or the latest one's report was never finished (a crash interrupted it)."""
        self.finish_docs()  # drawn by the worker while this process published
        for outcome in self.censuses:
            outcome.finish()  # the next census starts from the first page
        summary = self.summary
        summary.status = "unchanged" if published.unchanged else "published"
        summary.snapshot_id = published.snapshot_id
        summary.latest_id = published.latest_id
        summary.changes = {
            event_type: sorted(group["model_id"])
            for event_type, group in events.groupby("event_type")
        }
        log.info(
            "%s: latest snapshot %s in %s", summary.status, summary.latest_id, summary.warehouse
        )
        if not self.warehouse.is_local:
            return False
        from ai_landscape.report.build import has_report  # matplotlib: only when drawing

        return not published.unchanged or not has_report(self.warehouse.root, summary.latest_id)
