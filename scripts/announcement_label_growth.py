"""Leave-one-lab-out figures per lab, before and after the first blind sets became training data.

Why: issue #15's 905 held-out items (data/labels/vintages/) were scored once and then added to
`data/labels/announcements.csv`. This prints, for the rules and the shipped classifier, the
leave-one-lab-out figures per lab and overall on the training labels as they were before (the
1,606 rows of the labels file at commit b354244, passed as OLD_CSV) and as they are now, so the
effect of the enlarged set is measured on the same terms (every lab held out in turn, its own
words withheld, the classifier trained without its items).

    git show b354244:data/labels/announcements.csv > /tmp/old.csv
    PYTHONPATH=src .venv/bin/python scripts/announcement_label_growth.py /tmp/old.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from ai_landscape.normalize import announcement_evaluation, announcement_scoring

COLUMNS = ["items", "tp", "fp", "fn", "n_names", "n_found", "precision", "recall", "names_found"]


def measured(labels_csv: Path) -> pd.DataFrame:
    """Per lab and overall, the rules and the classifier left one lab out, on `labels_csv`."""
    announcement_evaluation.LABELS_CSV = labels_csv
    for cached in (
        announcement_evaluation.labels,
        announcement_scoring.fold_cues,
        announcement_scoring.leave_one_lab_out_learned,
    ):
        cached.cache_clear()
    tables = {
        method: announcement_evaluation.figures(
            announcement_scoring.leave_one_lab_out_learned(method)
        )[COLUMNS]
        for method in ("rules", "classifier")
    }
    return pd.concat(tables, names=["method", "lab"])


def main(old_csv: str) -> None:
    now = announcement_evaluation.LABELS_CSV
    both = pd.concat(
        {"before": measured(Path(old_csv)), "after": measured(now)}, names=["labels"]
    ).round(3)
    with pd.option_context("display.width", 200, "display.max_rows", 300):
        print(both.to_string())


if __name__ == "__main__":
    main(sys.argv[1])
