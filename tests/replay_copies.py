"""A copy of the recorded replay data with one recording replaced: a source failing at its
usual URL (the case stale carry-over is for), as opposed to an operator's `--source-url`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPLAY_EPOCH


def replay_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recording: str, body: bytes | None
) -> Path:
    """Replay from a copy whose `recording` (`epoch/large_scale_ai_models.csv`) holds `body`,
    or is missing (None: the whole source folder is gone, so its URLs are unrecorded)."""
    replay = tmp_path / "replay"
    shutil.copytree(REPLAY_EPOCH.parent, replay)
    if body is None:
        shutil.rmtree(replay / recording.split("/")[0])
    else:
        (replay / recording).write_bytes(body)
    monkeypatch.setenv("LANDSCAPE_REPLAY_DIR", str(replay))
    return replay
