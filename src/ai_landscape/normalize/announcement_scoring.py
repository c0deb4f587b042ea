"""The rules, the learned classifier and their combinations, each measured on labs and vintages
it never saw.

- Leave one lab out: for each lab of the hand labels, the vocabulary loses the lab's own words,
  every labelled item's cues are read with that vocabulary, the classifier is TRAINED on the
  other labs' items only and scores the lab's.
- Held-out vintages (`data/labels/holdout/`): the classifier is trained on every item of
  `announcements.csv` (with the held-out file's lab's words withheld, as for the rules) and
  scores the vintage's items, which no rule or weight was written or fitted from.

Methods: `rules` (the phrasing rules alone), `classifier` (every cue, the rules' among them),
`cues_only` (the classifier without the rules' cues: evidence independent of the rules), and
the rules combined with that one: `both` (an announcement when both say so), `either` (when one
does). The names of an item called an announcement are the names
the extractor found in it (announcements.model_names), whichever method decided.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcement_classifier import (
    THRESHOLD,
    C,
    Classifier,
    explanation,
    item_cues,
    read_weights,
    train,
)
from ai_landscape.normalize.announcement_evaluation import holdout_labels, labels
from ai_landscape.normalize.model_names import vocabulary
from ai_landscape.normalize.once import built_once

METHODS = ("rules", "classifier", "cues_only", "both", "either")
# Cues the rules fire (announcement_cues.py): left out of every method but `classifier`.
RULE_CUES = ("rule:", "rules:")


def method_cues(method: str, fired: list[dict[str, int]]) -> list[dict[str, int]]:
    """The cues `method`'s classifier reads."""
    if method == "classifier":
        return fired
    return [{k: v for k, v in f.items() if not k.startswith(RULE_CUES)} for f in fired]


@cache
def fold_cues(lab: str, cold: bool = False) -> tuple[list[dict[str, int]], pd.DataFrame]:
    """Cues and rule verdicts of every labelled item with `lab`'s words withheld."""
    return item_cues(labels(), vocabulary().without(lab, cold))


def said_by(method: str, rules: pd.Series, probability: np.ndarray) -> pd.Series:
    """The decision of `method` from the rules' verdict and the classifier's probability."""
    learned = pd.Series(probability >= THRESHOLD, index=rules.index)
    decisions = {
        "rules": rules,
        "classifier": learned,
        "cues_only": learned,
        "both": rules & learned,
        "either": rules | learned,
    }
    return decisions[method].astype(bool)


def _scored(table: pd.DataFrame, decided: pd.DataFrame, probability, method: str):
    said = said_by(method, decided["is_model_announcement"], probability)
    return table.assign(
        said=said,
        probability=probability,
        found_names=decided["seen_names"].where(said, pd.Series([[]] * len(said), said.index)),
        rule=decided["rule"],
        evidence=decided["evidence"],
    )


@cache
def leave_one_lab_out_learned(method: str = "classifier", cold: bool = False) -> pd.DataFrame:
    """Each label with what `method` says of it when neither the lab's words nor its items
    were seen: `said`, `probability`, `found_names`, `rule`, `evidence` (same index)."""
    table = labels()
    out = []
    for lab in sorted(table["lab"].unique()):
        fired, decided = fold_cues(lab, cold)
        probability, held = held_out_probability(table, lab, method_cues(method, fired))
        out.append(_scored(table[held], decided[held], probability, method))
    return pd.concat(out).loc[table.index]


def held_out_probability(
    table: pd.DataFrame, lab: str, fired: list[dict[str, int]], c: float = C
) -> tuple[np.ndarray, np.ndarray]:
    """The classifier trained on every labelled item but `lab`'s (cues `fired`, in `table`
    order) and its probability for `lab`'s items; and which rows those are."""
    truth = table["is_model_announcement"].to_numpy()
    held = (table["lab"] == lab).to_numpy()
    classifier = train([f for f, h in zip(fired, held, strict=True) if not h], truth[~held], c)
    return classifier.probability([f for f, h in zip(fired, held, strict=True) if h]), held


@cache
def _holdout_cues(lab: str) -> tuple[list[dict[str, int]], pd.DataFrame]:
    """Cues and rule verdicts of the held-out items of `lab`, its words withheld."""
    table = holdout_labels()
    return item_cues(table[table["lab"] == lab], vocabulary().without(lab))


@cache
def holdout_scored(method: str = "classifier") -> pd.DataFrame:
    """Each held-out vintage item with what `method` says of it, trained on every label."""
    table = holdout_labels()
    truth = labels()["is_model_announcement"].to_numpy()
    out = []
    for lab, held in table.groupby("lab", sort=True):
        fired, _ = fold_cues(lab)
        classifier = train(method_cues(method, fired), truth)
        held_fired, decided = _holdout_cues(lab)
        probability = classifier.probability(method_cues(method, held_fired))
        out.append(_scored(held, decided, probability, method))
    return pd.concat(out).loc[table.index]


def trained_classifier() -> Classifier:
    """The classifier trained on every label with every reference word (what
    scripts/announcement_weights.py writes down)."""
    fired, _ = item_cues(labels(), vocabulary())
    return train(fired, labels()["is_model_announcement"].to_numpy())


@built_once  # read once per process
def shipped_classifier() -> Classifier:
    """The weights `trained_classifier()` learned, as written in data/labels/: what the
    pipeline decides with and `landscape normalize announcement` explains."""
    return read_weights()


def explain_items(items: pd.DataFrame) -> pd.DataFrame:
    """The shipped detector's answer per item (is_model_announcement, model_names, rule,
    evidence) and the classifier's beside it: its probability and the cues that fired with
    their weights (`cues`, strongest first, `(bias)` last)."""
    fired, decided = item_cues(items, vocabulary())
    classifier = shipped_classifier()
    return pd.DataFrame(
        {
            "is_model_announcement": decided["is_model_announcement"],
            "model_names": decided["model_names"].map("; ".join),
            "rule": decided["rule"],
            "evidence": decided["evidence"].map("; ".join),
            "classifier_probability": classifier.probability(fired).round(3),
            "classifier_cues": ["; ".join(cues) for cues in explanation(classifier, fired)],
        },
        index=items.index,
    )
