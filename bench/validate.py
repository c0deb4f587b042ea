"""Benchmark: Great Expectations validation of a 1,000,000-row models table.

SYNTHETIC rows: real `models` rows of the recorded Epoch replay (1,355 models), resampled with
replacement so every column keeps its real distribution and each row stays internally
consistent (access vs openness, compute vs large_scale); `model_id` and `name` get a ` #<n>`
suffix so they are as distinct as in a real table. The frame is built the way the pipeline
holds models (list columns as Python lists, release_date as `datetime.date`). GX is imported
and warmed up on the real rows first, so the figure is validation time, not start-up.

    .venv/bin/python bench/validate.py [--rows N] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `tests.real_frames`

from tests.real_frames import replay_models

from ai_landscape.validate.gate import gate
from ai_landscape.validate.gx_runner import validate_frame

SUITES = ("models", "models_country_codes")


def synthetic_models(rows: int, seed: int) -> pd.DataFrame:
    real = replay_models()
    picks = np.random.default_rng(seed).integers(0, len(real), size=rows)
    frame = real.iloc[picks].reset_index(drop=True)
    suffix = "#" + pd.Series(pd.RangeIndex(rows).astype(str))
    frame["model_id"] = frame["model_id"] + suffix
    frame["name"] = frame["name"] + " " + suffix  # as many distinct names as a real table
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260502)
    args = parser.parse_args()

    for suite in SUITES:  # import GX, build its context and the custom expectations
        validate_frame(replay_models(), suite)
    t0 = time.perf_counter()
    frame = synthetic_models(args.rows, args.seed)
    built = time.perf_counter() - t0
    print(
        f"SYNTHETIC models table: {len(frame):,} rows resampled from {len(replay_models()):,}"
        f" real replay models (built in {built:.1f} s, not timed below)"
    )
    total = 0.0
    for suite in SUITES:
        t0 = time.perf_counter()
        report = validate_frame(frame, suite)
        seconds = time.perf_counter() - t0
        total += seconds
        failed = ", ".join(f"{f.name} ({f.severity})" for f in report.failed) or "none"
        print(
            f"  suite {suite}: {report.evaluated} expectations on {report.rows:,} rows "
            f"in {seconds:.2f} s; failed: {failed}"
        )
    print(f"validation: {total:.2f} s, {len(frame) / total:,.0f} rows/s (synthetic data)")
    t0 = time.perf_counter()
    result = gate({"models": frame}, {}, {}, "bench")
    seconds = time.perf_counter() - t0
    print(
        f"whole gate (views, both suites, quarantine split): {seconds:.2f} s, "
        f"{len(frame) / seconds:,.0f} rows/s; publishable: {result.publishable}"
    )


if __name__ == "__main__":
    main()
