"""How well announcement detection does on labs it never saw: leave one lab out.

For each lab of the hand labels (`organization`, canonical), the detector runs on that lab's
items with the lab's hand-written brand and family words withheld (`Vocabulary.without`):
what it would say of a lab nobody wrote rules for, knowing only the catalogues' families and
the shape of a model name. Measured: precision and recall of the decision, and the share of
the labelled model names it extracts. `cold=True` also withholds the lab's catalogue families:
a lab no catalogue lists yet. (The phrasing rules themselves were written while reading the
first eight labs' items; the other eight were labelled after the rules were last changed for
them, so their figures are the cleanest test: docs/announcements.md.)

Used by bench/announcements.py (prints the table) and tests/test_announcement_generalization.py
(asserts the floors); docs/announcements.md reports the figures.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcements import decide
from ai_landscape.normalize.model_names import vocabulary
from ai_landscape.normalize.organizations import canonical_name
from ai_landscape.settings import PROJECT_ROOT

LABELS_CSV = PROJECT_ROOT / "data" / "labels" / "announcements.csv"
# Items of older vintages of replayed feeds, labelled after every rule was written and never
# read while writing one or fitting a weight: the only figures that measure detection itself
# out of sample. One file per feed (data/labels/holdout/PROVENANCE.md).
HOLDOUT_DIR = PROJECT_ROOT / "data" / "labels" / "holdout"
HOLDOUT_CSV = HOLDOUT_DIR / "google_developers_ai_vintages.csv"
LABEL_COLUMNS = (
    "feed",
    "organization",
    "kind",
    "link",
    "title",
    "categories",
    "summary",
    "is_model_announcement",
    "model_names",
    "notes",
)


@cache
def labels() -> pd.DataFrame:
    """The hand labels, checked: known columns, True/False decisions, one row per item; `lab`
    is the canonical organization."""
    return read_labels(LABELS_CSV, LABEL_COLUMNS)


@cache
def holdout_labels() -> pd.DataFrame:
    """Every held-out vintage's labels, file by file in name order (`source_commit`: where each
    item was recorded; `holdout`: the file's name)."""
    columns = (*LABEL_COLUMNS, "source_commit")
    tables = [
        read_labels(path, columns).assign(holdout=path.stem)
        for path in sorted(HOLDOUT_DIR.glob("*.csv"))
    ]
    return pd.concat(tables, ignore_index=True)


def read_labels(path, columns: tuple[str, ...]) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if tuple(table.columns) != columns:
        raise ValueError(f"{path}: columns {tuple(table.columns)} != {columns}")
    bad = ~table["is_model_announcement"].isin(["True", "False"])
    if bad.any():
        line = int(np.argmax(bad.to_numpy())) + 2
        raise ValueError(f"{path}:{line}: is_model_announcement is not True or False")
    if table.duplicated(["feed", "link"]).any():
        raise ValueError(f"{path}: an item (feed, link) is labelled twice")
    table["is_model_announcement"] = table["is_model_announcement"] == "True"
    table["lab"] = table["organization"].map(canonical_name)
    return table


def leave_one_lab_out(cold: bool = False, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each label (of `table`, by default `labels()`) with what the detector says of it
    without its lab's own words: `said`, `found_names`, `rule`, `evidence` (same index)."""
    table = labels() if table is None else table
    out = []
    for lab, held in table.groupby("lab", sort=True):
        found = decide(held, vocabulary().without(lab, cold))
        out.append(
            held.assign(
                said=found["is_model_announcement"],
                found_names=found["model_names"],
                rule=found["rule"],
                evidence=found["evidence"],
            )
        )
    return pd.concat(out).loc[table.index]


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", " ", name.lower()).strip()


def name_found(label: str, found: list[str]) -> bool:
    """A labelled name is found when an extracted name equals it ignoring case, spaces and
    hyphens, or one ends with the other at a word boundary (`Claude Opus 4.7` / `Opus 4.7`)."""
    want = _key(label)
    for name in map(_key, found):
        if name == want or name.endswith(" " + want) or want.endswith(" " + name):
            return True
    return False


def figures(decided: pd.DataFrame) -> pd.DataFrame:
    """Per lab and overall: items, announcements, TP, FP, FN, precision, recall, labelled
    names, names found and their share. Names count on every labelled announcement (a
    missed announcement's names are not found)."""
    truth, said = decided["is_model_announcement"], decided["said"]
    rows = decided.assign(
        tp=truth & said,
        fp=~truth & said,
        fn=truth & ~said,
        names=decided["model_names"].str.split(";").map(lambda n: [x for x in n if x]),
    )
    rows["n_names"] = rows["names"].str.len().where(truth, 0)
    rows["n_found"] = [
        sum(name_found(n, found) for n in names) if t and s else 0
        for names, found, t, s in zip(rows["names"], rows["found_names"], truth, said, strict=True)
    ]
    sums = ["tp", "fp", "fn", "n_names", "n_found"]
    per_lab = rows.groupby("lab")[sums].sum()
    per_lab.loc["all labs"] = per_lab.sum()
    per_lab.insert(0, "items", rows.groupby("lab").size().reindex(per_lab.index))
    per_lab.loc["all labs", "items"] = len(rows)
    per_lab["precision"] = per_lab["tp"] / (per_lab["tp"] + per_lab["fp"])
    per_lab["recall"] = per_lab["tp"] / (per_lab["tp"] + per_lab["fn"])
    per_lab["names_found"] = per_lab["n_found"] / per_lab["n_names"]
    return per_lab


def precision_recall_at(
    probability: np.ndarray, truth: np.ndarray, threshold: float
) -> tuple[float, float, int]:
    """Precision, recall and true positives of calling every item at or above `threshold` an
    announcement (precision 0 when none is)."""
    truth = np.asarray(truth, dtype=bool)
    said = probability >= threshold
    tp = int((said & truth).sum())
    return tp / max(int(said.sum()), 1), tp / int(truth.sum()), tp


def best_recall(
    probability: np.ndarray, truth: np.ndarray, precision: float
) -> tuple[float, float | None]:
    """The highest recall of any probability threshold (0.05 to 0.99, by 0.01) whose precision
    is at least `precision`, and that threshold (None, recall 0, when none reaches it): what a
    learned detector can offer at issue #15's precision, however its threshold is set."""
    best: tuple[float, float | None] = (0.0, None)
    for threshold in np.round(np.arange(0.05, 1.0, 0.01), 2):
        reached, recall, tp = precision_recall_at(probability, truth, threshold)
        if tp and reached >= precision and recall > best[0]:
            best = (recall, float(threshold))
    return best
