"""Faster announcement rules, the same answers (#17): word lists grouped by first letter
(normalize/alternation.py) match as the flat alternations they replaced, on generated words and
on every real item detection reads, and a rule skips only items it cannot match."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_landscape.normalize import announcement_rules, model_names
from ai_landscape.normalize.alternation import NOTHING, literal_alternation
from ai_landscape.normalize.announcement_classifier import item_cues
from ai_landscape.normalize.announcement_evaluation import holdout_labels, labels
from ai_landscape.normalize.announcement_features import extract_rule, item_text, rule_hits
from ai_landscape.normalize.announcement_rules import NEEDS, compiled
from ai_landscape.normalize.model_names import vocabulary
from tests.sources.test_feeds import ITEMS, parse


def flat(words, folded: bool = False) -> str:
    """The alternation the groups replaced (model_names before #17)."""
    del folded  # the flat list was used as it is under `(?i)` too
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or NOTHING


def test_words_grouped_by_first_letter():
    assert literal_alternation(["Claude", "Claude Opus", "Cl", "Gemma"]) == (
        r"C(?:laude\ Opus|laude|l)|Gemma"
    )
    assert literal_alternation(["a", "ab"]) == "a(?:b|)"
    assert literal_alternation([]) == NOTHING
    assert literal_alternation([""]) == NOTHING
    assert literal_alternation(["BLOOM", "BloombergGPT"], folded=True) == "b(?:loomberggpt|loom)"


# Few letters, so that words are prefixes of each other and of the text, in both cases.
WORDS = st.lists(st.text("aAb.-", min_size=1, max_size=5), max_size=8, unique=True)
TEXT = st.text("aAb.- 1", max_size=30)
# What follows the words in the rules: a version, a word's end, another word (backtracking).
CONTEXTS = (r"(?P<w>{})", r"(?P<w>{})(?=[.1 ]|$)", r"(?P<w>{})-?1", r"^(?P<w>{})(?: (?:{}))+$")


@settings(max_examples=400, deadline=None)
@given(WORDS, TEXT, st.sampled_from(CONTEXTS), st.booleans())
def test_grouped_words_match_as_the_flat_alternation(words, text, context, ignore_case):
    """Same spans and captures wherever the words sit in a pattern; under `(?i)` the groups of
    the lower-cased words stand for the flat list of every spelling."""
    flags = re.IGNORECASE if ignore_case else 0
    old = re.compile(context.format(flat(words), flat(words)), flags)
    grouped = literal_alternation(words, folded=ignore_case)
    new = re.compile(context.format(grouped, grouped), flags)
    found = [(m.span(), m.groupdict()) for m in new.finditer(text)]
    assert found == [(m.span(), m.groupdict()) for m in old.finditer(text)]


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    """Every replay feed item (2,253) and every hand label, current and held out."""
    feeds = pd.concat([parse(d) for d in ITEMS], ignore_index=True)
    assert len(feeds) == 2253
    return pd.concat([feeds, labels(), holdout_labels()], ignore_index=True)


def _clear() -> None:
    for cached in (
        model_names.Vocabulary.patterns,
        model_names.organization_prefix,
        model_names.catalogue_pattern,
        announcement_rules.compiled,
    ):
        cached.cache_clear()


def _detection(items: pd.DataFrame, vocabulary) -> tuple:
    _clear()
    return rule_hits(item_text(items), vocabulary), *item_cues(items, vocabulary)


def test_groups_give_every_item_the_rules_and_cues_of_the_flat_alternations(items, monkeypatch):
    """The rules' captures, the cue names and values the classifier was trained on, and the
    rules' verdict, for the whole vocabulary (the one a run uses and the weights are trained
    with)."""
    words = model_names.vocabulary()
    vocabularies = [words]
    try:
        new = [_detection(items, v) for v in vocabularies]
        monkeypatch.setattr(model_names, "literal_alternation", flat)
        old = [_detection(items, v) for v in vocabularies]
    finally:
        monkeypatch.undo()
        _clear()  # built again grouped when next asked
    for (hits, cues, decided), (old_hits, old_cues, old_decided) in zip(new, old, strict=True):
        pd.testing.assert_frame_equal(hits, old_hits)
        assert cues == old_cues
        pd.testing.assert_frame_equal(decided, old_decided)
    assert int(new[0][0]["link_model_slug"].notna().sum()) > 0  # the `(?i)` rule fires


def test_a_rule_skips_only_items_it_cannot_match(items):
    """announcement_rules.NEEDS: each rule run on the items holding one of its words finds
    what it finds on all items, on the whole set and feed by feed (small frames, none of
    whose items may hold the words)."""
    frames = [items, *(parse(d) for d in ITEMS)]
    rules = {rule: (field, pattern) for rule, field, pattern in compiled(vocabulary())}
    assert set(NEEDS) <= set(rules)
    skipped = 0
    for frame in frames:
        text = item_text(frame)
        for rule, needs in NEEDS.items():
            field, pattern = rules[rule]
            expected = text[field].str.extract(pattern)
            pd.testing.assert_frame_equal(extract_rule(text[field], pattern, needs), expected)
            skipped += int(expected["cue"].isna().sum())
    assert skipped > 0
