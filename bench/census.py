"""Scale benchmark of the Hub census: fetch, parse, normalize, validate, publish.

    .venv/bin/python bench/census.py                      # 200,000 and 2,000,000 repos
    .venv/bin/python bench/census.py --sizes 200000       # one size
    .venv/bin/python bench/census.py --sizes 200000 --no-dask --no-kill

The listing is SYNTHETIC: each repo is a real record of the replay census
(data/replay/huggingface/census/, 52,406 real repos) drawn at random, so licences, authors,
base models and relations, pipeline tags, libraries and dates follow their real joint
distribution; only the repo id is made unique (`<real id>-synthetic-<n>`). A loopback HTTP
server in its own process serves it in pages of 1,000 with `Link` cursors, as the Hub does.

Each measured run is a fresh process (`--child`), so its peak RSS is its own: it fetches every
page through the production `LiveClient` into a raw zone, parses and normalizes in chunks
(a thread, or a local Dask cluster of two single-threaded workers), finalizes `hub_repos`,
builds `hub_lineage`, validates both and publishes a snapshot. Printed: wall time, peak RSS
(the run's process; with Dask also its largest worker), rows per second, the 2M/200k time
ratio, the Dask speedup, and a census killed halfway (SIGKILL) then resumed.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ai_landscape.publish.warehouse import open_store  # noqa: E402
from ai_landscape.settings import REPLAY_DIR  # noqa: E402
from ai_landscape.sources.huggingface.census_constants import CENSUS_URL, PAGE_SIZE  # noqa: E402

PATH_AND_QUERY = CENSUS_URL.removeprefix("https://huggingface.co")
SEED = 20261203


def real_records() -> list[dict]:
    index = json.loads((REPLAY_DIR / "huggingface" / "index.json").read_text("utf-8"))
    paths = [e["path"] for e in index["responses"] if e["path"].startswith("census/")]
    records = []
    for path in paths:
        records += json.loads(gzip.decompress((REPLAY_DIR / "huggingface" / path).read_bytes()))
    return records


def templates() -> list[tuple[bytes, bytes]]:
    """Each real record serialized once around its id: (text before, text after)."""
    out = []
    for record in real_records():
        real_id = record["id"]
        text = json.dumps({**record, "id": "\x00"}, separators=(",", ":")).encode()
        before, after = text.split(b"\\u0000")
        out.append((before + real_id.encode(), after))
    return out


def serve(port_queue, total: int) -> None:
    """The synthetic Hub: page n holds repos n*1000 .. n*1000+999, the same on every call."""
    pool = templates()
    pages = -(-total // PAGE_SIZE)
    counts: dict[int, int] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/stats":
                self._send(json.dumps(counts).encode(), {})
                return
            cursor = parse_qs(urlsplit(self.path).query).get("cursor", ["0"])[0]
            number = int(cursor)
            counts[number] = counts.get(number, 0) + 1
            first = number * PAGE_SIZE
            picks = np.random.default_rng(SEED + number).integers(0, len(pool), PAGE_SIZE)
            rows = [
                pool[p][0] + f"-synthetic-{first + i}".encode() + pool[p][1]
                for i, p in enumerate(picks[: min(PAGE_SIZE, total - first)])
            ]
            headers = {"Content-Type": "application/json"}
            if number + 1 < pages:
                link = f"http://{self.headers['Host']}{PATH_AND_QUERY}&cursor={number + 1}"
                headers["Link"] = f'<{link}>; rel="next"'
            self._send(b"[" + b",".join(rows) + b"]", headers)

        def _send(self, body: bytes, headers: dict) -> None:
            self.send_response(200)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_port)
    server.serve_forever()


def start_server(total: int) -> tuple[multiprocessing.Process, str]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(queue, total), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{queue.get(timeout=120)}"


def stats(base: str) -> dict[int, int]:
    import requests

    return {int(k): v for k, v in requests.get(base + "/stats", timeout=30).json().items()}


# --- one measured run, in its own process ------------------------------------------------------


def child(base: str, warehouse: Path, runner: str) -> dict:
    from ai_landscape.http.client import make_client
    from ai_landscape.pipeline.census.build import build_lineage
    from ai_landscape.pipeline.census.run import run_census
    from ai_landscape.validate.census import validate_census

    seen = datetime.now(UTC)
    times: dict[str, float] = {}
    started = time.perf_counter()
    cluster = client = None
    submit = None
    if runner == "dask":
        from distributed import Client, LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        submit = lambda fn, *args: client.submit(fn, *args, pure=False)  # noqa: E731
        times["dask_startup"] = time.perf_counter() - started
    build = run_census(
        make_client("live", warehouse),
        base + PATH_AND_QUERY,
        warehouse,
        warehouse / "_census" / "bench",
        seen_at=seen,
        submit=submit,
    )
    times["fetch_parse_normalize"] = time.perf_counter() - started - times.get("dask_startup", 0)
    worker_rss = 0.0
    if client is not None:
        worker_rss = max(
            w["metrics"]["memory"] for w in client.scheduler_info()["workers"].values()
        )
        client.close()
        cluster.close()
    t0 = time.perf_counter()
    lineage = build_lineage(build.repos_path, None)
    times["lineage"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    checked = validate_census(build.repos_path, lineage, None)
    times["validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    published = open_store(warehouse).publish(
        {"hub_lineage": lineage},
        created_at=seen,
        info={"bench": "census (synthetic)"},
        files={"hub_repos": build.repos_path},
    )
    times["publish"] = time.perf_counter() - t0
    wall = time.perf_counter() - started
    return {
        "rows": build.rows,
        "pages": build.pages,
        "pages_fetched": build.pages_fetched,
        "lineage_rows": len(lineage),
        "publishable": checked.publishable,
        "snapshot": published.snapshot_id,
        "wall_s": round(wall, 1),
        "stages_s": {k: round(v, 1) for k, v in times.items()},
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "dask_worker_rss_mib_at_end": round(worker_rss / 2**20),
        "rows_per_s": round(build.rows / wall),
        "build": build.info()["seconds"],
    }


def measure(base: str, runner: str, warehouse: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", base, str(warehouse), runner],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def kill_halfway(base: str, total: int, warehouse: Path) -> dict:
    """SIGKILL a census once half its pages are stored; resume; count refetched pages."""
    pages = -(-total // PAGE_SIZE)
    cursor_dir = warehouse / "_raw" / "huggingface" / "census" / "_cursor"
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", base, str(warehouse), "thread"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored = 0
    while stored < pages // 2 and process.poll() is None:
        time.sleep(0.2)
        files = list(cursor_dir.glob("*.jsonl"))
        stored = len(files[0].read_text().splitlines()) if files else 0
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = stats(base)
    resumed = measure(base, "thread", warehouse)
    after = stats(base)
    refetched = sum(1 for n, c in after.items() if n < stored and c > before.get(n, 0))
    return {
        "killed_after_pages": stored,
        "resumed_pages_fetched": resumed["pages_fetched"],
        "done_pages_refetched": refetched,
        "rows": resumed["rows"],
        "resumed_wall_s": resumed["wall_s"],
    }


def stage(result: dict) -> float:
    return result["stages_s"]["fetch_parse_normalize"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200000,2000000")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.child[2])))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    load = os.getloadavg()
    print(f"synthetic Hub census (real records resampled); load average {load[0]:.1f} at start")
    results = {}
    for size in sizes:
        server, base = start_server(size)
        with tempfile.TemporaryDirectory(prefix="census-bench-") as tmp:
            results[size] = measure(base, "thread", Path(tmp) / "wh")
        r = results[size]
        print(
            f"{size:>9,} repos: wall {r['wall_s']:.1f} s, peak RSS {r['peak_rss_mib']} MiB, "
            f"{r['rows_per_s']:,} rows/s; stages {r['stages_s']}; lineage {r['lineage_rows']} "
            f"rows; valid {r['publishable']}"
        )
        if size == sizes[0] and not args.no_dask:
            with tempfile.TemporaryDirectory(prefix="census-bench-") as tmp:
                d = measure(base, "dask", Path(tmp) / "wh")
            print(
                f"{size:>9,} repos on Dask (2 workers): wall {d['wall_s']:.1f} s (of which "
                f"{d['stages_s']['dask_startup']:.1f} s starting the cluster), "
                f"fetch+parse+normalize {d['stages_s']['fetch_parse_normalize']:.1f} s "
                f"(threads: {r['stages_s']['fetch_parse_normalize']:.1f} s); speedup "
                f"{r['wall_s'] / d['wall_s']:.2f}x overall, "
                f"{stage(r) / stage(d):.2f}x"
                f" fetch+parse+normalize; peak RSS {d['peak_rss_mib']} MiB (+ a worker "
                f"{d['dask_worker_rss_mib_at_end']} MiB at the end)"
            )
        if size == sizes[0] and not args.no_kill:
            with tempfile.TemporaryDirectory(prefix="census-bench-") as tmp:
                k = kill_halfway(base, size, Path(tmp) / "wh")
            print(
                f"{size:>9,} repos killed after {k['killed_after_pages']} pages: resumed run "
                f"fetched {k['resumed_pages_fetched']} pages, refetched "
                f"{k['done_pages_refetched']} finished pages, {k['rows']:,} rows, "
                f"{k['resumed_wall_s']:.1f} s"
            )
        server.terminate()
    if len(sizes) == 2:
        small, large = (results[s]["wall_s"] for s in sizes)
        print(
            f"time ratio {sizes[1]:,}/{sizes[0]:,}: {large / small:.2f} "
            f"(linear: {sizes[1] / sizes[0]:.0f})"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
