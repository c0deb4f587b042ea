"""How well announcement detection does on labs it never saw: leave one lab out.

For each lab of the hand labels (`organization`, canonical), a detector is fitted on the other
labs' labels, with the held-out lab's hand-written brand and family words withheld
(`Vocabulary.without`), and run on the held-out lab's items: precision and recall of the
decision, and the share of the labelled model names it extracts. `cold=True` also withholds
the lab's families from the catalogues: a lab nobody has catalogued yet.

Used by bench/announcements.py (prints the table) and tests/test_announcement_generalization.py
(asserts the floors); docs/announcements.md reports the figures.
"""

from __future__ import annotations

import re

import pandas as pd

from ai_landscape.normalize.announcement_classifier import fit, labels
from ai_landscape.normalize.announcements import decide
from ai_landscape.normalize.model_names import vocabulary


def leave_one_lab_out(cold: bool = False) -> pd.DataFrame:
    """Each label with what a detector that never saw its lab says: `said`, `score`,
    `found_names`, `rule`, `evidence` (same index as `labels()`)."""
    table = labels()
    out = []
    for lab, held in table.groupby("lab", sort=True):
        rest = table[table["lab"] != lab]
        detector = fit(rest, rest["is_model_announcement"], vocabulary().without(lab, cold))
        found = decide(held, detector)
        out.append(
            held.assign(
                said=found["is_model_announcement"],
                score=found["score"],
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
