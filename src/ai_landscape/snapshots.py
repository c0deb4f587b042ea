"""Read published snapshots from Python without knowing the warehouse layout.

Analysts and notebooks should not depend on where parts live or how ids are spelled: these
functions resolve `latest`, an id, an id prefix or a date, and read only committed snapshots
(those with a manifest), never the leftovers of a publish that crashed.
"""

from __future__ import annotations

import os

import pandas as pd

from ai_landscape.publish.store import SnapshotNotFound, SnapshotStore, TableNotFound
from ai_landscape.publish.warehouse import open_store

__all__ = ["SnapshotNotFound", "TableNotFound", "list_snapshots", "read"]


def _store(warehouse: str | os.PathLike | None) -> SnapshotStore:
    # Resolved at call time, not import time, so LANDSCAPE_WAREHOUSE set later still counts.
    return open_store(warehouse)


def read(
    table: str, warehouse: str | os.PathLike | None = None, snapshot: str = "latest"
) -> pd.DataFrame:
    """One table of one snapshot; `snapshot` takes `latest`, an id, a unique prefix or a date.

    A date (`YYYY-MM-DD`, UTC) means the last snapshot of that day, so "the data as of
    that day" needs no id lookup first.
    """
    return _store(warehouse).read_table(table, snapshot)


def list_snapshots(warehouse: str | os.PathLike | None = None) -> list[dict]:
    """The manifests, oldest first: what each run saw, from which sources, and whether it
    validated, so a reader can choose a snapshot before reading it."""
    return _store(warehouse).list_snapshots()
