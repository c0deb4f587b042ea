"""Benchmark: how each stage grows with the catalogue, in time and peak memory.

SYNTHETIC rows: every real replay dataset (Epoch, models.dev, the Hub, OpenRouter, the 14
feeds; 3,683 records) parsed and normalized once, then copied COPIES times. Each copy is a
world of its own, renamed as in `bench/resolve.py` (`Meta AI` -> `Meta AI worldr`, model ids
and Hub repos under `-17`), so resolution sees the real mix of links, names and near-names at
COPIES times the size; each copy's parsed records are the real ones. Each size runs in a
fresh process: stage times, and the process's peak RSS after each stage.

    .venv/bin/python bench/scale.py [--copies 1,10,100]

The growth target (x10 -> x100 <= 12) is judged on each stage's CPU time, as bench/resolve.py
judges its target: on 2 cores shared with other workers, wall time measures the load as much as
the code, and the two sizes run minutes apart.

Stages: normalize (every dataset's normalizer and the reference tables over the copied
records, the feeds' announcements detected in one pass as the flow's ingest does), resolve
(`build_tables`: resolution, merge, conflicts, events, source_records), validate (the gate
and Data Docs), publish (finalize and the parquet store).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `tests.replay_values`, `bench.resolve`
MAX_RATIO = 12.0  # a stage's 10x -> 100x growth; 10 is linear
MAX_RSS_MIB_AT_100 = 3 * 1024  # peak RSS of the x100 run (issue #17)
SEEN_AT = datetime(2026, 11, 29, tzinfo=UTC)
FEEDS = "feeds"
# Each source's record key (the records suites' key_unique / key_nearly_unique column).
RECORD_KEYS = {
    "epoch": "Model",
    "feeds": "guid",
    "huggingface": "id",
    "modelsdev": "id",
    "openrouter": "id",
}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """The process's CPU time (all threads): a stage's work whatever the neighbours' load."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mib() -> float:
    """The process's resident memory now: what a stage left held (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def copies_of(result, copies: int):
    """One dataset's records and candidates, COPIES renamed worlds (records stay real)."""
    import pandas as pd
    from bench.resolve import synthetic

    records = pd.concat(
        [
            result.records.assign(_row=result.records["_row"] + i * len(result.records)).pipe(
                _renamed_keys, result.request.source, i
            )
            for i in range(copies)
        ],
        ignore_index=True,
    )
    candidates = synthetic(result.candidates, copies)
    return replace(result, records=records, candidates=candidates)


def _renamed_keys(records, source: str, i: int):
    """Copy i's record keys renamed as its candidates are (`owner/name` -> `owner-i/name`,
    else ` i` appended), so each dataset's own key stays unique across the copies, as the
    records suites expect; copy 0 is the real one."""
    key = RECORD_KEYS[source]
    if i == 0 or key not in records:
        return records
    text = records[key].astype("str")
    parts = text.str.partition("/")
    renamed = (parts[0] + f"-{i}/" + parts[2]).where(parts[1] == "/", text + f" {i}")
    return records.assign(**{key: renamed.where(records[key].notna())})


