"""Country groups of the "US vs China" chart, one per model.

The chart asks who built a model, and a model built by a US and a Chinese lab together is
neither "American" nor "Chinese": it gets its own group instead of being counted twice. Each
model falls into exactly one group, so the bars of a year add up to that year's models.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

US, CN = "US", "CN"
GROUP_LABELS = {
    "US": "United States",
    "CN": "China",
    "US+CN": "US+CN joint",
    "rest_of_world": "Rest of world",
    "unknown": "Country unknown",
}
GROUP_RULE = (
    "Each model counts once, in one group: United States = at least one US organization and "
    "none in China; China = at least one organization in China (CN; Hong Kong, Macao and "
    "Taiwan are rest of world) and none in the US; US+CN joint = organizations in both; "
    "rest of world = countries known, none of them US or CN. A model of US and French labs "
    "counts as United States."
)


def country_group(country_codes: pd.Series) -> pd.Series:
    """The group of each model from its list of ISO codes; same index as the input."""
    exploded = country_codes.reset_index(drop=True).explode()
    by_model = exploded.groupby(level=0, sort=True)
    has_us = (exploded == US).groupby(level=0, sort=True).any().to_numpy()
    has_cn = (exploded == CN).groupby(level=0, sort=True).any().to_numpy()
    has_any = by_model.count().to_numpy() > 0
    groups = np.select(
        [has_us & has_cn, has_us, has_cn, has_any],
        ["US+CN", "US", "CN", "rest_of_world"],
        default="unknown",
    )
    return pd.Series(groups, index=country_codes.index, dtype="str")
