"""The learned announcement classifier: reproducible, explainable, and measured against the
rules where neither was fitted (normalize/announcement_scoring.py, docs/announcements.md)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcement_classifier import train
from ai_landscape.normalize.announcement_evaluation import figures, labels
from ai_landscape.normalize.announcement_scoring import (
    METHODS,
    fold_cues,
    holdout_scored,
    leave_one_lab_out_learned,
    shipped_classifier,
    trained_classifier,
)
from ai_landscape.normalize.announcement_table import SHIPPED_METHOD

COLUMNS = ["tp", "fp", "fn", "n_names", "n_found"]
# Leaving one lab out (the classifier trained without the lab): TP, FP, FN, names, found.
# Over the 2,511 labels (the first two blind sets among them); on the 1,606 before them:
# rules 269 / 13 / 28 / 323 / 278, classifier 268 / 16 / 29 / 323 / 278.
LOLO = {
    "rules": (342, 28, 94, 469, 344),
    "classifier": (340, 42, 96, 469, 337),
    "cues_only": (309, 196, 127, 469, 307),
    "both": (270, 11, 166, 469, 283),
    "either": (381, 213, 55, 469, 368),
}
# On the 309 items of the third blind set (trained on every label), scored once.
HOLDOUT = {
    "rules": (34, 9, 17, 51, 33),
    "classifier": (41, 10, 10, 51, 40),
    "cues_only": (39, 18, 12, 51, 37),
    "both": (29, 5, 22, 51, 30),
    "either": (44, 22, 7, 51, 40),
}


def _row(table: pd.DataFrame) -> tuple[int, ...]:
    return tuple(int(v) for v in figures(table).loc["all labs", COLUMNS])


def test_every_method_left_one_lab_out():
    assert {m: _row(leave_one_lab_out_learned(m)) for m in METHODS} == LOLO


def test_every_method_on_the_blind_set():
    assert {m: _row(holdout_scored(m)) for m in METHODS} == HOLDOUT


def test_the_shipped_method_on_the_blind_set():
    """What ships (announcement_table.SHIPPED_METHOD, the classifier) was chosen on the first
    blind sets: the best F1 among the methods whose precision there was no lower than the
    rules'. On the third blind set, scored once after it was chosen, the same criterion still
    picks it (F1 0.804 at precision 0.804, the rules' 0.791); `either` has the best recall
    (0.863) at precision 0.667 and `both` the best precision (0.853) at recall 0.569."""

    def f1(tp, fp, fn, *_):
        return 2 * tp / (2 * tp + fp + fn)

    def precision(tp, fp, *_):
        return tp / (tp + fp)

    floor = precision(*HOLDOUT["rules"])
    eligible = [m for m in METHODS if precision(*HOLDOUT[m]) >= floor]
    assert eligible == ["rules", "classifier", "both"]
    assert max(eligible, key=lambda m: f1(*HOLDOUT[m])) == SHIPPED_METHOD == "classifier"
    assert max(METHODS, key=lambda m: f1(*HOLDOUT[m])) == "classifier"


def test_training_is_reproducible():
    fired, _ = fold_cues("Google")
    truth = labels()["is_model_announcement"].to_numpy()
    first, second = train(fired, truth), train(fired, truth)
    assert np.array_equal(first.weights.to_numpy(), second.weights.to_numpy())
    assert first.weights.index.equals(second.weights.index)
    assert first.intercept == second.intercept


def test_the_shipped_weights_are_what_the_labels_teach():
    """A run reads data/labels/announcement_weights.csv instead of training; training on every
    label again gives the same cues and weights (if not: scripts/announcement_weights.py)."""
    shipped, trained = shipped_classifier(), trained_classifier()
    assert len(shipped.weights) == 9174
    assert shipped.weights.index.equals(trained.weights.index)
    assert np.allclose(shipped.weights.to_numpy(), trained.weights.to_numpy(), rtol=0, atol=1e-9)
    assert math.isclose(shipped.intercept, trained.intercept, rel_tol=0, abs_tol=1e-9)


def test_a_run_decides_without_importing_scikit_learn():
    """The weights are data: deciding a feed's items loads no scikit-learn (about 1-2 s)."""
    code = (
        "import sys\n"
        "from ai_landscape.http.client import ReplayClient\n"
        "from ai_landscape.normalize.announcement_table import detect_announcements\n"
        "from ai_landscape.settings import DATA_DIR\n"
        "from ai_landscape.sources.feeds import constants\n"
        "from ai_landscape.sources.feeds.parse import parse_feed\n"
        "body = ReplayClient(DATA_DIR / 'replay').get(constants.URLS['qwen_blog']).body\n"
        "found = detect_announcements(parse_feed(body, 'qwen_blog', 'qwen.xml'))\n"
        "print(len(found), int(found['is_model_announcement'].sum()), 'sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["44", "39", "False"]


def test_an_explanation_sums_to_the_log_odds():
    """Every cue that fired, with its weight, and the intercept add up to the probability."""
    classifier = shipped_classifier()
    item = {"rules:announce": 1, "title:versioned name": 1, "word:introducing": 1}
    parts = classifier.explain(item, top=None)
    assert [name for name, _ in parts] == [
        "rules:announce",
        "word:introducing",
        "title:versioned name",
        "(bias)",
    ]
    log_odds = sum(weight for _, weight in parts)
    assert math.isclose(1 / (1 + math.exp(-log_odds)), classifier.probability([item])[0])
