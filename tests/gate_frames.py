"""Shared by the gate tests and `landscape validate`'s: the real recorded Epoch records as
ingest parses them, and the gate run on them (or on corrupted copies)."""

from __future__ import annotations

from functools import cache

import pandas as pd

from ai_landscape.pipeline.ingest import Document, parse_documents
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.selection import DatasetRequest
from ai_landscape.validate.gate import gate
from tests.conftest import REPLAY_EPOCH
from tests.real_frames import SEEN_AT, replay_tables

COUNTS = {"epoch.large_scale": 510, "epoch.frontier": 137, "epoch.notable": 1011}
RUN = "20260502T120000Z"


@cache
def _records() -> dict[str, pd.DataFrame]:
    spec = SOURCES["epoch"]
    out = {}
    for dataset, url in spec.urls.items():
        path = REPLAY_EPOCH / url.rsplit("/", 1)[-1]
        info = {
            "url": str(path),
            "raw_locator": f"replay/epoch/{path.name}",
            "retrieved_at": SEEN_AT,
        }
        request = DatasetRequest("epoch", dataset, str(path))
        records, _ = parse_documents(spec, request, [Document(info, path.read_bytes())])
        out[f"epoch.{dataset}"] = records.assign(_stale=False)
    return out


def replay_records() -> dict[str, pd.DataFrame]:
    """Each Epoch dataset's parsed records as ingest gives them; fresh copies each call."""
    return {key: frame.copy() for key, frame in _records().items()}


def run_gate(tables=None, records=None, counts=COUNTS, **kwargs):
    tables = replay_tables() if tables is None else tables
    return gate(tables, replay_records() if records is None else records, counts, RUN, **kwargs)


def row_of(tables, model_id: str) -> int:
    (index,) = tables["models"].index[tables["models"]["model_id"] == model_id]
    return int(index)


def assert_rows_add_up(result, tables):
    for name, frame in tables.items():
        kept = len(result.tables[name])
        held = len(result.quarantined.get(name, ()))
        assert kept + held == len(frame), name
        if name in result.summary["rows"]:
            assert result.summary["rows"][name] == {
                "in": len(frame),
                "published": kept,
                "quarantined": held,
            }
