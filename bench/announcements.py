"""Benchmark: announcement detection on labs it never saw (leave one lab out).

REAL rows: the 1,606 hand-labelled items of `data/labels/announcements.csv` (twenty labs and
hosts). For each lab, the detector runs on the lab's items with the lab's hand-written brand
and family words withheld; `--cold` also withholds the lab's catalogue families (a lab no
catalogue lists yet). Prints per-lab precision, recall and the share of labelled model names
found, the overall figures, and the seconds taken; `--errors` lists every miss and false
alarm with the rules that fired on it (`evidence`) and the names found.

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
            columns = ["lab", "is_model_announcement", "title", "evidence", "found_names"]
            print(wrong[columns].to_string())
    print(f"leave-one-lab-out over {len(decided)} labelled items: {elapsed:.1f} s")


if __name__ == "__main__":
    main()
