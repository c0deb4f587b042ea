"""Re-validate a published snapshot against the current suites.

Suites change after snapshots are published; this answers "would today's gate let this
snapshot through unchanged?". The snapshot's tables go through the same `gate` as a run:
`models` (and `events` when the snapshot has one), and each dataset's parsed records, rebuilt
from `source_records` (every record is kept there whole, as JSON, with its position). Record
counts are compared with the parent snapshot's, as the run that published it did.
"""

from __future__ import annotations

import json

import pandas as pd

from ai_landscape.publish.store import SnapshotNotFound, SnapshotStore
from ai_landscape.validate.gate import GateResult, gate, previous_counts_from_manifest

VALIDATED_TABLES = ("models", "source_records", "events")


def recheck_snapshot(
    store: SnapshotStore, snapshot_id: str, *, today: str | None = None
) -> GateResult:
    """The gate's verdict on a published snapshot (`snapshot_id` as `store.resolve` gives)."""
    manifest = store.manifest(snapshot_id)
    tables = {
        name: store.read_table(name, snapshot_id)
        for name in VALIDATED_TABLES
        if name in manifest["tables"]
    }
    parent = _parent_manifest(store, manifest)
    return gate(
        tables,
        records_by_dataset(tables.get("source_records")),
        previous_counts_from_manifest(parent),
        f"validate-{snapshot_id}",
        previous_models=(parent or {}).get("tables", {}).get("models", {}).get("rows"),
        today=today,
    )


def records_by_dataset(source_records: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Each dataset's parsed records as parse gave them (`_row` first, every field as parsed),
    rebuilt from the JSON that `source_records` keeps of each record."""
    if source_records is None or source_records.empty:
        return {}
    out = {}
    for (source, dataset), group in source_records.groupby(["source", "dataset"], sort=True):
        fields = pd.DataFrame.from_records([json.loads(r) for r in group["record"]])
        fields.insert(0, "_row", group["row"].to_numpy())
        out[f"{source}.{dataset}"] = fields
    return out


def _parent_manifest(store: SnapshotStore, manifest: dict) -> dict | None:
    parent = manifest.get("parent_id")
    if not parent:
        return None
    try:
        return store.manifest(parent)
    except (SnapshotNotFound, OSError):
        return None
