"""Benchmark: a replay refresh against the floor of reading its inputs.

The floor reads every replay input the way the cheapest script would (the 3 Epoch CSVs with
pandas, the OpenRouter and Hub JSON with `json`, the models.dev bundle with tarfile+tomllib,
the 31 recorded feeds with feedparser) and writes one parquet file. The refresh is
`landscape run --mode replay` (its task runner too) into a new warehouse, in a child process:
its stages as the run summary times them, the time before the flow's first stage (imports,
Prefect's engine and, without PREFECT_API_URL, its temporary server) and the time to exit,
apart. The figure that matters is stage work / floor (target: at most 5).

    .venv/bin/python bench/run.py [--repeat N]

With PREFECT_API_URL set (a running `prefect server start`, as under `make deploy`), the
child uses that server and starts none.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPLAY = ROOT / "data" / "replay"
TARGET_RATIO = 5.0


def floor(out: Path) -> float:
    """Read every replay input once and write one parquet file; seconds (imports included)."""
    started = time.perf_counter()
    cpu = time.process_time()
    import feedparser
    import pandas as pd

    frames = [pd.read_csv(p) for p in sorted((REPLAY / "epoch").glob("*.csv"))]
    json.loads((REPLAY / "openrouter" / "models.json").read_bytes())
    for path in sorted((REPLAY / "huggingface").rglob("*.json")):
        json.loads(path.read_bytes())
    bundle = (REPLAY / "modelsdev" / "models.dev-dev.tar.gz").read_bytes()
    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".toml"):
                tomllib.loads(archive.extractfile(member).read().decode("utf-8"))
    for path in sorted((REPLAY / "feeds").glob("*.xml")):
        feedparser.parse(path.read_bytes())
    pd.concat(frames, ignore_index=True).astype(str).to_parquet(out / "floor.parquet")
    return time.perf_counter() - started, time.process_time() - cpu


def child(warehouse: str) -> None:
    """Run inside the child: import, refresh, and report what the summary timed."""
    started = time.perf_counter()
    from ai_landscape import settings

    settings.configure_runtime()
    from ai_landscape.pipeline.early import start_run_worker

    start_run_worker()  # as `landscape run` does (cli.py)
    from ai_landscape.flow import refresh_landscape
    from ai_landscape.ops.runners import run_task_runner

    stage_cpu = _time_stage_cpu()

    imported = time.perf_counter()
    # The task runner `landscape run --mode replay` gives the flow (cli.py).
    flow = refresh_landscape.with_options(task_runner=run_task_runner("thread", "replay"))
    summary = flow(mode="replay", warehouse=warehouse)
    done = time.perf_counter()
    manifest = json.loads(
        (Path(warehouse) / "_manifests" / f"{summary.snapshot_id}.json").read_text()
    )
    print(
        json.dumps(
            {
                "imports": imported - started,
                "flow": done - imported,
                "stages": summary.seconds,
                "stage_cpu": stage_cpu,
                "status": summary.status,
                "rows": summary.rows,
                "content_sha256": manifest["content_sha256"],
                "end": time.time(),
            }
        )
    )


def _cpu_seconds() -> float:
    """This process's CPU (every thread) and its child processes', ended or running: the run's
    worker process (pipeline/worker.py) does part of its stages' work."""
    own, ended = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    running = sum(_process_cpu(p.pid) for p in multiprocessing.active_children())
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime + running


def _process_cpu(pid: int) -> float:
    """A running process's user + system CPU seconds (/proc/<pid>/stat fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # ended since: counted once it is waited for
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_stage_cpu() -> dict[str, float]:
    """CPU seconds during each stage (`_cpu_seconds`), beside the run summary's wall seconds:
    on a shared machine wall time measures the neighbours as much as the code."""
    import contextlib

    from ai_landscape.pipeline.run import Run

    cpu: dict[str, float] = {}
    timed = Run.stage

    @contextlib.contextmanager
    def stage(self, name: str):
        started = _cpu_seconds()
        with timed(self, name):
            yield
        cpu[name] = _cpu_seconds() - started

    Run.stage = stage
    return cpu


def refresh() -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-run-") as folder:
        env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, wall = time.time(), time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(Path(folder) / "warehouse")],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - wall
        if done.returncode != 0:
            sys.exit(f"the replay refresh failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu"] = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    out["peak_rss"] = after.ru_maxrss / 1024  # MiB: the largest child so far
    out["exit"] = time.time() - out["end"]
    out["startup"] = out["end"] - started - out["flow"] - out["imports"]  # interpreter start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        floors = [
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                    f"from bench.run import floor; from pathlib import Path; "
                    f"print(*floor(Path({folder!r})))",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for _ in range(args.repeat)
        ]
    floor_s = statistics.median(float(f.split()[0]) for f in floors)
    floor_cpu = statistics.median(float(f.split()[1]) for f in floors)
    runs = [refresh() for _ in range(args.repeat)]
    server = (
        "PREFECT_API_URL=" + os.environ["PREFECT_API_URL"]
        if os.environ.get("PREFECT_API_URL")
        else "temporary Prefect server"
    )
    print(
        f"replay refresh, medians of {args.repeat} ({server}); content_sha256 "
        f"{runs[0]['content_sha256'][:12]}..., rows {runs[0]['rows']}"
    )
    print(
        f"  floor (read every replay input, write one parquet): {floor_s:.2f} s "
        f"({floor_cpu:.2f} s CPU)"
    )
    med = {key: statistics.median(r[key] for r in runs) for key in ("wall", "imports", "exit")}
    stages = {s: statistics.median(r["stages"][s] for r in runs) for s in runs[0]["stages"]}
    work = statistics.median(sum(r["stages"].values()) for r in runs)
    engine = statistics.median(r["flow"] - sum(r["stages"].values()) for r in runs)
    before = statistics.median(
        r["startup"] + r["imports"] + r["flow"] - sum(r["stages"].values()) for r in runs
    )
    cpu = statistics.median(r["cpu"] for r in runs)
    print(
        f"  whole command: {med['wall']:.2f} s wall, {cpu:.2f} s CPU, peak RSS "
        f"{max(r['peak_rss'] for r in runs):,.0f} MiB"
    )
    print(
        f"  before and around the flow: {before:.2f} s (imports {med['imports']:.2f} s, "
        f"Prefect engine/server and task bookkeeping {engine:.2f} s)"
    )
    stage_cpu = {s: statistics.median(r["stage_cpu"][s] for r in runs) for s in stages}
    for stage, secs in stages.items():
        print(f"  stage {stage}: {secs:.2f} s ({stage_cpu[stage]:.2f} s CPU)")
    work_cpu = statistics.median(sum(r["stage_cpu"].values()) for r in runs)
    print(
        f"  stage work: {work:.2f} s = {work / floor_s:.1f} x the floor "
        f"(target <= {TARGET_RATIO:g} x); CPU {work_cpu:.2f} s = "
        f"{work_cpu / floor_cpu:.1f} x the floor's CPU"
    )
    print(f"  exit after the flow: {med['exit']:.2f} s")


if __name__ == "__main__":
    main()
