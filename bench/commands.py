"""Benchmark: how long the read-only commands take, against the floor of their imports.

The floor is `python -c "import pyarrow.parquet, duckdb, typer, rich"`: what reading a
snapshot needs at least. Each command runs in a fresh process against a warehouse holding
two snapshots of real Epoch rows (tests/store_frames.py); medians of REPEAT runs. Target:
`landscape snapshots` within 2x the floor.

    .venv/bin/python bench/commands.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `tests.store_frames`
FLOOR = "import pyarrow.parquet, duckdb, typer, rich"
TARGET_RATIO = 2.0


def wall(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from tests.store_frames import T1, T2, publish, tables

    from ai_landscape.publish.warehouse import open_store

    with tempfile.TemporaryDirectory(prefix="bench-commands-") as folder:
        store = open_store(Path(folder) / "warehouse")
        publish(store, tables(2), T1)
        publish(store, tables(3), T2)
        where = ["--warehouse", str(store.root)]
        floor = wall([sys.executable, "-c", FLOOR], args.repeat)
        print(f"floor ({FLOOR}): {floor:.2f} s, median of {args.repeat}")
        cli = [sys.executable, "-m", "ai_landscape.cli"]
        commands = {
            "--help": ["--help"],
            "snapshots": ["snapshots", *where],
            "query": ["query", "select count(*) from models", *where],
            "diff": ["diff", "2025-03-01", *where],
            "history": ["history", "deepseek/deepseek-r1", *where],
            "normalize license": ["normalize", "license", "MIT"],
        }
        ratios = {}
        for name, command in commands.items():
            seconds = wall([*cli, *command], args.repeat)
            ratios[name] = seconds / floor
            print(f"  landscape {name}: {seconds:.2f} s = {ratios[name]:.1f} x the floor")
    ok = ratios["snapshots"] <= TARGET_RATIO
    print(f"snapshots within {TARGET_RATIO:g} x the floor: {'yes' if ok else 'NO'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
