"""`landscape run` as a scheduler runs it, in its own process (#14.3, #14.5): SIGTERM ends it
cleanly, and a token in a source URL is written nowhere, Prefect's database included.

Both run the real command with its own PREFECT_HOME and no Prefect server, so it starts
Prefect's temporary server as a child process, exactly as `timeout`, systemd or Kubernetes
would see it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import psutil
import pytest

from tests import fault_servers as fs
from tests.conftest import PROJECT_ROOT

LANDSCAPE = str(PROJECT_ROOT / ".venv" / "bin" / "landscape")
STARTUP_S = 300  # Prefect's temporary server on a busy 2-core machine


def end_group(child: subprocess.Popen) -> None:
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()


@pytest.mark.integration
def test_sigterm_ends_the_run_at_once_publishes_nothing_and_stops_prefects_server(tmp_path):
    with fs.serve(fs.DripBody) as base:
        child = fs.start_live_run(tmp_path, f"{base}/frontier_ai_models.csv")
        try:
            deadline = time.monotonic() + STARTUP_S
            while fs.DripBody.requests == 0:  # the run is fetching, one byte a second
                assert child.poll() is None, child.communicate()[1][-3000:]
                assert time.monotonic() < deadline, "the run never fetched"
                time.sleep(0.2)
            family = psutil.Process(child.pid).children(recursive=True)
            assert any("uvicorn" in " ".join(p.cmdline()) for p in family)
            sent = time.monotonic()
            child.send_signal(signal.SIGTERM)
            _out, err = child.communicate(timeout=60)
            seconds = time.monotonic() - sent
        finally:
            end_group(child)
    assert child.returncode == 143, err[-3000:]
    assert seconds < 30
    assert "STOPPED: terminated by a signal; nothing was published" in err
    assert not list((tmp_path / "warehouse").glob("_manifests/*.json"))
    _gone, alive = psutil.wait_procs(family, timeout=15)
    assert alive == [], [p.cmdline() for p in alive]  # Prefect's temporary server stopped


@pytest.mark.integration
def test_sigkill_of_the_command_leaves_no_process_behind(tmp_path):
    """SIGKILL runs no handler: the command's supervisor dies, and the kernel tells the run,
    which stops as on SIGTERM, taking Prefect's temporary server with it."""
    with fs.serve(fs.DripBody) as base:
        child = fs.start_live_run(tmp_path, f"{base}/frontier_ai_models.csv")
        try:
            deadline = time.monotonic() + STARTUP_S
            while fs.DripBody.requests == 0:
                assert child.poll() is None, child.communicate()[1][-3000:]
                assert time.monotonic() < deadline, "the run never fetched"
                time.sleep(0.2)
            family = psutil.Process(child.pid).children(recursive=True)
            assert any("uvicorn" in " ".join(p.cmdline()) for p in family)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
            _gone, alive = psutil.wait_procs(family, timeout=30)
        finally:
            end_group(child)
    assert alive == [], [p.cmdline() for p in alive]
    assert not list((tmp_path / "warehouse").glob("_manifests/*.json"))


@pytest.mark.integration
def test_a_token_in_a_source_url_is_stored_nowhere(tmp_path):
    with fs.serve(fs.EchoesSecret) as base:
        child = fs.start_live_run(tmp_path, f"{base}/frontier_ai_models.csv?token={fs.SECRET}")
        try:
            out, err = child.communicate(timeout=STARTUP_S + 300)
        finally:
            end_group(child)
    assert child.returncode == 0, err[-3000:]
    assert out.startswith("published snapshot ")
    assert fs.SECRET not in out + err
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "prefect.db" for p in files)  # Prefect's database was written
    assert any("_http_cache" in p.parts for p in files)  # and the HTTP cache
    leaked = [str(p.relative_to(tmp_path)) for p in files if fs.SECRET.encode() in p.read_bytes()]
    assert leaked == []
