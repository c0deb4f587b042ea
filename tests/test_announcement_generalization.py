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

from ai_landscape.normalize.announcement_classifier import labels
from ai_landscape.normalize.announcement_evaluation import figures, leave_one_lab_out, name_found


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
