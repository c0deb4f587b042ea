"""Operating it: the deployments of prefect.yaml on a real Prefect server, and failure notices.

The integration test runs the operator's own commands: `scripts/deploy.sh` (what `make
deploy` runs) starts a Prefect server on 127.0.0.1 with a temporary home, creates the process
work pool, deploys `prefect.yaml` and starts a worker; `prefect deployment run` triggers
`landscape-replay`; `scripts/stop.sh` stops it all. The server's database is a throwaway
PostgreSQL cluster, as production Prefect servers use, when PostgreSQL's binaries are
installed (`/usr/lib/postgresql/*/bin`), else sqlite. Nothing is downloaded: the worker runs
the flow from this checkout with its .venv.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import httpx
import pytest

from ai_landscape.flow import RunFailed, refresh_landscape
from ai_landscape.ops.notify import notify_failure, send
from ai_landscape.publish.warehouse import open_store
from tests.conftest import PROJECT_ROOT
from tests.pipeline.test_source_failures import without_column

SCRIPTS = PROJECT_ROOT / "scripts"
PRESERVED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
PG_BIN = next((p.parent for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (run as `postgres` when we are root,
    since PostgreSQL refuses to run as root)."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="landscape-pg-"))
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/prefect"

    def run(self, tool: str, *args: str) -> str:
        command = [*self.as_owner, str(self.bin / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{tool}: {done.stdout}{done.stderr}"
        return done.stdout

    def start(self) -> None:
        data = str(self.folder / "data")
        self.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", data, "-l", str(self.folder / "log"), "-w", "-o", options, "start")
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "prefect")

    def query(self, sql: str) -> str:
        where = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "prefect"]
        return self.run("psql", *where, "-At", "-c", sql).strip()

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    if PG_BIN is None:
        yield None
        return
    server = Postgres(PG_BIN)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, postgres):
    """`scripts/deploy.sh` on a free port; stopped (and, failing that, killed) at the end."""
    run_dir = tmp_path_factory.mktemp("prefect-run")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k in PRESERVED}
    if postgres is not None:
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = postgres.url
    env.update(
        LANDSCAPE_RUN_DIR=str(run_dir),
        LANDSCAPE_PREFECT_PORT=str(port),
        LANDSCAPE_STOP_GRACE_SECONDS="5",
        PREFECT_SERVER_UI_ENABLED="false",
        # No cron runs of landscape-daily may sneak in while the test runs.
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_WORKER_QUERY_SECONDS="2",
    )

    def stop():
        subprocess.run([SCRIPTS / "stop.sh"], env=env, capture_output=True, timeout=120)
        for name in ("worker", "server"):
            pidfile = run_dir / f"{name}.pid"
            if pidfile.exists():  # stop.sh failed: end the group ourselves
                pid = int(pidfile.read_text())
                if group_alive(pid):
                    os.killpg(pid, signal.SIGKILL)

    try:
        deploy = subprocess.run(
            [SCRIPTS / "deploy.sh"],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=420,
        )
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        pids = {name: int((run_dir / f"{name}.pid").read_text()) for name in ("worker", "server")}
        yield {
            "env": {**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"},
            "api": f"http://127.0.0.1:{port}/api",
            "run_dir": run_dir,
            "pids": pids,
            "output": deploy.stdout,
            "postgres": postgres,
        }
    finally:
        stop()


@pytest.mark.integration
def test_deploy_creates_the_pool_and_three_deployments(deployed):
    api = deployed["api"]
    assert f"export PREFECT_API_URL={api}" in deployed["output"]
    assert all(group_alive(pid) for pid in deployed["pids"].values())
    pool = httpx.get(f"{api}/work_pools/landscape-process").json()
    assert pool["type"] == "process"

    found = httpx.post(f"{api}/deployments/filter", json={}).json()
    by_name = {d["name"]: d for d in found}
    assert sorted(by_name) == ["landscape-backfill", "landscape-daily", "landscape-replay"]
    pulled_into = [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT_ROOT)}}
    ]
    for d in found:
        assert d["entrypoint"] == "flows/refresh_landscape.py:refresh_landscape"
        assert d["work_pool_name"] == "landscape-process"
        assert d["pull_steps"] == pulled_into
        assert d["job_variables"]["working_dir"] == str(PROJECT_ROOT)
    daily = by_name["landscape-daily"]
    assert daily["parameters"] == {"mode": "live"}
    assert [
        (s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in daily["schedules"]
    ] == [("0 6 * * *", "UTC", True)]
    assert by_name["landscape-replay"]["parameters"] == {"mode": "replay"}
    assert by_name["landscape-replay"]["schedules"] == []
    assert by_name["landscape-backfill"]["schedules"] == []
    schema = by_name["landscape-backfill"]["parameter_openapi_schema"]["properties"]
    assert {"mode", "sources", "source_urls", "warehouse"} <= set(schema)
    if deployed["postgres"] is not None:  # the server keeps them in PostgreSQL
        assert deployed["postgres"].query("select name from deployment order by name") == (
            "landscape-backfill\nlandscape-daily\nlandscape-replay"
        )


@pytest.mark.integration
def test_replay_deployment_runs_on_the_worker_and_publishes(deployed, tmp_path):
    warehouse = tmp_path / "warehouse"
    trigger = subprocess.run(
        [
            PROJECT_ROOT / ".venv/bin/prefect",
            "deployment",
            "run",
            "refresh-landscape/landscape-replay",
            "--param",
            f"warehouse={warehouse}",
            "--watch",
            "--watch-timeout",
            "400",
        ],
        env=deployed["env"],
        capture_output=True,
        text=True,
        timeout=480,
    )
    assert trigger.returncode == 0, trigger.stdout + trigger.stderr
    assert "Flow run finished successfully in 'Completed'." in trigger.stdout
    flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", trigger.stdout).group(1)

    api = deployed["api"]
    flow_run = httpx.get(f"{api}/flow_runs/{flow_run_id}").json()
    assert flow_run["state"]["type"] == "COMPLETED"
    assert flow_run["parameters"] == {"mode": "replay", "warehouse": str(warehouse)}
    replay = httpx.get(f"{api}/deployments/name/refresh-landscape/landscape-replay").json()
    assert flow_run["deployment_id"] == replay["id"]
    assert flow_run["work_pool_name"] == "landscape-process"

    store = open_store(warehouse)
    manifests = store.list_snapshots()
    assert [m["snapshot_id"] for m in manifests] == [store.latest_id()]
    manifest = manifests[0]
    assert manifest["mode"] == "replay"
    assert manifest["tables"]["models"]["rows"] == 3568
    assert manifest["sources"]["epoch.large_scale"]["records"] == 510
    assert manifest["sources"]["huggingface.authors"]["status"] == "ok"  # recorded: replayed
    assert manifest["sources"]["huggingface.authors"]["records"] == 2028
    assert len(store.read_table("models")) == 3568
    worker_log = (deployed["run_dir"] / "worker.log").read_text()
    assert "Executing deployment step: set_working_directory" in worker_log
    assert f"published: latest snapshot {manifest['snapshot_id']} in {warehouse}" in worker_log
    if deployed["postgres"] is not None:
        state = f"select state_type from flow_run where id = '{flow_run_id}'"
        assert deployed["postgres"].query(state) == "COMPLETED"


@pytest.mark.integration
def test_stop_ends_the_server_and_the_worker(deployed):
    stopped = subprocess.run(
        [SCRIPTS / "stop.sh"], env=deployed["env"], capture_output=True, text=True, timeout=120
    )
    assert stopped.returncode == 0, stopped.stderr
    worker, server = deployed["pids"]["worker"], deployed["pids"]["server"]
    assert f"worker: stopped (pid {worker})" in stopped.stdout
    assert f"server: stopped (pid {server})" in stopped.stdout
    assert not group_alive(worker)
    assert not group_alive(server)
    assert not (deployed["run_dir"] / "server.pid").exists()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{deployed['api']}/health")


# -- failure notification ------------------------------------------------------------------


@pytest.fixture
def webhook():
    """A JSON webhook on 127.0.0.1 that keeps what it receives."""
    received: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append({"path": self.path, "body": json.loads(self.rfile.read(length))})
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_port}/landscape-failed", received
    server.shutdown()
    server.server_close()


@pytest.mark.usefixtures("prefect_harness")
def test_failed_run_is_logged_and_posted(webhook, tmp_path, monkeypatch, caplog):
    url, received = webhook
    monkeypatch.setenv("LANDSCAPE_NOTIFY_URL", url)
    monkeypatch.delenv("PREFECT_UI_URL", raising=False)
    broken = without_column(tmp_path, b"Model accessibility")
    warehouse = tmp_path / "warehouse"
    notifying = refresh_landscape.with_options(on_failure=[notify_failure])
    with pytest.raises(RunFailed):
        notifying(
            mode="replay",
            sources=["epoch"],
            source_urls={"epoch.large_scale": str(broken)},
            warehouse=str(warehouse),
        )

    assert len(received) == 1
    assert received[0]["path"] == "/landscape-failed"
    body = received[0]["body"]
    assert body["type"] == "failure"
    title = re.fullmatch(
        r"refresh-landscape run '([\w-]+)' failed \(([0-9a-f-]{36})\)", body["title"]
    )
    assert title is not None, body["title"]
    assert body["message"].splitlines() == [
        body["title"],
        f"parameters: mode='replay', sources=['epoch'], warehouse='{warehouse}'",
        "why: epoch.large_scale failed at the URL given with --source-url (an explicit URL is "
        "never carried over); nothing published",
        f"error: epoch.large_scale: {broken}: required column 'Model accessibility' is missing",
    ]
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert body["message"] in logged
    assert open_store(warehouse).list_snapshots() == []


def test_undeliverable_notice_is_reported_without_its_url(caplog):
    port = free_port()  # nothing listens there
    assert send(f"json://127.0.0.1:{port}/hook?token=s3cret", title="t", body="b") is False
    ours = [r.getMessage() for r in caplog.records if r.name == "ai_landscape.ops.notify"]
    assert ours == ["failure notification via json was not delivered"]
    assert send("not a url", title="t", body="b") is False
    ours = [r.getMessage() for r in caplog.records if r.name == "ai_landscape.ops.notify"]
    assert ours[-1] == "LANDSCAPE_NOTIFY_URL holds no notification URL apprise understands"
