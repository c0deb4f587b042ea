"""Fields that follow from weights_access, derived in one place so they never disagree."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.schema import CLOSED_ACCESS, LARGE_SCALE_FLOP, OPEN_ACCESS

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


def large_scale(compute_flop: pd.Series, listed_large_scale: pd.Series) -> pd.Series:
    """`unconfirmed` only where a curated large-scale list names a model whose compute is blank."""
    known = compute_flop.notna()
    return pd.Series(
        np.select(
            [
                known & (compute_flop >= LARGE_SCALE_FLOP),
                known,
                listed_large_scale.astype(bool),
            ],
            ["confirmed", "below", "unconfirmed"],
            default="unknown",
        ),
        index=compute_flop.index,
        dtype=object,
    )
