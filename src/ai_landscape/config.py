"""Where things live. Paths resolve from the project root so the CLI works from any folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
REPLAY_DIR = DATA_DIR / "replay"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


def default_warehouse() -> Path:
    """`LANDSCAPE_WAREHOUSE` overrides the default `data/warehouse` (tests point it elsewhere)."""
    return Path(os.environ.get("LANDSCAPE_WAREHOUSE", DATA_DIR / "warehouse"))
