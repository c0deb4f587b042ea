"""A small learned announcement classifier: logistic regression over named cues.

Trained at first use from the hand labels (`data/labels/announcements.csv`), never loaded from
a stored blob: the labels and this code are the model. Deterministic (L-BFGS, which draws no
random numbers, over cues sorted by name), so two runs learn the same weights. A decision is
explained by the cues that fired on the item (announcement_cues.py) and their learned weights,
which sum with the intercept to the item's log-odds.

How it compares with the phrasing rules, leaving one lab out and on held-out vintages, is in
docs/announcements.md (bench/announcements.py prints it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from ai_landscape.normalize.announcement_cues import cues
from ai_landscape.normalize.model_names import Vocabulary

# Inverse regularization strength and the probability above which an item is an announcement,
# chosen by leaving one lab out over the labels (never on the held-out vintages).
# (C 0.1 to 10, class weights none or balanced, threshold 0.3 to 0.7: the best F1, 0.923.)
C = 3.0
CLASS_WEIGHT = "balanced"
THRESHOLD = 0.5


@dataclass(frozen=True)
class Classifier:
    vectorizer: DictVectorizer
    model: LogisticRegression

    @cached_property
    def weights(self) -> pd.Series:
        """Every cue's learned weight (log-odds per cue), by name."""
        return pd.Series(self.model.coef_[0], index=self.vectorizer.get_feature_names_out())

    def probability(self, fired: list[dict[str, int]]) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform(fired))[:, 1]

    def explain(self, fired: dict[str, int], top: int | None = 8) -> list[tuple[str, float]]:
        """The cues that fired on one item and the classifier knows, strongest first, with
        their weights; the intercept last (`(bias)`). All of them (`top=None`) sum to the
        item's log-odds."""
        weights = self.weights
        known = [(name, float(weights[name])) for name in fired if name in weights.index]
        known.sort(key=lambda nw: (-abs(nw[1]), nw[0]))
        return [*known[:top], ("(bias)", float(self.model.intercept_[0]))]


def train(fired: list[dict[str, int]], truth: np.ndarray) -> Classifier:
    """Fit on cues and hand labels; the same input gives the same weights."""
    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(fired)
    model = LogisticRegression(C=C, class_weight=CLASS_WEIGHT, solver="lbfgs", max_iter=5000)
    model.fit(x, np.asarray(truth, dtype=bool))
    return Classifier(vectorizer, model)


def item_cues(items: pd.DataFrame, words: Vocabulary) -> tuple[list[dict[str, int]], pd.DataFrame]:
    """The cues of each item and the rules' verdict they were read from."""
    from ai_landscape.normalize.announcements import decide

    decided = decide(items, words)
    return cues(items, words, decided), decided


def explanation(classifier: Classifier, fired: list[dict[str, int]]) -> list[list[str]]:
    """Per item, `cue=weight` for the cues that decided it (announcements' `evidence`)."""
    return [[f"{name}={weight:+.2f}" for name, weight in classifier.explain(f)] for f in fired]
