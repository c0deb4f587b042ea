"""Detection scored on items nobody read while writing the rules, choosing the settings or
fitting the classifier: the third blind set (data/labels/holdout/, PROVENANCE.md there).

The first two blind sets (905 items) were scored once (the classifier: precision 0.839, recall
0.561, names 0.473) and then became training labels (data/labels/vintages/). These 309 items
of feeds of 0xSMW/rss-feeds, Olshansk/rss-feeds and mibuhand/AI-News-Direct were labelled
blind and committed before any detector ran on them; the classifier was retrained on the
enlarged labels (settings as chosen by leaving one lab out) before they were scored, and
neither the rules, the cues nor the settings were changed after. The figures below are the
one scoring.
"""

from __future__ import annotations

import re

from ai_landscape.normalize.announcement_evaluation import (
    figures,
    holdout_labels,
    labels,
    leave_one_lab_out,
)
from ai_landscape.normalize.announcement_scoring import holdout_scored

# file -> (items, announcements, source commits)
FILES = {
    "0xsmw_vintages": (136, 33, 10),
    "mibuhand_vintages": (5, 1, 2),
    "olshansk_vintages": (168, 17, 4),
}
# The rules, each lab's words withheld: file -> (TP, FP, FN, labelled names, names found).
RULES = {
    "0xsmw_vintages": (23, 6, 10, 31, 21),
    "mibuhand_vintages": (1, 0, 0, 1, 1),
    "olshansk_vintages": (10, 3, 7, 19, 11),
    "all labs": (34, 9, 17, 51, 33),
}
# The shipped classifier, trained on every label (the lab's words withheld), likewise.
CLASSIFIER = {
    "0xsmw_vintages": (25, 8, 8, 31, 23),
    "mibuhand_vintages": (1, 0, 0, 1, 1),
    "olshansk_vintages": (15, 2, 2, 19, 16),
    "all labs": (41, 10, 10, 51, 40),
}
COLUMNS = ["tp", "fp", "fn", "n_names", "n_found"]


def _norm(link: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", link.lower()).split("?")[0].rstrip("/")


def test_the_blind_set_is_items_no_label_holds():
    held = holdout_labels()
    counts = held.groupby("holdout").agg(
        items=("link", "size"),
        announcements=("is_model_announcement", "sum"),
        commits=("source_commit", "nunique"),
    )
    got = {name: tuple(int(v) for v in row) for name, row in counts.iterrows()}
    assert got == FILES
    assert (len(held), int(held["is_model_announcement"].sum())) == (309, 51)
    assert not set(held["link"].map(_norm)) & set(labels()["link"].map(_norm))


def test_the_rules_on_the_blind_set():
    decided = leave_one_lab_out(table=holdout_labels())
    table = figures(decided.assign(lab=decided["holdout"]))
    got = {name: tuple(int(v) for v in row) for name, row in table[COLUMNS].iterrows()}
    assert got == RULES
    overall = table.loc["all labs"]
    assert [round(float(overall[k]), 3) for k in ("precision", "recall", "names_found")] == [
        0.791,
        0.667,
        0.647,
    ]


def test_the_shipped_classifier_on_the_blind_set():
    """Precision 0.804, recall 0.804, names 0.784: better than the rules in all three, short of
    issue #15's targets. Its ten false alarms, checked by hand: four are xAI's own models
    reaching a partner's platform (labelled not an announcement by the rules' second
    exclusion), two are posts about a model announced in another item, one a mode of a model
    already there."""
    scored = holdout_scored("classifier")
    table = figures(scored.assign(lab=scored["holdout"]))
    got = {name: tuple(int(v) for v in row) for name, row in table[COLUMNS].iterrows()}
    assert got == CLASSIFIER
    overall = table.loc["all labs"]
    assert [round(float(overall[k]), 3) for k in ("precision", "recall", "names_found")] == [
        0.804,
        0.804,
        0.784,
    ]
    false_alarms = scored[scored["said"] & ~scored["is_model_announcement"]]
    assert false_alarms["title"].tolist() == [
        "Meet Mistral AI: Episode 1, Arthur Mensch",
        "Grok 4.6 on Vertex AI",
        "Grok 4.6 on Amazon Bedrock",
        "Grok 4.6 in GitHub Copilot",
        "Grok 4.5 in GitHub Copilot",
        "Advancing science and math with GPT-5.2",
        "Sora 2 System Card",
        "Introducing upgrades to Codex",
        "Windsurf Next 1.9544.1029",  # Claude Opus 4.6's fast mode
        "Windsurf Next 1.6.116",  # App Deploys (Wave 6)
    ]
    missed = scored[~scored["said"] & scored["is_model_announcement"]]
    assert missed["title"].tolist() == [
        "Introducing Shieldstral.",
        "Introducing Robostral Navigate",
        "MathΣtral",
        "Au Large",
        "Mixtral of experts",
        "Introducing GPT-Live",
        "Introducing gpt-oss-safeguard",
        "Introducing gpt-realtime and Realtime API updates for production voice agents",
        "Windsurf Next 1.9566.1015",  # Phoenix Alpha
        "Windsurf Next 1.9.100",  # the SWE-1 family
    ]
