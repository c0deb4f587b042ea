"""Announcement detection measured on labs it never saw: leave one lab out over every label.

For each of the sixteen labelled labs and hosts, the detector is fitted on the other labs'
labels with that lab's hand-written brand words withheld, then run on its items
(normalize/announcement_evaluation.py). The figures below are those of `bench/announcements.py`
and docs/announcements.md.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from ai_landscape.normalize.announcement_evaluation import (
    figures,
    labels,
    leave_one_lab_out,
    name_found,
)

LAB_ITEMS = {
    "Alibaba": 44,
    "Anthropic": 528,
    "Anysphere": 17,
    "ByteDance": 27,
    "Cohere": 50,
    "DeepSeek": 14,
    "EleutherAI": 5,
    "Google": 110,
    "Groq": 24,
    "Meta AI": 93,
    "Mistral AI": 54,
    "Ollama": 56,
    "OpenAI": 173,
    "Perplexity": 117,
    "Windsurf": 181,
    "xAI": 39,
}
# (true positives, false positives, false negatives) per held-out lab.
PER_LAB = {
    "Alibaba": (33, 1, 6),
    "Anthropic": (22, 3, 1),
    "Anysphere": (1, 0, 0),
    "ByteDance": (9, 0, 0),
    "Cohere": (4, 1, 1),
    "DeepSeek": (11, 0, 0),
    "EleutherAI": (0, 0, 0),
    "Google": (38, 1, 14),
    "Groq": (6, 0, 0),
    "Meta AI": (16, 0, 7),
    "Mistral AI": (21, 0, 5),
    "Ollama": (12, 1, 4),
    "OpenAI": (8, 0, 4),
    "Perplexity": (3, 0, 3),
    "Windsurf": (14, 2, 1),
    "xAI": (13, 1, 3),
}
OVERALL = {"tp": 211, "fp": 10, "fn": 49, "n_names": 280, "n_found": 209}
PRECISION, RECALL, NAMES_FOUND = 0.955, 0.812, 0.746
# The floors issue #15 sets. Precision meets its floor; recall and names found do not yet
# (docs/announcements.md lists what the misses are): the test holds the measured figures
# above, and these floors where they are met, so neither can slip unnoticed.
PRECISION_FLOOR, RECALL_FLOOR, NAMES_FLOOR = 0.95, 0.90, 0.85


@cache
def measured() -> pd.DataFrame:
    return figures(leave_one_lab_out())


def test_labels_cover_sixteen_labs_and_hosts():
    table = labels()
    assert len(table) == 1532
    assert table["is_model_announcement"].sum() == 260
    assert table.groupby("lab").size().to_dict() == LAB_ITEMS


def test_leave_one_lab_out_overall_figures():
    overall = measured().loc["all labs"]
    assert overall[["tp", "fp", "fn", "n_names", "n_found"]].astype(int).to_dict() == OVERALL
    assert round(overall["precision"], 3) == PRECISION
    assert round(overall["recall"], 3) == RECALL
    assert round(overall["names_found"], 3) == NAMES_FOUND
    assert overall["precision"] >= PRECISION_FLOOR


@pytest.mark.xfail(strict=True, reason="issue #15 floors not reached: recall 0.812, names 0.746")
def test_leave_one_lab_out_meets_the_recall_and_names_floors():
    overall = measured().loc["all labs"]
    assert overall["recall"] >= RECALL_FLOOR
    assert overall["names_found"] >= NAMES_FLOOR


def test_leave_one_lab_out_per_lab():
    table = measured().drop(index="all labs")
    got = {lab: tuple(int(v) for v in row) for lab, row in table[["tp", "fp", "fn"]].iterrows()}
    assert got == PER_LAB


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
