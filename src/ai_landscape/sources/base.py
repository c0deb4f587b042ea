"""What every source module provides, so the flow can treat them alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd


class SourceSchemaError(ValueError):
    """A fetched document lacks what its parser needs: the source changed its format."""


@dataclass(frozen=True)
class SourceSpec:
    name: str
    # dataset -> default URL, in order of precedence when datasets disagree;
    # `--source-url source.dataset=URL` overrides one of them.
    urls: Mapping[str, str]
    # Pure: (body, dataset, origin) -> one frame of source records. `origin` names the
    # document in error messages (its URL or path).
    parse: Callable[[bytes, str, str], pd.DataFrame]
    # Pure: (records, dataset) -> contract columns for those records.
    normalize: Callable[[pd.DataFrame, str], pd.DataFrame]
