"""Which feed items announce a model: a logistic regression over named features, trained at
run time from the hand labels in `data/labels/announcements.csv`.

Why learned, and why this small: hand-ordered rules kept their precision on labs they were not
written for but found fewer than half of those labs' announcements; weights fitted on sixteen
labs' items generalize better, and a linear model over 0/1 features stays explainable: an
item's score is the sum of the weights of the features that fired, and the `evidence` column
lists them. No model file is shipped: the labels and this code are the model, fitted in well
under a second with a fixed solver, so every run (and every reader) gets the same weights.

`leave_one_lab_out` is the honest measure (bench/announcements.py, docs/announcements.md): for
each lab, fit on the other labs' labels with that lab's hand-written words withheld, then
predict its items.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from ai_landscape.config import PROJECT_ROOT
from ai_landscape.normalize.announcement_features import features
from ai_landscape.normalize.model_names import Vocabulary, vocabulary
from ai_landscape.normalize.organizations import canonical_name

LABELS_CSV = PROJECT_ROOT / "data" / "labels" / "announcements.csv"
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
THRESHOLD = 0.5
# Strong regularization: a feature seen on one lab should not decide for the next one.
_C = 0.5


@cache
def labels() -> pd.DataFrame:
    """The hand labels, checked: known columns, True/False decisions, one row per item."""
    table = pd.read_csv(LABELS_CSV, dtype=str, keep_default_na=False)
    if tuple(table.columns) != LABEL_COLUMNS:
        raise ValueError(f"{LABELS_CSV}: columns {tuple(table.columns)} != {LABEL_COLUMNS}")
    bad = ~table["is_model_announcement"].isin(["True", "False"])
    if bad.any():
        raise ValueError(f"{LABELS_CSV}:{int(np.argmax(bad)) + 2}: is_model_announcement not True/False")
    if table.duplicated(["feed", "link"]).any():
        raise ValueError(f"{LABELS_CSV}: an item (feed, link) is labelled twice")
    table["is_model_announcement"] = table["is_model_announcement"] == "True"
    table["lab"] = table["organization"].map(canonical_name)
    return table


@dataclass(frozen=True)
class Detector:
    vocabulary: Vocabulary
    columns: tuple[str, ...]
    weights: np.ndarray
    intercept: float

    def score(self, items: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame, dict]:
        """(probability, contributions per feature, rule captures, text), same index."""
        frame, hits, text = features(items, self.vocabulary)
        contributions = frame[list(self.columns)].astype(float) * self.weights
        logit = contributions.sum(axis=1) + self.intercept
        return 1 / (1 + np.exp(-logit)), contributions, hits, text

    def weight_table(self) -> pd.Series:
        return pd.Series(self.weights, index=list(self.columns)).sort_values()


def fit(items: pd.DataFrame, truth: pd.Series, vocabulary: Vocabulary) -> Detector:
    frame, _, _ = features(items, vocabulary)
    model = LogisticRegression(C=_C, solver="lbfgs", max_iter=2000)
    model.fit(frame.to_numpy(dtype=float), truth.to_numpy(dtype=int))
    return Detector(vocabulary, tuple(frame.columns), model.coef_[0], float(model.intercept_[0]))


@cache
def default_detector() -> Detector:
    """Fitted on every label with every reference word: what the pipeline runs."""
    table = labels()
    return fit(table, table["is_model_announcement"], vocabulary())


def evidence(contributions: pd.DataFrame) -> pd.Series:
    """The features that fired, strongest first, as `name+1.23` (lists, same index)."""
    fired = contributions.stack()
    fired = fired[fired != 0].round(2)
    fired = fired.reindex(fired.abs().sort_values(ascending=False, kind="stable").index)
    text = fired.index.get_level_values(1) + fired.map("{:+.2f}".format).to_numpy()
    grouped = pd.Series(text, index=fired.index.get_level_values(0)).groupby(level=0).agg(list)
    return grouped.reindex(contributions.index).map(lambda v: v if isinstance(v, list) else [])


def leave_one_lab_out(catalogue: bool = False) -> pd.DataFrame:
    """Every label with the decision of a detector that never saw its lab: fitted on the other
    labs, with the held-out lab's hand-written words withheld (and its catalogue families too,
    when `catalogue`). Columns of `labels()` plus `score` and `said`."""
    table = labels()
    out = []
    for lab, held in table.groupby("lab", sort=True):
        rest = table[table["lab"] != lab]
        words = vocabulary().without(lab, catalogue=catalogue)
        detector = fit(rest, rest["is_model_announcement"], words)
        score, _, _, _ = detector.score(held)
        out.append(held.assign(score=score, said=score >= THRESHOLD))
    return pd.concat(out).loc[table.index]
