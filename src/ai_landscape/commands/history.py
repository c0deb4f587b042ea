"""What `landscape snapshots`, `diff` and `history` print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ai_landscape.publish.store import SnapshotStore

if TYPE_CHECKING:  # `snapshots` prints manifests: no pandas import for it
    import pandas as pd


def snapshot_lines(store: SnapshotStore) -> list[str]:
    """One line per snapshot, oldest first; the latest is marked."""
    manifests = store.list_snapshots()
    if not manifests:
        return [f"no snapshots in {store.root}"]
    latest = store.latest_id()
    lines = []
    for m in manifests:
        rows = ", ".join(f"{t} {info['rows']}" for t, info in m["tables"].items())
        mark = "  (latest)" if m["snapshot_id"] == latest else ""
        lines.append(f"{m['snapshot_id']}  {m['created_at']}  {m.get('mode', '?')}  {rows}{mark}")
    return lines


def frame_text(frame: pd.DataFrame, as_json: bool) -> str:
    if as_json:
        return frame.to_json(orient="records", date_format="iso", indent=2)
    if frame.empty:
        return "(none)"
    return frame.to_string(index=False, max_colwidth=60)
