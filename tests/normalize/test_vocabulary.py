"""Reviewed vocabularies are data: loaded from data/reference/, checked, and the same words
and labels the code used to hard-wire."""

from __future__ import annotations

import pytest

from ai_landscape.normalize.vocabulary import epoch_labels, name_words, read_reference
from tests.resolve.test_resolution_history import ACCESS


def test_epoch_labels_map_every_label_of_the_exports():
    assert epoch_labels("weights_access") == ACCESS  # written out in that test, not imported
    assert epoch_labels("compute_confidence") == {
        "Confident": "confident",
        "Likely": "likely",
        "Speculative": "speculative",
        "Unknown": "unknown",
        "Unverified": "unknown",
        "Wrong": "unknown",
        "": "unknown",
    }


def test_name_words_by_kind():
    assert name_words("variant") == {"instruct", "chat", "it", "sft", "dpo", "rlhf"}
    assert len(name_words("qualifier")) == 71
    assert {"mini", "pro", "thinking", "o", "r", "jan", "dec"} <= name_words("qualifier")
    assert name_words("noise") == {"hf", "model", "the"}
    assert not name_words("variant") & name_words("qualifier")


def test_a_row_of_unknown_kind_is_refused_with_its_row_number(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("word,kind,note\nmini,qualifier,\nhf,noize,typo\n")
    with pytest.raises(ValueError, match=r"kind must be one of .*rows \[3\] have \['noize'\]"):
        read_reference(path, ("word", "kind", "note"), allowed={"kind": ("qualifier", "noise")})


def test_a_repeated_key_is_refused(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text("word,kind,note\nmini,qualifier,\nmini,noise,\n")
    with pytest.raises(ValueError, match=r"word repeated at rows \[2, 3\]"):
        read_reference(path, ("word", "kind", "note"), unique=("word",))


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("column,label\nweights_access,API access\n")
    with pytest.raises(ValueError, match=r"missing columns \['value'\]"):
        read_reference(path, ("column", "label", "value"))
