"""Benchmark: announcement detection on labs it never saw (leave one lab out).

REAL rows: the 2,511 hand-labelled items of `data/labels/announcements.csv` (22 labs and
hosts). For each lab, the detector runs on the lab's items with the lab's hand-written brand
and family words withheld; `--cold` also withholds the lab's catalogue families (a lab no
catalogue lists yet). Prints per-lab precision, recall and the share of labelled model names
found, the overall figures, and the seconds taken; `--errors` lists every miss and false
alarm with the rules that fired on it (`evidence`) and the names found.

`--compare` prints, for the rules, the learned classifier (trained without the held-out lab)
and their combinations (`both`, `either`), the leave-one-lab-out figures and those on the
held-out vintages of `data/labels/holdout/` (trained on every label), per file and overall
(normalize/announcement_scoring.py; about 3 min).

    .venv/bin/python bench/announcements.py [--cold] [--errors] [--compare]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from ai_landscape.normalize.announcement_evaluation import figures, leave_one_lab_out
from ai_landscape.normalize.announcement_scoring import (
    METHODS,
    holdout_scored,
    leave_one_lab_out_learned,
)

COLUMNS = ["items", "tp", "fp", "fn", "precision", "recall", "n_names", "n_found"]


def compare() -> None:
    """Every method, leaving one lab out and on each held-out file."""
    rows = []
    for method in METHODS:
        lolo = figures(leave_one_lab_out_learned(method)).loc[["all labs"]]
        held = holdout_scored(method)
        per_file = figures(held.assign(lab=held["holdout"]))
        rows.append(lolo.assign(method=method, measure="leave one lab out"))
        rows.append(per_file.assign(method=method, measure="held-out vintages"))
    table = pd.concat(rows).reset_index(names="set")
    table[["precision", "recall"]] = table[["precision", "recall"]].round(3)
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(table[["method", "measure", "set", *COLUMNS]].to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="withhold catalogue families too")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    parser.add_argument("--compare", action="store_true", help="rules vs classifier, held out")
    args = parser.parse_args()
    if args.compare:
        started = time.perf_counter()
        compare()
        print(f"compared in {time.perf_counter() - started:.1f} s")
        return
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
