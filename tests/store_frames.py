"""Shared by the snapshot-store tests (local, crash, S3, concurrency): real contract tables
from the recorded Epoch exports, the ids they publish under, and a publish killed mid-way."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd

from ai_landscape import schema
from ai_landscape.publish.fingerprint import content_fingerprint, contract_table
from ai_landscape.publish.store import PublishResult, SnapshotStore
from tests.real_frames import replay_models, replay_tables

CHILD = Path(__file__).with_name("_publish_child.py")
T1 = dt.datetime(2025, 3, 1, 12, 0, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2025, 3, 2, 8, 30, 15, tzinfo=dt.UTC)
T3 = dt.datetime(2025, 3, 2, 21, 5, 0, tzinfo=dt.UTC)
VOLATILE = {"models": ["first_seen", "last_seen"]}
INFO = {
    "mode": "replay",
    "code_version": "0.1.0",
    "sources": {"epoch": {"status": "ok", "records": 1658}},
    "validation": {"success": True, "failed": 0},
}
# Real rows from the recorded Epoch exports: Llama 3.1-405B (3 source records), Grok 4.20
# (1 record; no release date, no compute figure), DeepSeek-R1 (2 records).
MODEL_IDS = ("meta-ai/llama-3.1-405b", "xai/grok-4.20", "deepseek/deepseek-r1")
SUMMARY_ROWS = 830  # the whole real summary_by_year table


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def models_frame(n: int = 2) -> pd.DataFrame:
    return replay_models(*MODEL_IDS[:n])


def tables(n: int = 2, last_seen: str | None = None) -> dict[str, pd.DataFrame]:
    """The first `n` of MODEL_IDS, their real source records and the real summary table."""
    real = replay_tables()
    models = models_frame(n)
    if last_seen is not None:
        models["last_seen"] = _ts(last_seen)
    records = real["source_records"]
    records = records[records["model_id"].isin(MODEL_IDS[:n])].reset_index(drop=True)
    return {
        "models": models,
        "source_records": records,
        "summary_by_year": real["summary_by_year"],
    }


PUBLISHED = ("models", "source_records", "summary_by_year")  # the tables tables() returns


def fingerprint(frames: dict[str, pd.DataFrame]) -> str:
    arrow = {name: contract_table(schema.to_arrow(name, f)) for name, f in frames.items()}
    return content_fingerprint(arrow, VOLATILE)


def expected_id(created_at: dt.datetime, frames: dict[str, pd.DataFrame]) -> str:
    return f"{created_at:%Y%m%dT%H%M%SZ}-{fingerprint(frames)[:6]}"


def publish(store: SnapshotStore, frames, created_at) -> PublishResult:
    return store.publish(frames, created_at=created_at, info=INFO, volatile_columns=VOLATILE)


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.name != "_lock")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_killed_child(root: Path, tmp_path: Path, frames, created_at, kill_at: str):
    payload = tmp_path / "child-input.pkl"
    payload.write_bytes(
        pickle.dumps({"tables": frames, "info": INFO, "volatile_columns": VOLATILE})
    )
    return subprocess.run(
        [sys.executable, str(CHILD), str(root), str(payload), created_at.isoformat(), kill_at],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
