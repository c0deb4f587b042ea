"""A small learned announcement classifier: logistic regression over named cues.

Trained from the hand labels (`data/labels/announcements.csv`) by this code; deterministic
(L-BFGS, which draws no random numbers, over cues sorted by name), so two trainings learn the
same weights. A run does not train: it reads the weights that training wrote as plain text,
one cue a row (`data/labels/announcement_weights.csv`, written by
`scripts/announcement_weights.py`; a test trains again and fails when the file is stale), so a
refresh pays neither scikit-learn's import nor the labels' cues (about 4 s of CPU when there
were 1,606 labels).
A decision is explained by the cues that fired on the item (announcement_cues.py) and their
weights, which sum with the intercept to the item's log-odds.

How it compares with the phrasing rules, leaving one lab out and on held-out vintages, is in
docs/announcements.md (bench/announcements.py prints it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcement_cues import cues
from ai_landscape.normalize.model_names import Vocabulary
from ai_landscape.settings import DATA_DIR

# Inverse regularization strength and the probability above which an item is an announcement,
# chosen by leaving one lab out over the labels (never on the held-out vintages).
# (C 0.1 to 10, class weights none or balanced, threshold 0.3 to 0.7: the best F1, 0.923.)
C = 3.0
CLASS_WEIGHT = "balanced"
THRESHOLD = 0.5


WEIGHTS_CSV = DATA_DIR / "labels" / "announcement_weights.csv"
BIAS = "(bias)"


@dataclass(frozen=True)
class Classifier:
    """A fitted logistic regression as what it is: one weight per cue (sorted by cue) and an
    intercept."""

    weights: pd.Series
    intercept: float

    @cached_property
    def _lookup(self) -> dict[str, float]:
        return self.weights.to_dict()

    def log_odds(self, fired: list[dict[str, int]]) -> np.ndarray:
        lookup = self._lookup
        return np.array(
            [self.intercept + sum(lookup.get(k, 0.0) * v for k, v in f.items()) for f in fired],
            dtype=float,
        )

    def probability(self, fired: list[dict[str, int]]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(fired)))

    def explain(self, fired: dict[str, int], top: int | None = 8) -> list[tuple[str, float]]:
        """The cues that fired on one item and the classifier knows, strongest first, with
        their weights; the intercept last (`(bias)`). All of them (`top=None`) sum to the
        item's log-odds."""
        weights = self.weights
        known = [(name, float(weights[name])) for name in fired if name in weights.index]
        known.sort(key=lambda nw: (-abs(nw[1]), nw[0]))
        return [*known[:top], (BIAS, self.intercept)]


def train(fired: list[dict[str, int]], truth: np.ndarray, c: float = C) -> Classifier:
    """Fit on cues and hand labels; the same input gives the same weights. `c`: the inverse
    regularization strength (the shipped C unless a bench tries another). (scikit-learn is
    imported here: only training, the tests and the benches need it.)"""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(fired)
    model = LogisticRegression(C=c, class_weight=CLASS_WEIGHT, solver="lbfgs", max_iter=5000)
    model.fit(x, np.asarray(truth, dtype=bool))
    weights = pd.Series(model.coef_[0], index=vectorizer.get_feature_names_out(), name="weight")
    return Classifier(weights, float(model.intercept_[0]))


def write_weights(classifier: Classifier, path: Path = WEIGHTS_CSV) -> None:
    """The intercept first (`(bias)`), then every cue; floats as Python writes them exactly."""
    rows = [(BIAS, classifier.intercept), *classifier.weights.items()]
    frame = pd.DataFrame(rows, columns=["cue", "weight"])
    frame["weight"] = frame["weight"].map(repr)
    frame.to_csv(path, index=False, lineterminator="\n")


def read_weights(path: Path = WEIGHTS_CSV) -> Classifier:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != ["cue", "weight"] or frame.empty or frame["cue"].iloc[0] != BIAS:
        raise ValueError(f"{path}: not a weights file (cue,weight; {BIAS} first)")
    weights = pd.Series(frame["weight"].iloc[1:].map(float).to_numpy(), index=frame["cue"].iloc[1:])
    return Classifier(weights.rename("weight"), float(frame["weight"].iloc[0]))


def item_cues(items: pd.DataFrame, words: Vocabulary) -> tuple[list[dict[str, int]], pd.DataFrame]:
    """The cues of each item and the rules' verdict they were read from."""
    from ai_landscape.normalize.announcements import decide

    decided = decide(items, words)
    return cues(items, words, decided), decided


def explanation(classifier: Classifier, fired: list[dict[str, int]]) -> list[list[str]]:
    """Per item, `cue=weight` for the cues that decided it (announcements' `evidence`)."""
    return [[f"{name}={weight:+.2f}" for name, weight in classifier.explain(f)] for f in fired]
