"""After the gate: the tables to publish (derived from the rows that passed, once only), the
publish itself, and the report of what was published."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path

import pandas as pd

from ai_landscape.pipeline.tables import VOLATILE_COLUMNS
from ai_landscape.publish.store import PublishResult, SnapshotStore
from ai_landscape.report.summary import headline_by_year, summary_by_year
from ai_landscape.resolve.events import events_of_published
from ai_landscape.resolve.merge import unlink_missing_bases

log = logging.getLogger(__name__)


def finalize(
    passed: dict[str, pd.DataFrame], removals: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Quarantined models leave the derived tables too: a variant whose base was held back
    loses its link, the yearly summary counts only published models, and a held model's
    events wait until it passes (removals always stand)."""
    models = unlink_missing_bases(passed["models"])
    return {
        **passed,
        "models": models,
        "summary_by_year": summary_by_year(models),
        "large_scale_by_year": headline_by_year(models),
        "events": pd.concat(
            [events_of_published(passed["events"], models), removals], ignore_index=True
        ),
    }


def publish_tables(
    store: SnapshotStore,
    tables: dict[str, pd.DataFrame],
    created_at: datetime,
    info: dict,
    files: dict[str, Path] | None = None,
    parent_id: str | None = None,
) -> PublishResult:
    """`files`: tables already written as parquet (the Hub census's `hub_repos`);
    `parent_id`: the snapshot this run read and computed its events against; the publish
    refuses if another has become the latest since."""
    return store.publish(
        tables,
        created_at=created_at,
        info=info,
        volatile_columns=VOLATILE_COLUMNS,
        files=files,
        expected_parent=parent_id,
    )


def draw_report(
    warehouse: str | Path, snapshot_id: str, submit: Callable[..., Future] | None = None
) -> str | None:
    """The snapshot's charts and HTML page; `submit` draws some charts in another process
    (report/build.py). A drawing failure is logged, never fails a run whose data is already
    published."""
    from ai_landscape.report.build import build_report  # matplotlib: only when drawing

    try:
        return str(build_report(warehouse, snapshot_id, submit=submit).page)
    except Exception:  # reported, and the data stays published
        log.exception("report for %s could not be drawn", snapshot_id)
        return None
