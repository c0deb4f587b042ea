"""Benchmark: announcement detection on labs it never saw (leave one lab out).

REAL rows: the 1,532 hand-labelled items of `data/labels/announcements.csv` (sixteen labs and
hosts). For each lab, the detector is fitted on the other labs' labels with the lab's
hand-written brand words withheld, then run on its items; `--cold` also withholds the lab's
catalogue families (a lab no catalogue lists yet). Prints per-lab precision, recall and the
share of labelled model names found, the overall figures, and the seconds taken.

    .venv/bin/python bench/announcements.py [--cold] [--errors]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from ai_landscape.normalize.announcement_evaluation import figures, leave_one_lab_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="withhold catalogue families too")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    started = time.perf_counter()
    decided = leave_one_lab_out(cold=args.cold)
    elapsed = time.perf_counter() - started
    table = figures(decided)
    shown = table.assign(
        precision=table["precision"].map("{:.3f}".format),
        recall=table["recall"].map("{:.3f}".format),
        names_found=table["names_found"].map("{:.3f}".format),
    )
    with pd.option_context("display.width", 160, "display.max_rows", 100):
        print(shown.to_string())
        if args.errors:
            wrong = decided[decided["is_model_announcement"] != decided["said"]]
            print(wrong[["lab", "is_model_announcement", "score", "title"]].to_string())
    print(f"leave-one-lab-out over {len(decided)} labelled items: {elapsed:.1f} s")


if __name__ == "__main__":
    main()
