"""What `landscape diff` and `history` print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ai_landscape.plain import dumps

if TYPE_CHECKING:  # `snapshots` prints manifests: no pandas import for it
    import pandas as pd


def frame_text(frame: pd.DataFrame, as_json: bool) -> str:
    if as_json:
        return dumps(frame.to_dict(orient="records"))
    if frame.empty:
        return "(none)"
    return frame.to_string(index=False, max_colwidth=60)
