"""What changed in the landscape: each publish's `events`, from comparing `models` tables.

A snapshot's `events` partition holds the changes its run detected against the previous
snapshot, so all history is the union of the partitions. Comparing two arbitrary snapshots
(`landscape diff A B`, `publish/history.py`) uses the same comparison. Pure: the caller
reads the previous snapshot.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ai_landscape.plain import cell
from ai_landscape.schema import EVENT_TYPES

EVENT_COLUMNS = ["event_type", "model_id", "field", "old", "new"]
EVENTS_TABLE_COLUMNS = [*EVENT_COLUMNS, "detected_at", "evidence"]
# event type -> the models column it watches.
FIELD_EVENTS = {
    "access_changed": "weights_access",
    "license_changed": "license_id",
    "compute_revised": "training_compute_flop",
    "release_date_changed": "release_date",
}


def detect_events(
    previous: pd.DataFrame | None,
    models: pd.DataFrame,
    *,
    detected_at,
    previous_id: str | None,
    keep_removed: bool,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """This run's events against the previous snapshot's models, and the models to publish.

    With `keep_removed` (some source failed this run), models no source lists any more are
    carried over from the previous snapshot instead of being reported removed: a failure
    must never read as a removal. Evidence is the record that supplied the changed field
    (from `provenance`), or the previous snapshot for a removal.
    """
    if previous is None or previous.empty:
        return pd.DataFrame(columns=EVENTS_TABLE_COLUMNS), models
    if keep_removed:
        missing = previous[~previous["model_id"].isin(models["model_id"])]
        # A snapshot written before a column existed (base_model_id) carries it over as null.
        models = pd.concat([models, missing.reindex(columns=models.columns)], ignore_index=True)
        models = models.sort_values("model_id", kind="stable").reset_index(drop=True)
    events = compare_models(previous, models)
    # Only the models that changed: parsing every row's provenance would cost a full pass.
    changed = models[models["model_id"].isin(events["model_id"])]
    provenance = changed.set_index("model_id")["provenance"].map(json.loads)
    field_of = events["field"].fillna("name")
    evidence = [
        provenance[m].get(f) if m in provenance.index else None
        for m, f in zip(events["model_id"], field_of, strict=True)
    ]
    removed = (events["event_type"] == "model_removed").to_numpy()
    events["evidence"] = np.where(removed, f"snapshot:{previous_id}", evidence)
    events["detected_at"] = pd.Timestamp(detected_at)
    return events[EVENTS_TABLE_COLUMNS], models


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


def events_of_published(events: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """A quarantined model's events wait until it passes validation (removals always stand)."""
    kept = events["model_id"].isin(published["model_id"]) | (
        events["event_type"] == "model_removed"
    )
    return events[kept].reset_index(drop=True)


def quarantine_removals(
    previous: pd.DataFrame | None,
    quarantined: pd.DataFrame | None,
    *,
    detected_at,
    run_id: str,
) -> pd.DataFrame:
    """`model_removed` events for published models that validation now holds back.

    Such a model leaves the published `models` table; without an event it would vanish from
    history with no trace of why. The event's `field` is `validation`, `new` names the
    expectations that held it, and the evidence is the run's quarantine."""
    if previous is None or quarantined is None or quarantined.empty:
        return pd.DataFrame(columns=EVENTS_TABLE_COLUMNS)
    held = quarantined[quarantined["model_id"].isin(previous["model_id"])]
    held = held.drop_duplicates("model_id").sort_values("model_id", kind="stable")
    return pd.DataFrame(
        {
            "event_type": "model_removed",
            "model_id": held["model_id"].to_numpy(dtype=object),
            "field": "validation",
            "old": held["name"].astype("object").to_numpy(),
            "new": ("quarantined: " + held["_quarantined_by"].astype(str)).to_numpy(dtype=object),
            "detected_at": pd.Timestamp(detected_at),
            "evidence": f"quarantine:{run_id}",
        },
        columns=EVENTS_TABLE_COLUMNS,
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
    return [None if pd.isna(v) else cell(v) for v in values.astype("object")]


def count_by_type(events: pd.DataFrame) -> dict[str, int]:
    """Every event type with its count, zeros included, so "no change" is visible."""
    counts = events["event_type"].value_counts()
    return {t: int(counts.get(t, 0)) for t in EVENT_TYPES}
