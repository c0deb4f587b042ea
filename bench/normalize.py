"""Benchmark: licence and parameter normalization of 1,000,000 strings each.

SYNTHETIC rows: the real licence strings of `data/replay/` (Epoch's accessibility labels and
notes, Hugging Face card licences and tags, models.dev licences; 2,126 cells, 627 distinct)
and its real parameter strings (Epoch's `Parameters` and `Parameters notes`, the Hub's
`safetensors.total`; 2,232 cells), resampled with replacement so each string keeps its real
frequency. Each column is normalized the way the pipeline does it: distinct values mapped
once, the answers broadcast. The reference table is loaded before timing (once per process);
classifying the distinct strings is timed. Peak memory is measured in a second, traced run.

    .venv/bin/python bench/normalize.py [--rows N] [--seed S]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests.replay_values`

from tests.replay_values import licence_cells, parameter_cells

from ai_landscape.normalize.licenses import aliases, classify_series, rules
from ai_landscape.normalize.quantities import parse_parameters, parse_series

TARGET_SECONDS = 10.0


def synthetic(pool: pd.Series, rows: int, seed: int) -> pd.Series:
    picks = np.random.default_rng(seed).integers(0, len(pool), size=rows)
    return pd.Series(pool.to_numpy()[picks], dtype=object)


def measure(name: str, values: pd.Series, normalize: Callable[[pd.Series], pd.DataFrame]) -> bool:
    started = time.perf_counter()
    out = normalize(values)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    normalize(values)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name}: {len(values):,} rows ({values.nunique():,} distinct) in {seconds:.2f} s"
        f" = {len(values) / seconds:,.0f} rows/s; peak traced memory {peak / 2**20:,.0f} MiB;"
        f" {len(out.columns)} columns out"
    )
    return seconds < TARGET_SECONDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260502)
    args = parser.parse_args()

    rules(), aliases()  # the reference table, read once per process
    licences = synthetic(licence_cells()["text"], args.rows, args.seed)
    params = synthetic(parameter_cells()["text"], args.rows, args.seed + 1)
    print(f"SYNTHETIC inputs: real replay strings resampled to {args.rows:,} rows each")
    ok = measure("licences", licences, classify_series)
    ok &= measure("parameters", params, lambda v: parse_series(v, parse_parameters))
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
    print(f"peak RSS of the process: {peak_rss:,.0f} MiB; target < {TARGET_SECONDS:.0f} s each")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