def child(copies: int) -> None:
    from tests.replay_values import replay_frames

    from ai_landscape.normalize.reference import apply_reference
    from ai_landscape.pipeline.checks import release_records, validate_tables
    from ai_landscape.pipeline.feeds import normalize_feeds
    from ai_landscape.pipeline.finalize import finalize, publish_tables
    from ai_landscape.pipeline.frozen import frozen_before
    from ai_landscape.pipeline.ingest import DatasetResult
    from ai_landscape.pipeline.registry import SOURCES
    from ai_landscape.pipeline.selection import DatasetRequest
    from ai_landscape.pipeline.tables import build_tables
    from ai_landscape.publish.warehouse import open_store

    real = [
        DatasetResult(
            DatasetRequest(source, dataset, ""), "ok", {}, records.assign(_stale=False), candidates
        )
        for source in SOURCES
        for dataset, (records, candidates) in replay_frames(source).items()
    ]
    results = [copies_of(r, copies) for r in real]
    out = {"copies": copies, "records": sum(len(r.records) for r in results), "stages": {}}
    out["start_rss"] = peak_rss_mib()

    def timed(stage, function, *args):
        started, cpu = time.perf_counter(), cpu_seconds()
        with frozen_before():  # as the flow runs each stage (Run.stage)
            value = function(*args)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        out["stages"][stage] = {
            "seconds": seconds,
            "cpu": cpu,
            "rss": peak_rss_mib(),
            "held": rss_mib(),
        }
        return value

    def normalize() -> None:
        """As the flow's ingest stage: each catalogue dataset normalized alone, every feed's
        items in one pass (`normalize_feeds`), whose announcements `build_tables` reuses. The
        feeds' candidates stay the copies' (renamed organizations), as the catalogues' do."""
        feeds = [r for r in results if r.request.source == FEEDS]
        for result in results:
            if result.request.source != FEEDS:
                apply_reference(
                    SOURCES[result.request.source].normalize(result.records, result.request.dataset)
                )
        detected = normalize_feeds([replace(r, candidates=None) for r in feeds])
        for result, normalized in zip(feeds, detected, strict=True):
            result.announcements = normalized.announcements

    timed("normalize", normalize)
    tables = timed("resolve", build_tables, results, {}, None, SEEN_AT)
    out["models"] = len(tables["models"])
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder:
        work = Path(folder)
        checked = timed("validate", validate_tables, tables, results, None, "bench", work)
        out["publishable"] = checked.publishable
        out["blocking"] = checked.blocking
        # What the flow holds from here (flow.py, Run.record_validation): the gate's tables,
        # the candidates, not the parsed records nor the tables before the gate.
        release_records(results)
        del tables
        timed(
            "publish",
            lambda: publish_tables(
                open_store(work / "warehouse"), finalize(checked.tables), SEEN_AT, {"mode": "bench"}
            ),
        )
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,10,100")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    runs = []
    for copies in (int(c) for c in args.copies.split(",")):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(copies)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"x{copies}: FAILED\n{done.stderr[-2000:]}")
            continue
        run = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append(run)
        print(
            f"SYNTHETIC x{copies}: {run['records']:,} records -> {run['models']:,} models, "
            f"publishable {run['publishable']}; RSS before the stages {run['start_rss']:,.0f} MiB"
        )
        for stage, figures in run["stages"].items():
            print(
                f"  {stage}: {figures['seconds']:.2f} s ({figures['cpu']:.2f} s CPU), "
                f"peak RSS {figures['rss']:,.0f} MiB, "
                f"RSS after it {figures['held']:,.0f} MiB"
            )
        for message in run["blocking"]:  # why a synthetic world would not publish
            print(f"  blocking: {message[:300]}")
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    by = {r["copies"]: r for r in runs}
    ok = len(runs) == len(args.copies.split(","))
    if 100 in by:
        peak = max(f["rss"] for f in by[100]["stages"].values())
        ok &= peak <= MAX_RSS_MIB_AT_100
        print(f"  x100 peak RSS {peak:,.0f} MiB (target <= {MAX_RSS_MIB_AT_100:,} MiB)")
    for low, high in ((1, 10), (10, 100)):
        if low in by and high in by:
            for stage in by[high]["stages"]:
                high_stage, low_stage = by[high]["stages"][stage], by[low]["stages"][stage]
                wall = high_stage["seconds"] / low_stage["seconds"]
                ratio = high_stage["cpu"] / low_stage["cpu"]
                ok &= ratio <= MAX_RATIO or low == 1
                print(f"  {stage} x{low} -> x{high}: {ratio:.1f}x the CPU time ({wall:.1f}x wall)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
