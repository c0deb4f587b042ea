"""The `models` table of Epoch exports alone, built by the pipeline's own stages (fetch of a
local file, parse, normalize, resolve, merge) without Prefect, and the same counts taken
directly from the CSV files, so tests can hold one against the other."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ai_landscape.http.client import ReplayClient
from ai_landscape.pipeline.ingest import ingest
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.tasks import build_tables
from tests.conftest import RECORDED_EPOCH, REPLAY_EPOCH

SEEN_AT = datetime(2026, 5, 2, tzinfo=UTC)
EPOCH_OPEN = {
    "Open weights (unrestricted)",
    "Open weights (restricted use)",
    "Open weights (non-commercial)",
}
EPOCH_CLOSED = {"API access", "Hosted access (no API)", "Unreleased"}
# The two real vintages: the replay's exports of 2026-05-02 and the notable export of
# 2025-02-24 (no large-scale export of that date was recorded).
VINTAGES = {
    "2026-05-02": {
        "large_scale": REPLAY_EPOCH / "large_scale_ai_models.csv",
        "frontier": REPLAY_EPOCH / "frontier_ai_models.csv",
        "notable": REPLAY_EPOCH / "notable_ai_models.csv",
    },
    "2025-02-24": {"notable": RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv"},
}


def epoch_models(vintage: str, warehouse: Path) -> pd.DataFrame:
    """The `models` rows a run of that vintage's Epoch exports builds."""
    client = ReplayClient()
    results = [
        ingest(DatasetRequest("epoch", dataset, str(path)), client, warehouse, None)
        for dataset, path in VINTAGES[vintage].items()
    ]
    return build_tables.fn(results, {}, None, SEEN_AT)["models"]


def csv_confirmed_counts(paths: list[Path]) -> Counter:
    """(year, openness, US/CN group) -> models, counted straight from the CSV rows: compute at
    least 1e23 FLOP, each model name once (Epoch lists a model in several exports)."""
    counts: Counter = Counter()
    seen = set()
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                name = " ".join(row["Model"].split())
                compute = row["Training compute (FLOP)"].strip()
                if not compute or float(compute) < 1e23 or name in seen:
                    continue
                seen.add(name)
                access = row["Model accessibility"]
                openness = (
                    "open"
                    if access in EPOCH_OPEN
                    else "closed"
                    if access in EPOCH_CLOSED
                    else "unknown"
                )
                country = row.get(
                    "Country (of organization)", row.get("Country (from Organization)")
                )
                places = {c.strip() for c in country.split(",") if c.strip()}
                us, cn = "United States of America" in places, "China" in places
                group = (
                    "US+CN"
                    if us and cn
                    else "US"
                    if us
                    else "CN"
                    if cn
                    else "rest_of_world"
                    if places
                    else "unknown"
                )
                counts[(int(row["Publication date"][:4]), openness, group)] += 1
    return counts
