"""`landscape validate`: re-validate a published snapshot against the current suites.

Suites change after snapshots are published; this answers "would today's gate let this
snapshot through unchanged?". The snapshot's tables go through the same `gate` as a run:
`models` (and `events` when the snapshot has one), and each dataset's parsed records, rebuilt
from `source_records` (every record is kept there whole, as JSON, with its position). Record
counts are compared with the parent snapshot's, as the run that published it did.

Exit codes: 0 the snapshot passes as it is; 1 a blocking failure, or rows the gate would now
quarantine (the snapshot holds rows today's suites reject), or a part whose bytes differ from
the manifest's sha256 (named); 2 no such snapshot. Warnings
never change the exit code.
"""

from __future__ import annotations

import json
import os

import pandas as pd

from ai_landscape.config import default_warehouse
from ai_landscape.publish.integrity import snapshot_problems
from ai_landscape.publish.store import SnapshotNotFound, SnapshotStore
from ai_landscape.validate.gate import gate, previous_counts_from_manifest

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
VALIDATED_TABLES = ("models", "source_records", "events")


def validate_snapshot(
    snapshot: str = "latest",
    warehouse: str | os.PathLike | None = None,
    *,
    today: str | None = None,
) -> tuple[int, str]:
    """(exit code, text to print) for `landscape validate --snapshot ID --warehouse PATH`."""
    store = SnapshotStore(warehouse or default_warehouse())
    try:
        snapshot_id = store.resolve(snapshot)
    except SnapshotNotFound as exc:
        return EXIT_USAGE, f"error: {exc}"
    problems = snapshot_problems(store, snapshot_id)
    if problems:
        # A part that is not what was published cannot be validated as that snapshot.
        return EXIT_FAILED, "\n".join(
            [f"snapshot {snapshot_id} FAILS its integrity check:", *(f"  {p}" for p in problems)]
        )
    manifest = store.manifest(snapshot_id)
    tables = {
        name: store.read_table(name, snapshot_id)
        for name in VALIDATED_TABLES
        if name in manifest["tables"]
    }
    parent = _parent_manifest(store, manifest)
    result = gate(
        tables,
        records_by_dataset(tables.get("source_records")),
        previous_counts_from_manifest(parent),
        f"validate-{snapshot_id}",
        previous_models=(parent or {}).get("tables", {}).get("models", {}).get("rows"),
        today=today,
    )
    clean = result.publishable and not result.quarantined
    lines = [
        f"snapshot {snapshot_id} against the current suites: " + ("passes" if clean else "FAILS"),
        *(f"  {report.describe().splitlines()[0]}" for report in result.reports),
        *(f"  BLOCKING {m}" for m in result.blocking),
        *(
            f"  {table}: {len(rows)} rows would be quarantined: "
            + "; ".join(sorted(set(rows["_quarantined_by"])))
            for table, rows in result.quarantined.items()
        ),
        *(f"  warning {m}" for m in result.warnings),
    ]
    return (EXIT_OK if clean else EXIT_FAILED), "\n".join(lines)


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
