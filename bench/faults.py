"""Fault matrix (#14): every fault against a loopback server, at production settings.

Each fault runs in its own process (so its peak RSS is its own) against a server on
127.0.0.1 from `tests/fault_servers.py`, through the real code path: `ingest` of the
`epoch.frontier` dataset with a live client (fetch, raw zone, HTTP cache, parse) for the HTTP
faults; the snapshot store, `landscape query` and `landscape validate` for the warehouse
faults; the `landscape` command itself for SIGTERM. It prints one line per fault: the
outcome, seconds until the pipeline gave up (or finished), the process's peak RSS, and the
files the fault left in the warehouse. A fault still running past its deadline (the fetch
deadline, or the stated bound, plus a margin) is reported HUNG and the bench exits 1.

    .venv/bin/python bench/faults.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests.fault_servers`

from tests import fault_servers as fs

from ai_landscape.http import client as http_client
from ai_landscape.publish.warehouse import open_store

# The production fetch deadline (120 s); read softly so the bench also runs on older code.
FETCH_DEADLINE_S = getattr(http_client, "FETCH_DEADLINE_S", 120.0)

MARGIN_S = 30.0
STARTUP_S = 180.0  # a fresh Python importing pandas and pyarrow on a loaded 2-core machine
PROJECT = Path(__file__).resolve().parents[1]
# fault -> (server handler or None, bound in seconds: how long it may take at most)
HTTP_FAULTS = {
    "drip_body": ("DripBody", FETCH_DEADLINE_S),
    "drip_headers": ("DripHeaders", FETCH_DEADLINE_S),
    "silent_server": ("Silent", FETCH_DEADLINE_S),
    "declared_300MiB": ("DeclaredHuge", FETCH_DEADLINE_S),
    "undeclared_300MiB": ("UndeclaredHuge", FETCH_DEADLINE_S),
    "gzip_bomb_1GiB": ("GzipBomb", FETCH_DEADLINE_S),
    "truncated_body": ("Truncated", FETCH_DEADLINE_S),
    "http_500_always": ("AlwaysError", FETCH_DEADLINE_S),
    "429_retry_after_1h": ("LongRetryAfter", FETCH_DEADLINE_S),
    "html_as_csv": ("HtmlAsCsv", FETCH_DEADLINE_S),
    "echoed_secret": ("EchoesSecret", FETCH_DEADLINE_S),
}
OTHER_FAULTS = {
    "run_budget_4x150MiB": 4 * FETCH_DEADLINE_S,
    "query_copy_over_part": 60.0,
    "query_read_etc_passwd": 60.0,
    "tampered_part": 60.0,
    "sigterm_mid_fetch": 600.0,  # includes Prefect's temporary server starting
}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def files_in(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def http_fault(name: str, work: Path) -> tuple[str, float]:
    from ai_landscape.http.cache import HttpCache
    from ai_landscape.http.client import LiveClient
    from ai_landscape.pipeline.ingest import ingest
    from ai_landscape.pipeline.selection import DatasetRequest

    handler = getattr(fs, HTTP_FAULTS[name][0])
    if handler is fs.GzipBomb:
        fs.GzipBomb.bomb = fs.gzip_bomb(1024)  # built before the clock starts
    query = f"?token={fs.SECRET}" if name == "echoed_secret" else ""
    with fs.serve(handler) as base:
        request = DatasetRequest("epoch", "frontier", f"{base}/frontier_ai_models.csv{query}")
        started = time.monotonic()
        result = ingest(request, LiveClient(cache=HttpCache(work)), work)
        seconds = time.monotonic() - started
    outcome = result.status if result.error is None else f"{result.status}: {result.error}"
    if name == "echoed_secret":
        leaked = [
            p for p in work.rglob("*") if p.is_file() and fs.SECRET.encode() in p.read_bytes()
        ]
        outcome += f"; {result.info.get('records')} records; secret in {len(leaked)} files"
    return outcome.replace(base, "<server>"), seconds


def run_budget(work: Path) -> tuple[str, float]:
    from ai_landscape.http.client import FetchError, LiveClient

    client = LiveClient()
    started = time.monotonic()
    with fs.serve(fs.Large) as base:
        try:
            for i in range(4):
                client.get(f"{base}/part-{i}.bin")
            outcome = "ok: all four read"
        except FetchError as exc:
            outcome = f"failed: {exc}".replace(base, "<server>")
    return outcome, time.monotonic() - started


def small_warehouse(work: Path):
    from tests.store_frames import T1, publish, tables

    store = open_store(work)
    publish(store, tables(3), T1)
    return store


def query_fault(name: str, work: Path) -> tuple[str, float]:
    import duckdb

    from ai_landscape.report.query import run_query

    store = small_warehouse(work)
    part = store.table_path("models", store.latest_id())
    sql = {
        "query_copy_over_part": f"COPY (select * from models limit 1) TO '{part}' (FORMAT parquet)",
        "query_read_etc_passwd": "select * from read_csv('/etc/passwd')",
    }[name]
    started = time.monotonic()
    try:
        run_query(sql, work)
        outcome = "ran (UNSAFE)"
    except duckdb.Error as exc:
        outcome = f"refused: {str(exc).splitlines()[0][:90]}"
    return outcome, time.monotonic() - started


def tampered(work: Path) -> tuple[str, float]:
    import pyarrow.parquet as pq

    from ai_landscape.commands.validate import validate_snapshot

    store = small_warehouse(work)
    part = store.table_path("models", store.latest_id())
    pq.write_table(pq.read_table(part).slice(0, 1), part)
    started = time.monotonic()
    code, text = validate_snapshot("latest", work)
    first_problem = text.splitlines()[1].strip().replace(str(work), "<warehouse>")
    return f"validate exit {code}: {first_problem[:110]}", time.monotonic() - started


def sigterm(work: Path) -> tuple[str, float]:
    with fs.serve(fs.DripBody) as base:
        child = fs.start_live_run(work, f"{base}/frontier_ai_models.csv", capture=False)
        try:
            while fs.DripBody.requests == 0 and child.poll() is None:
                time.sleep(0.2)
            import psutil

            family = psutil.Process(child.pid).children(recursive=True)
            sent = time.monotonic()
            child.send_signal(signal.SIGTERM)
            code = child.wait(timeout=120)
            seconds = time.monotonic() - sent
        finally:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
    _, alive = psutil.wait_procs(family, timeout=15)
    manifests = len(list((work / "warehouse").glob("_manifests/*.json")))
    return (
        f"exit {code}, {manifests} snapshots published, {len(alive)} child processes left",
        seconds,
    )


def one(name: str) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"fault-{name}-"))
    try:
        if name in HTTP_FAULTS:
            outcome, seconds = http_fault(name, work)
        elif name == "run_budget_4x150MiB":
            outcome, seconds = run_budget(work)
        elif name.startswith("query_"):
            outcome, seconds = query_fault(name, work)
        elif name == "tampered_part":
            outcome, seconds = tampered(work)
        else:
            outcome, seconds = sigterm(work)
        # Files a failed fault left (the warehouse faults start from one snapshot's files).
        left = files_in(work) - (files_in(work / "prefect") if (work / "prefect").exists() else 0)
        return {"outcome": outcome, "seconds": seconds, "rss": peak_rss_mib(), "files": left}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_isolated(name: str, bound: float) -> dict:
    """One fault in a fresh process, killed (and reported HUNG) past its bound + margin (the
    process's start-up and set-up not counted: the child times the fault itself)."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", name],
            capture_output=True,
            text=True,
            timeout=bound + MARGIN_S + STARTUP_S,
            cwd=PROJECT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "HUNG", "seconds": time.monotonic() - started, "rss": 0, "files": -1}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {
            "outcome": f"CRASHED: {done.stderr.strip()[-200:]}",
            "seconds": 0,
            "rss": 0,
            "files": -1,
        }
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only these faults")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one(args.child)))
        return 0
    bounds = {name: bound for name, (_, bound) in HTTP_FAULTS.items()} | OTHER_FAULTS
    names = args.only or list(bounds)
    # The slow faults mostly wait on a socket: three at a time keep the bench near the
    # longest bound without crowding two cores.
    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = pool.map(lambda n: run_isolated(n, bounds[n]), names)
        results = dict(zip(names, outcomes, strict=True))
    print(f"{'fault':<24} {'give-up s':>9} {'peak RSS MiB':>12} {'files left':>10}  outcome")
    hung = False
    for name in names:
        r = results[name]
        late = r["seconds"] > bounds[name] + MARGIN_S
        hung |= r["outcome"] == "HUNG" or late
        if late and r["outcome"] != "HUNG":
            r["outcome"] = f"PAST ITS BOUND ({bounds[name]:.0f} s): {r['outcome']}"
        print(f"{name:<24} {r['seconds']:>9.1f} {r['rss']:>12.0f} {r['files']:>10}  {r['outcome']}")
    print(f"fetch deadline {FETCH_DEADLINE_S:.0f} s; no fault hung past its bound: {not hung}")
    return 1 if hung else 0


if __name__ == "__main__":
    sys.exit(main())
