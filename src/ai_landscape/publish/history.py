"""Reading history back: what changed between any two snapshots, and one model's timeline.

Each snapshot's `events` partition holds what its run detected, so a model's timeline is the
union of the partitions of committed snapshots (those with a manifest); a diff between two
arbitrary snapshots compares their `models` tables directly.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.publish.store import SnapshotStore
from ai_landscape.resolve.events import EVENT_COLUMNS, EVENTS_TABLE_COLUMNS, compare_models


def snapshot_changes(store: SnapshotStore, snapshot_id: str) -> pd.DataFrame | None:
    """Changes from the snapshot's parent to it; None when it has no parent to compare with.
    Snapshots that carry an `events` table answer from it; older ones are compared."""
    manifest = store.manifest(snapshot_id)
    parent_id = manifest.get("parent_id")
    if not parent_id:
        return None
    if "events" in manifest["tables"]:
        return store.read_table("events", snapshot_id)[EVENT_COLUMNS]
    return compare_models(
        store.read_table("models", parent_id), store.read_table("models", snapshot_id)
    )


def diff(store: SnapshotStore, old: str, new: str) -> tuple[str, str, pd.DataFrame]:
    """`old`/`new`: anything `SnapshotStore.resolve` takes (`latest`, an id, a prefix, a date)."""
    old_id, new_id = store.resolve(old), store.resolve(new)
    changes = compare_models(store.read_table("models", old_id), store.read_table("models", new_id))
    return old_id, new_id, changes


def history(store: SnapshotStore, model_id: str) -> pd.DataFrame:
    """Every event of one model, oldest first, with the snapshot that recorded it."""
    frames = []
    for manifest in store.list_snapshots():
        if "events" not in manifest["tables"]:
            continue
        events = store.read_table("events", manifest["snapshot_id"])
        mine = events[events["model_id"] == model_id]
        if len(mine):
            frames.append(mine.assign(snapshot_id=manifest["snapshot_id"]))
    columns = ["snapshot_id", *EVENTS_TABLE_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def first_seen(store: SnapshotStore, model_id: str) -> tuple[str, pd.Timestamp] | None:
    """The earliest committed snapshot listing the model, and its first_seen there."""
    for manifest in store.list_snapshots():
        models = store.read_table("models", manifest["snapshot_id"])
        row = models[models["model_id"] == model_id]
        if len(row):
            return manifest["snapshot_id"], row["first_seen"].iloc[0]
    return None
