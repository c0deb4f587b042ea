"""Stacked bar segments drawn as one collection per series instead of one patch per bar.

`Axes.bar` adds a `Rectangle` per value, each updating the axes' data limits on its own and
drawn on its own: the report's ~1,000 segments cost more than the rest of its drawing (issue
#17). A `PolyCollection` of the same rectangles (the same x, width, bottom and height, zero
heights included, as `bar` draws them) is added and drawn in one call; the axes scale to it
as they scale to bars, each bar's bottom a sticky edge as `bar` makes it (so a stack topped
by an empty segment keeps the axis at its top, as before).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection


def segments(ax: Axes, x, heights, width: float, bottom=0.0, **style) -> PolyCollection:
    """One series of bars centred on `x` (what `ax.bar(x, heights, width, bottom=bottom,
    **style)` draws), as one collection. `style`: facecolor, edgecolor, linewidth, alpha,
    hatch, zorder; no label (legends name their series with their own handles)."""
    x = np.asarray(x, dtype=float)
    low = np.broadcast_to(np.asarray(bottom, dtype=float), x.shape)
    high = low + np.asarray(heights, dtype=float)
    left, right = x - width / 2, x + width / 2
    corners = np.stack(
        [
            np.column_stack([left, low]),
            np.column_stack([left, high]),
            np.column_stack([right, high]),
            np.column_stack([right, low]),
        ],
        axis=1,
    )
    style.setdefault("edgecolor", "none")
    bars = PolyCollection(corners, closed=True, **style)
    bars.sticky_edges.y.extend(low.tolist())  # as `bar` does: each bar's bottom
    ax.add_collection(bars)
    return bars
