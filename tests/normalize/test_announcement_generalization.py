"""Announcement detection measured on labs it never saw: leave one lab out over every label.

The rules' own figures first (they are one cue of the shipped classifier), then the shipped
detector's, the classifier trained without the held-out lab.

For each of the twenty-two labelled labs and hosts, the detector runs on that lab's items with the
lab's hand-written brand and family words withheld
(normalize/announcement_evaluation.py). The figures below are those of `bench/announcements.py`
and docs/announcements.md.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from ai_landscape.normalize.announcement_evaluation import (
    best_recall,
    figures,
    labels,
    leave_one_lab_out,
    name_found,
)
from ai_landscape.normalize.announcement_scoring import leave_one_lab_out_learned
from ai_landscape.normalize.announcement_table import SHIPPED_METHOD

LAB_ITEMS = {
    "Alibaba": 44,
    "Anthropic": 685,
    "Anysphere": 116,
    "ByteDance": 90,
    "Cohere": 50,
    "DeepSeek": 14,
    "EleutherAI": 5,
    "Google": 218,
    "Groq": 26,
    "Hugging Face": 144,
    "Meta AI": 98,
    "Microsoft": 10,
    "MiniMax": 19,
    "Mistral AI": 58,
    "Moonshot": 9,
    "Ollama": 56,
    "OpenAI": 389,
    "Perplexity": 119,
    "Thinking Machines Lab": 9,
    "Windsurf": 297,
    "Z.ai (Zhipu AI)": 16,
    "xAI": 39,
}
# (true positives, false positives, false negatives) per held-out lab. With the 905 items of the
# first two blind sets among the labels (data/labels/vintages/), the labs they came from are
# measured on far more items than the rules were read against: OpenAI's research posts (216
# more items: GPT-3's paper, CLIP, Jukebox...), Hugging Face's "Welcome X" posts, ByteDance
# Seed's, Windsurf's changelog, Cursor's blog. On the 1,606 labels before them the same rules
# scored 269 / 13 / 28 (0.954, 0.906, names 0.861): scripts/announcement_label_growth.py.
PER_LAB = {
    "Alibaba": (35, 1, 4),
    "Anthropic": (22, 8, 1),
    "Anysphere": (10, 0, 1),
    "ByteDance": (17, 2, 19),
    "Cohere": (5, 1, 0),
    "DeepSeek": (11, 0, 0),
    "EleutherAI": (0, 0, 0),
    "Google": (44, 6, 12),
    "Groq": (6, 0, 1),
    "Hugging Face": (19, 2, 17),
    "Meta AI": (17, 1, 7),
    "Microsoft": (1, 0, 0),
    "MiniMax": (19, 0, 0),
    "Mistral AI": (25, 0, 3),
    "Moonshot": (2, 0, 0),
    "Ollama": (15, 2, 1),
    "OpenAI": (31, 1, 16),
    "Perplexity": (5, 0, 2),
    "Thinking Machines Lab": (0, 0, 0),
    "Windsurf": (28, 3, 9),
    "Z.ai (Zhipu AI)": (15, 0, 0),
    "xAI": (15, 1, 1),
}
OVERALL = {"tp": 342, "fp": 28, "fn": 94, "n_names": 469, "n_found": 344}
PRECISION, RECALL, NAMES_FOUND = 0.924, 0.784, 0.733
# The shipped detector (announcement_table.SHIPPED_METHOD: the classifier) left one lab out,
# trained without the lab: its measured figures. Issue #15's targets beside them: none is met
# over the enlarged labels (on the 1,606 before them: 0.944, 0.902, 0.861, recall and names
# met). The drop is what the old figures hid: the rules had been written while reading those
# labs' items, not these.
SHIPPED_FIGURES = {"precision": 0.89, "recall": 0.78, "names_found": 0.719}
ISSUE_TARGETS = {"precision": 0.95, "recall": 0.90, "names_found": 0.85}
# (true positives, false positives, false negatives) per held-out lab, the shipped detector.
SHIPPED_PER_LAB = {
    **PER_LAB,
    "Anthropic": (22, 12, 1),
    "ByteDance": (19, 2, 17),
    "Google": (41, 4, 15),
    "Hugging Face": (23, 6, 13),
    "Meta AI": (16, 0, 8),
    "Ollama": (15, 1, 1),
    "OpenAI": (32, 12, 15),
    "Windsurf": (22, 2, 15),
    "xAI": (16, 1, 0),
}
# The feeds of issue #15's own examples: the AI blogs of Google (blog.google) and Microsoft,
# the release notes of Z.ai and MiniMax, Moonshot AI's blog. Per feed: (items, TP, FP, FN,
# labelled names, names found), each lab held out.
ISSUE_FEEDS = {
    "google_ai_blog": (20, 0, 0, 0, 0, 0),
    "microsoft_ai_blog": (10, 1, 0, 0, 1, 1),
    "minimax_blog_community": (19, 19, 0, 0, 25, 25),
    "moonshot_blog_community": (9, 2, 0, 0, 2, 2),
    "z_ai_blog_community": (16, 15, 0, 0, 15, 15),
}


@cache
def decided() -> pd.DataFrame:
    return leave_one_lab_out()


@cache
def measured() -> pd.DataFrame:
    return figures(decided())


def test_labels_cover_twenty_two_labs_and_hosts():
    table = labels()
    assert len(table) == 2511
    assert table["is_model_announcement"].sum() == 436
    assert table.groupby("lab").size().to_dict() == LAB_ITEMS


def test_leave_one_lab_out_overall_figures():
    overall = measured().loc["all labs"]
    assert overall[["tp", "fp", "fn", "n_names", "n_found"]].astype(int).to_dict() == OVERALL
    assert round(overall["precision"], 3) == PRECISION
    assert round(overall["recall"], 3) == RECALL
    assert round(overall["names_found"], 3) == NAMES_FOUND


def test_the_shipped_detector_left_one_lab_out_against_the_targets_of_issue_15():
    assert SHIPPED_METHOD == "classifier"
    table = figures(leave_one_lab_out_learned(SHIPPED_METHOD))
    overall = table.loc["all labs"]
    got = {key: round(float(overall[key]), 3) for key in SHIPPED_FIGURES}
    assert got == SHIPPED_FIGURES
    assert {key: got[key] >= target for key, target in ISSUE_TARGETS.items()} == {
        "precision": False,
        "recall": False,
        "names_found": False,
    }
    per_lab = table.drop(index="all labs")[["tp", "fp", "fn"]]
    assert {lab: tuple(int(v) for v in row) for lab, row in per_lab.iterrows()} == SHIPPED_PER_LAB


def test_no_threshold_brings_the_shipped_classifier_to_issue_15s_recall_at_its_precision():
    """The ceiling of docs/announcements.md: at precision 0.95, the best any threshold does
    leaving one lab out is 70.0% recall (at 0.84); the target is 90%."""
    scored = leave_one_lab_out_learned(SHIPPED_METHOD)
    truth = scored["is_model_announcement"].to_numpy()
    recall, threshold = best_recall(scored["probability"].to_numpy(), truth, 0.95)
    assert (round(recall * 436), threshold) == (305, 0.84)
    # Lower the bar and recall rises: 340 of 436 at precision 0.89 (threshold 0.49).
    assert best_recall(scored["probability"].to_numpy(), truth, 0.89) == (340 / 436, 0.49)


def test_leave_one_lab_out_per_lab():
    table = measured().drop(index="all labs")
    got = {lab: tuple(int(v) for v in row) for lab, row in table[["tp", "fp", "fn"]].iterrows()}
    assert got == PER_LAB


def test_the_feeds_of_the_issues_examples():
    items = decided()
    items = items[items["feed"].isin(ISSUE_FEEDS)].assign(lab=lambda t: t["feed"])
    table = figures(items).drop(index="all labs")
    columns = ["items", "tp", "fp", "fn", "n_names", "n_found"]
    got = {feed: tuple(int(v) for v in row) for feed, row in table[columns].iterrows()}
    assert got == ISSUE_FEEDS


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("GLM-5.1", ["GLM-5.1"]),
        ("MiniMax M2.5", ["M2.5", "MiniMax", "MiniMax-M2.5", "M2.5-highspeed"]),
        ("Music-2.6", ["Music-2.6"]),
        ("Speech-02-turbo / Speech-02-hd", ["Speech-02-turbo", "Speech-02-hd", "Speech-02"]),
        ("Kimi K2: Open Agentic Intelligence", ["Kimi K2", "Kimi"]),
        ("MiniMax-Hailuo-2.3 & 2.3-Fast", ["MiniMax-Hailuo-2.3", "MiniMax-Hailuo 2.3-Fast"]),
        (
            "Reasoning reimagined: Introducing Phi-4-mini-flash-reasoning",
            ["Phi-4-mini-flash-reasoning"],
        ),
        ("GLM Slide/Poster Agent(beta)", None),
        ("Coding with Kimi K2: Top 6 Agents & Setup Guides", None),
        ('K2-Vendor-Verifier Now Includes "Kimi K2 Thinking"', None),
        ("Gemini CLI: your open-source AI agent", None),
    ],
)
def test_the_issues_examples_held_out(title, names):
    """The titles issue #15 names, and products beside them, with their lab held out: found
    with these names, or (None) not announcements."""
    row = decided().loc[decided()["title"] == title].iloc[0]
    assert bool(row["said"]) is (names is not None)
    assert row["found_names"] == (names or [])


@pytest.mark.parametrize(
    ("label", "found", "match"),
    [
        ("Opus 4.7", ["Claude Opus 4.7"], True),
        ("Claude Opus 4.7", ["Opus 4.7"], True),
        ("GPT 5.2", ["GPT-5.2"], True),
        ("Qwen3-VL", ["qwen3 vl"], True),
        ("Gemini 2.5 Pro", ["Gemini 2.5"], False),
        ("Llama 3", ["Llama 3.2"], False),
        ("o3", ["o3-mini"], False),
    ],
)
def test_name_matching_rule(label, found, match):
    assert name_found(label, found) is match
