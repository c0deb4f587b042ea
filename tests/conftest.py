"""Shared fixtures. Prefect's settings are set before anything imports Prefect."""

from __future__ import annotations

import http.server
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ai_landscape.publish.store import SnapshotStore
from ai_landscape.publish.warehouse import open_store
from tests.browser import browser, chromium  # noqa: F401  (fixtures, for every browser test)

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


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that does not log each request to stderr."""

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback() -> Iterator[Callable[[type[http.server.BaseHTTPRequestHandler]], str]]:
    """`loopback(Handler)` serves the handler class on 127.0.0.1 (a free port) from a thread and
    gives the base URL; every server it started is shut down after the test."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(handler: type[http.server.BaseHTTPRequestHandler]) -> str:
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_port}"

    yield start
    for srv in servers:
        srv.shutdown()


# The events the second `replay_store` snapshot recorded against the first, by type.
REPLAY_EVENT_COUNTS = {
    "model_added": 192,
    "model_removed": 164,
    "access_changed": 74,
    "compute_revised": 59,
    "license_changed": 31,
    "release_date_changed": 3,
}


@dataclass(frozen=True)
class ReplayStore:
    root: Path
    first: str
    second: str


@pytest.fixture(scope="session")
def replay_store(prefect_harness, tmp_path_factory) -> ReplayStore:
    """`<tmp>/data/warehouse` with two snapshots of the real Epoch exports: the first with the
    2025-02-24 `notable` export (the other datasets as of 2026-05-02), the second all of
    2026-05-02, so the second has a parent to compare with."""
    from ai_landscape.flow import refresh_landscape

    root = tmp_path_factory.mktemp("project") / "data" / "warehouse"
    first = refresh_landscape(
        mode="replay",
        sources=["epoch"],
        source_urls={"epoch.notable": str(RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv")},
        warehouse=str(root),
    )
    # 164 of the older catalogue's 1327 ids are gone in 2026 (models Epoch renamed or dropped;
    # renamed organizations keep their canonical, sticky ids): over the 10% removal limit, so
    # the run says it has reviewed that.
    second = refresh_landscape(
        mode="replay", sources=["epoch"], warehouse=str(root), max_removed_share=0.25
    )
    assert first.status == second.status == "published"
    return ReplayStore(root, first.snapshot_id, second.snapshot_id)


@pytest.fixture(scope="session")
def full_replay(prefect_harness, tmp_path_factory) -> SnapshotStore:
    """One replay run of every source (what `make run` publishes), shared by read-only tests."""
    from ai_landscape.flow import refresh_landscape

    root = tmp_path_factory.mktemp("full") / "warehouse"
    assert refresh_landscape(mode="replay", warehouse=str(root)).status == "published"
    return open_store(root)
