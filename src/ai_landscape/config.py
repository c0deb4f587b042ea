"""Where things live. Paths resolve from the project root so the CLI works from any folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
REPLAY_DIR = DATA_DIR / "replay"


def replay_dir() -> Path:
    """`LANDSCAPE_REPLAY_DIR` points replay at another set of recordings (a test removes one)."""
    return Path(os.environ.get("LANDSCAPE_REPLAY_DIR", REPLAY_DIR))


EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


def default_warehouse() -> Path | str:
    """`LANDSCAPE_WAREHOUSE` overrides the default `data/warehouse` (tests point it elsewhere);
    an object-store URL (`s3://bucket/prefix`) stays a string, which Path would mangle."""
    value = os.environ.get("LANDSCAPE_WAREHOUSE")
    if value and "://" in value:
        return value
    return Path(value) if value else DATA_DIR / "warehouse"
