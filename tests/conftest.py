"""Shared fixtures. Prefect's settings are set before anything imports Prefect."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="landscape-prefect-home-")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REPLAY_EPOCH = PROJECT_ROOT / "data" / "replay" / "epoch"
RECORDED_EPOCH = PROJECT_ROOT / "data" / "recorded" / "epoch"


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session: starting it costs tens of seconds."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"
