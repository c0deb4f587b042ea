"""Fields that follow from weights_access, derived in one place so they never disagree."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.schema import CLOSED_ACCESS, LARGE_SCALE_FLOP, OPEN_ACCESS

OPEN_UNSPECIFIED = "open_unspecified"
# Until licences are normalized (reference table), the access state is the best evidence.
_COMMERCIAL_USE = {
    "open_unrestricted": "allowed",
    "open_restricted": "restricted",
    "open_noncommercial": "prohibited",
}


def openness(weights_access: pd.Series) -> pd.Series:
    return pd.Series(
        np.select(
            [weights_access.isin(OPEN_ACCESS), weights_access.isin(CLOSED_ACCESS)],
            ["open", "closed"],
            default="unknown",
        ),
        index=weights_access.index,
        dtype=object,
    )


def commercial_use(weights_access: pd.Series) -> pd.Series:
    return weights_access.map(_COMMERCIAL_USE).fillna("unknown").astype(object)


def large_scale(
    compute_flop: pd.Series, listed_large_scale: pd.Series, compute_method: pd.Series
) -> pd.Series:
    """Known compute decides first; our own 6·N·D estimate only says `estimated`, and a
    curated large-scale list naming a model whose compute is blank says `unconfirmed`."""
    known = compute_flop.notna()
    estimate = compute_method.eq("operation_count").to_numpy()
    big = (compute_flop >= LARGE_SCALE_FLOP).to_numpy()
    return pd.Series(
        np.select(
            [
                known & ~estimate & big,
                known & estimate & big,
                known & ~estimate,
                listed_large_scale.astype(bool),
                known,
            ],
            ["confirmed", "estimated", "below", "unconfirmed", "below"],
            default="unknown",
        ),
        index=compute_flop.index,
        dtype=object,
    )
