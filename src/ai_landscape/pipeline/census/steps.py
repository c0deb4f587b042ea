"""The census's steps in a refresh run (tasks.py makes `census_dataset` a Prefect task).

`census_dataset` runs beside the other datasets' ingest tasks. On a Dask task runner it hands
its chunks of pages to the same cluster (`worker_client`), so parsing and normalizing spread
over the workers while it keeps fetching. A census that fails carries over the previous
snapshot's `hub_repos` marked stale, as a failing dataset carries over its records.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ai_landscape.http.client import FetchError, HttpClient
from ai_landscape.pipeline.census.build import build_lineage
from ai_landscape.pipeline.census.run import CensusEmpty, CensusWorkerDied, Submit, run_census
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.publish.store import SnapshotStore, part_key
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.huggingface.census_constants import KEY
from ai_landscape.sources.huggingface.census_fetch import CensusCursor
from ai_landscape.validate.census import (
    CensusValidation,
    validate_census,
    validate_census_file,
)

CENSUS_DIR = "_census"


@dataclass
class CensusOutcome:
    request: DatasetRequest
    status: str  # ok | stale | failed
    info: dict = field(default_factory=dict)
    repos_path: Path | None = None
    rows: int = 0
    cursor: CensusCursor | None = None
    error: str | None = None
    workdir: Path | None = None

    def finish(self) -> None:
        """After the snapshot is committed (or found unchanged): the next census starts from
        the first page, and this one's work folder goes."""
        if self.cursor is not None:
            self.cursor.finish()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def split_census(requests: list[DatasetRequest]) -> tuple[list, list]:
    """(census requests, the others): the census never goes through `ingest`."""
    return [r for r in requests if r.key == KEY], [r for r in requests if r.key != KEY]


def previous_repos(store: SnapshotStore, previous_id: str | None, work: Path) -> Path | None:
    """The previous snapshot's `hub_repos` part as a local file (copied from an object store)."""
    if not previous_id or "hub_repos" not in store.manifest(previous_id)["tables"]:
        return None
    if isinstance(store.root, Path) and not hasattr(store, "fs"):
        return store.table_path("hub_repos", previous_id)
    local = work / CENSUS_DIR / "previous_hub_repos.parquet"
    local.parent.mkdir(parents=True, exist_ok=True)
    source = store.key(part_key("hub_repos", previous_id))  # type: ignore[attr-defined]
    pafs.copy_files(source, str(local), source_filesystem=store.fs)  # type: ignore[attr-defined]
    return local


@contextlib.contextmanager
def chunk_submitter() -> Iterator[Submit | None]:
    """Dask's client when this task runs on a Dask worker; else None (the run's worker).

    A Dask worker has imported `distributed` already; asking it when it is not loaded would
    import it (2-4 s, 0.4-0.7 s of CPU, inside every local run's census, #17) to learn no."""
    if "distributed" not in sys.modules:
        yield None
        return
    try:
        from distributed import get_worker, worker_client

        get_worker()
    except (ImportError, ValueError):
        yield None
        return
    with worker_client() as client:
        yield lambda fn, *args: client.submit(fn, *args, pure=False)


def census_dataset(
    request: DatasetRequest,
    client: HttpClient,
    work: Path,
    previous: Path | None,
    seen_at: datetime,
    submit: Submit | None = None,
) -> CensusOutcome:
    """Failures come back in the outcome, as `ingest_source`'s do. `submit` runs the chunks
    (the run's worker process); on a Dask worker they go to the cluster instead."""
    runs = work / CENSUS_DIR / "runs"
    shutil.rmtree(runs, ignore_errors=True)  # what a failed run left (one run at a time)
    workdir = runs / f"{seen_at:%Y%m%dT%H%M%S%fZ}"
    try:
        with chunk_submitter() as on_dask:
            build = run_census(
                client,
                request.url,
                work,
                workdir,
                seen_at=seen_at,
                previous=previous,
                submit=on_dask or submit,
            )
    except (FetchError, SourceSchemaError, CensusEmpty, CensusWorkerDied) as exc:
        error = f"{request.key}: {exc}"
        info = {"status": "failed", "url": request.url, "error": str(exc)}
        if previous is None:
            return CensusOutcome(request, "failed", info, error=error)
        workdir.mkdir(parents=True, exist_ok=True)
        carried = workdir / "hub_repos.parquet"
        shutil.copyfile(previous, carried)
        info["status"] = "stale"
        rows = pq.ParquetFile(carried).metadata.num_rows
        return CensusOutcome(request, "stale", info, carried, rows, error=error, workdir=workdir)
    return CensusOutcome(
        request, "ok", build.info(), build.repos_path, build.rows, build.cursor, workdir=workdir
    )


def census_file_checks(outcome: CensusOutcome, previous_manifest: dict | None) -> list:
    """The census file's own validation (validate.census.validate_census_file): a run sends it
    to its worker once the census is written, well before the models are final (#17)."""
    assert outcome.repos_path is not None
    return validate_census_file(outcome.repos_path, _previous_rows(previous_manifest))


def census_tables(
    outcome: CensusOutcome,
    models: pd.DataFrame,
    previous_manifest: dict | None,
    file_reports: list | None = None,
) -> tuple[pd.DataFrame, CensusValidation]:
    """`hub_lineage` against the published models, and the census's validation;
    `file_reports`: `census_file_checks`' answer, if the run has it already."""
    assert outcome.repos_path is not None
    lineage = build_lineage(outcome.repos_path, models)
    previous = _previous_rows(previous_manifest)
    return lineage, validate_census(
        outcome.repos_path, lineage, previous, file_reports=file_reports
    )


def _previous_rows(previous_manifest: dict | None) -> int | None:
    return (previous_manifest or {}).get("tables", {}).get("hub_repos", {}).get("rows")
