"""Benchmark: cross-source resolution of a catalogue 100 times the replay's size.

SYNTHETIC rows: the 4,272 real candidate records of `data/replay/` (Epoch, models.dev, the Hub,
OpenRouter, as the pipeline normalizes them) copied COPIES times, each copy under renamed
organizations and repos (`Meta AI` -> `Meta AI worldr`, a record with no organization ->
`worldr`, `meta-llama/x` -> `meta-llama-17/x`), so every copy is a world of its own with the
real mix of links, names, near-names and blocks: each copy resolves to the same 3,567 models,
and no name matches across copies (tests/resolve/test_bench_worlds.py). The reviewed aliases
name real records only, so copies resolve without them. `resolve`
(links, name matching, naming, base models) and `merge_candidates` are timed.

    .venv/bin/python bench/resolve.py [--copies N]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests.replay_values`

from tests.replay_values import replay_frames

from ai_landscape.pipeline.registry import DATASET_RANK
from ai_landscape.resolve.merge import merge_candidates
from ai_landscape.resolve.resolution import resolve

SOURCES = ("epoch", "modelsdev", "huggingface", "openrouter")
# Resolve + merge of 224,400 records: 9.3 s + 6.7 s on an idle 2-core machine; 21.8 s + 17.6 s
# and, on 2026-12-03 at a load average of 19, 241 s + 328 s of wall time on the shared 2-core
# machines the project runs on (issue #17). Wall time there measures the neighbours, so the
# target is on this process's CPU time, which load does not inflate.
TARGET_CPU_SECONDS = 60.0


def real_candidates() -> pd.DataFrame:
    frames = [c for s in SOURCES for _, c in replay_frames(s).values()]
    return pd.concat(frames, ignore_index=True)


def world_tag(i: int) -> str:
    """Copy i's organization suffix, one word of letters (`worlda`, `worldb`, ... `worldba`):
    an organization's words are dropped from its models' names (`name_keys`), so a number
    would drop itself from copy i's names (`Llama 3` in copy 3), and a short word could be one
    a name holds (`qa` in `paligemma-3b-ft-science-qa`)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    tag = letters[i % 26]
    while i >= 26:
        i //= 26
        tag = letters[i % 26] + tag
    return f"world{tag}"


def synthetic(real: pd.DataFrame, copies: int) -> pd.DataFrame:
    worlds = []
    for i in range(copies):
        world = real.copy()
        tag = world_tag(i)
        world["organizations"] = world["organizations"].map(
            lambda orgs, tag=tag: [f"{o} {tag}" for o in orgs] or [tag]
        )
        if world["model_id"].notna().any():  # feed items name no model before resolution
            parts = world["model_id"].str.partition("/")
            world["model_id"] = (parts[0] + f"-{i}/" + parts[2]).where(world["model_id"].notna())
        world["hf_repo_ids"] = world["hf_repo_ids"].map(
            lambda repos, i=i: [r.replace("/", f"-{i}/", 1) for r in repos]
        )
        world["source_key"] = world["source_key"].astype(str) + f"#{i}"
        world["row"] = world["row"] + i * len(real)
        worlds.append(world)
    frame = pd.concat(worlds, ignore_index=True)
    frame["locator"] = frame["source"] + "." + frame["dataset"] + "#row=" + frame["row"].astype(str)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    real = real_candidates()
    frame = synthetic(real, args.copies)
    print(f"SYNTHETIC: {len(real):,} real records x {args.copies} renamed copies = {len(frame):,}")
    cpu = time.process_time()
    started = time.perf_counter()
    resolved = resolve(frame, DATASET_RANK)
    resolving = time.perf_counter() - started
    started = time.perf_counter()
    models = merge_candidates(
        resolved, rank=DATASET_RANK, previous=None, seen_at=datetime(2026, 11, 29, tzinfo=UTC)
    )
    merging = time.perf_counter() - started
    print(
        f"resolve: {len(frame):,} records -> {resolved['model_id'].nunique():,} models in "
        f"{resolving:.2f} s = {len(frame) / resolving:,.0f} records/s"
    )
    cpu = time.process_time() - cpu
    print(f"merge: {len(models):,} models in {merging:.2f} s")
    print(f"resolve + merge: {cpu:.2f} s of CPU (target {TARGET_CPU_SECONDS:.0f} s)")
    if cpu > TARGET_CPU_SECONDS:
        sys.exit(f"slower than the {TARGET_CPU_SECONDS:.0f} s CPU target")


if __name__ == "__main__":
    main()
