"""The building blocks of the data contract (`schema.py`): a column and the shared types."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

STRING_LIST = pa.list_(pa.string())
TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None


WEIGHTS_ACCESS = (
    "open_unrestricted",
    "open_restricted",
    "open_noncommercial",
    "open_unspecified",
    "api",
    "hosted",
    "unreleased",
    "unknown",
)
COMMERCIAL_USE = ("allowed", "restricted", "prohibited", "unknown")
