"""Per-key lists of a column, built with one dict pass.

`groupby(key).agg(list)` (or `agg(",".join)`, `agg(set)`) goes through pandas' generic
aggregation, which slices a Series per group: on the replay's 3,568 models its 14 calls cost
most of a second of resolution's CPU (issue #17), and the cost is per group, not per row.
"""

from __future__ import annotations

import pandas as pd


def lists_by(keys: pd.Series, values: pd.Series) -> pd.Series:
    """The values of each key, in row order, one list per key; keys sorted, missing keys left
    out: what `values.groupby(keys, sort=True).agg(list)` gives."""
    present = keys.notna().to_numpy()
    lists: dict = {}
    for key, value in zip(keys[present].tolist(), values[present].tolist(), strict=True):
        lists.setdefault(key, []).append(value)
    order = sorted(lists)
    index = pd.Index(order, name=keys.name)  # inferred, as groupby infers it
    return pd.Series([lists[key] for key in order], index=index, dtype=object, name=values.name)
