"""What changed between a snapshot and its parent, in the shape of the future `events` table.

Until the pipeline writes `events`, the report derives them by comparing the two snapshots'
`models` tables. `snapshot_changes` is the one place that decides where changes come from,
so that once `events` exists only its body changes, not the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.publish.store import SnapshotStore

EVENT_COLUMNS = ["event_type", "model_id", "field", "old", "new"]
EVENT_TYPES = (
    "model_added",
    "model_removed",
    "access_changed",
    "license_changed",
    "compute_revised",
    "release_date_changed",
)
# event type -> the models column it watches.
FIELD_EVENTS = {
    "access_changed": "weights_access",
    "license_changed": "license_id",
    "compute_revised": "training_compute_flop",
    "release_date_changed": "release_date",
}


def snapshot_changes(store: SnapshotStore, snapshot_id: str) -> pd.DataFrame | None:
    """Changes from the snapshot's parent to it; None when it has no parent to compare with."""
    parent_id = store.manifest(snapshot_id).get("parent_id")
    if not parent_id:
        return None
    return compare_models(
        store.read_table("models", parent_id), store.read_table("models", snapshot_id)
    )


def compare_models(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Events between two `models` tables, sorted by event type (in EVENT_TYPES order) then
    model id. Values are rendered as text, as the `events` table will hold them."""
    old, new = old.set_index("model_id"), new.set_index("model_id")
    added = new.index.difference(old.index)
    removed = old.index.difference(new.index)
    frames = [
        _events("model_added", added, None, None, new.loc[added, "name"]),
        _events("model_removed", removed, None, old.loc[removed, "name"], None),
    ]
    both = new.index.intersection(old.index)
    for event_type, column in FIELD_EVENTS.items():
        before, after = old.loc[both, column], new.loc[both, column]
        changed = ~_same(before, after)
        frames.append(_events(event_type, both[changed], column, before[changed], after[changed]))
    events = pd.concat(frames, ignore_index=True)
    rank = events["event_type"].map({t: i for i, t in enumerate(EVENT_TYPES)})
    return (
        events.assign(_rank=rank)
        .sort_values(["_rank", "model_id"])
        .drop(columns="_rank")[EVENT_COLUMNS]
        .reset_index(drop=True)
    )


def _same(before: pd.Series, after: pd.Series) -> np.ndarray:
    """Equal values, both missing counting as equal; floats within a relative 1e-9."""
    both_missing = before.isna().to_numpy() & after.isna().to_numpy()
    if pd.api.types.is_float_dtype(before) and pd.api.types.is_float_dtype(after):
        close = np.isclose(before.to_numpy(), after.to_numpy(), rtol=1e-9, atol=0.0)
        return close | both_missing
    equal = (before.astype("object") == after.astype("object")).fillna(False).to_numpy(bool)
    return equal | both_missing


def _events(event_type: str, ids: pd.Index, field: str | None, old, new) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_type": event_type,
            "model_id": np.asarray(ids, dtype=object),
            "field": field,
            "old": _text(old, len(ids)),
            "new": _text(new, len(ids)),
        }
    )


def _text(values: pd.Series | None, n: int) -> list[str | None]:
    if values is None:
        return [None] * n
    return [None if pd.isna(v) else str(v) for v in values.astype("object")]


def count_by_type(events: pd.DataFrame) -> dict[str, int]:
    """Every event type with its count, zeros included, so "no change" is visible."""
    counts = events["event_type"].value_counts()
    return {t: int(counts.get(t, 0)) for t in EVENT_TYPES}
