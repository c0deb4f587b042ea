"""Licence text -> licence id, access and commercial use, by the reviewed table.

The snapshot `tests/normalize/snapshots/licenses_replay.csv` holds the reviewed answer for every
distinct licence string in `data/replay/` (Epoch's labels and notes, Hugging Face card
licences and tags, models.dev licences). After a deliberate table change, rewrite it with
`.venv/bin/python -m tests.test_licenses --write-snapshot`, and review the diff row by row.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from license_expression import get_spdx_licensing

from ai_landscape.normalize import licenses
from ai_landscape.normalize.licenses import (
    LICENSES_CSV,
    classify,
    classify_series,
    is_spdx,
    rules,
    unknown_licenses,
)
from ai_landscape.normalize.prefilter import widened
from tests.replay_values import licence_cells, replay_frames

SNAPSHOT = Path(__file__).parent / "snapshots" / "licenses_replay.csv"
ANSWER = ["license_id", "weights_access", "commercial_use"]


def _replay_answers() -> pd.DataFrame:
    cells = licence_cells()
    seen = cells.assign(where=cells["source"] + "." + cells["field"]).groupby("text")["where"]
    distinct = seen.agg(lambda s: " ".join(sorted(set(s)))).rename("seen_in").reset_index()
    answers = classify_series(distinct["text"])[ANSWER]
    return pd.concat([distinct, answers], axis=1).fillna({"license_id": ""})


def _snapshot() -> pd.DataFrame:
    return pd.read_csv(SNAPSHOT, dtype=str, keep_default_na=False)


def test_every_licence_string_in_replay_gets_its_reviewed_answer():
    actual = _replay_answers().set_index("text")
    expected = _snapshot().set_index("text")
    assert sorted(set(actual.index) ^ set(expected.index)) == []  # new strings need review
    differs = actual[ANSWER].ne(expected.loc[actual.index, ANSWER]).any(axis=1)
    assert actual[differs][ANSWER].to_dict(orient="index") == {}


def test_replay_snapshot_counts():
    snapshot = _snapshot()
    assert len(snapshot) == 639
    assert snapshot["weights_access"].value_counts().to_dict() == {
        "open_unrestricted": 293,
        "open_restricted": 106,
        "unknown": 102,
        "open_noncommercial": 68,
        "api": 37,
        "unreleased": 19,
        "hosted": 14,
    }
    # `unknown` only where the text names no licence and no access state: notes about code,
    # links, "no clear license", and the Hub's `other`.
    unknown = snapshot[snapshot["weights_access"] == "unknown"]
    assert unknown["license_id"].value_counts().to_dict() == {"": 101, "other": 1}


@pytest.mark.parametrize(
    ("text", "license_id", "weights_access", "commercial_use"),
    [
        # free text of leaderboards and announcements, as the issue lists it
        ("Apache 2.0", "Apache-2.0", "open_unrestricted", "allowed"),
        ("Llama 3.1 Community", "llama3.1", "open_restricted", "restricted"),
        ("Modified MIT", "modified-mit", "open_restricted", "restricted"),
        ("MRL", "mistral-research", "open_noncommercial", "prohibited"),
        ("Mistral Research", "mistral-research", "open_noncommercial", "prohibited"),
        ("Gemma license", "gemma", "open_restricted", "restricted"),
        ("CC-BY-NC-4.0", "CC-BY-NC-4.0", "open_noncommercial", "prohibited"),
        ("Proprietary", "proprietary", "api", "unknown"),
        ("Propretary", "proprietary", "api", "unknown"),
        # Hugging Face identifiers (its list, and the 2025 dumps of seven labs' repos)
        ("apache-2.0", "Apache-2.0", "open_unrestricted", "allowed"),
        ("mit", "MIT", "open_unrestricted", "allowed"),
        ("llama2", "llama2", "open_restricted", "restricted"),
        ("llama3", "llama3", "open_restricted", "restricted"),
        ("llama3.2", "llama3.2", "open_restricted", "restricted"),
        ("llama3.3", "llama3.3", "open_restricted", "restricted"),
        ("llama4", "llama4", "open_restricted", "restricted"),
        ("openrail", "openrail", "open_restricted", "restricted"),
        ("openrail++", "openrail++", "open_restricted", "restricted"),
        ("creativeml-openrail-m", "creativeml-openrail-m", "open_restricted", "restricted"),
        ("bigscience-bloom-rail-1.0", "bigscience-bloom-rail-1.0", "open_restricted", "restricted"),
        ("bigcode-openrail-m", "bigcode-openrail-m", "open_restricted", "restricted"),
        ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0", "open_noncommercial", "prohibited"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0", "open_unrestricted", "allowed"),
        ("cdla-permissive-2.0", "CDLA-Permissive-2.0", "open_unrestricted", "allowed"),
        ("gpl-3.0", "GPL-3.0-only", "open_unrestricted", "allowed"),
        ("apple-amlr", "apple-amlr", "open_noncommercial", "prohibited"),
        ("qwen-research", "qwen-research", "open_noncommercial", "prohibited"),
        ("tongyi-qianwen", "qwen", "open_restricted", "restricted"),
        ("deepseek", "deepseek", "open_restricted", "restricted"),
        ("other", "other", "unknown", "unknown"),
        ("cc", "cc", "unknown", "unknown"),
        ("UNKNOWN", None, "unknown", "unknown"),
        # Epoch's accessibility labels are licence input too
        ("Open weights (non-commercial)", None, "open_noncommercial", "prohibited"),
        ("Hosted access (no API)", None, "hosted", "unknown"),
        # text that names nothing is unknown, never permissive
        ("see the model card", None, "unknown", "unknown"),
    ],
)
def test_named_licences(text, license_id, weights_access, commercial_use):
    assert classify(text)[:3] == (license_id, weights_access, commercial_use)


def test_free_text_rules_name_the_row_and_what_they_set_aside():
    # Real Epoch notes: the weights' licence wins over the code's, the Hub link over GitHub.
    glm = "MIT license\nhttps://huggingface.co/zai-org/GLM-4.5\n\nApache 2.0 (Inference code)\nhttps://github.com/zai-org/GLM-4.5?tab=readme-ov-file"
    assert classify(glm) == (
        "MIT",
        "open_unrestricted",
        "allowed",
        "licenses.csv:52 MIT: pattern matched 'mit'; 1 mention(s) about code only ignored",
    )
    mimo = "Apache 2.0\nhttps://github.com/xiaomimimo/MiMo\n\nMIT license\nhttps://huggingface.co/XiaomiMiMo/MiMo-7B-Base"
    assert classify(mimo).rule == (
        "licenses.csv:52 MIT: pattern matched 'mit'; "
        "the licence beside the Hugging Face link preferred"
    )
    # The most restrictive term named wins: the text is never read as more open than it is.
    encodec = "MIT for repo in general, non commercial weights. Dataset is in repo.\nhttps://github.com/facebookresearch/audiocraft/blob/main/docs/ENCODEC.md"
    assert classify(encodec)[:3] == (None, "open_noncommercial", "prohibited")
    # "Free for research, non-commercial, and commercial use" allows commercial use.
    stability = classify(
        "Stability AI Community License: Free for research, non-commercial, and commercial use "
        "for organisations or individuals with less than $1M annual revenue."
    )
    assert stability[:2] == ("stabilityai-community", "open_restricted")


def test_classify_series_broadcasts_and_keeps_the_index():
    values = pd.Series(["MIT", None, "mit", "", "other"], index=[10, 11, 12, 13, 14])
    found = classify_series(values)
    assert list(found.index) == [10, 11, 12, 13, 14]
    assert found["license_id"].tolist() == ["MIT", None, "MIT", None, "other"]
    assert found["openness"].tolist() == ["open", "unknown", "open", "unknown", "unknown"]
    assert found["rule"].tolist()[1] == "no value"


def test_table_ids_are_spdx_where_spdx_has_them_and_stable_ids_otherwise():
    known = {key.casefold() for key in get_spdx_licensing().known_symbols}
    ids = [r.id for r in rules() if r.id]
    assert len(ids) == len(set(ids))
    spdx = sorted(i for i in ids if is_spdx(i))
    stable = sorted(i for i in ids if not is_spdx(i))
    assert all(i == i.lower() and i.casefold() not in known for i in stable), stable
    assert len(spdx) == 54
    assert {"Apache-2.0", "MIT", "CC-BY-NC-4.0", "GPL-3.0-only"} <= set(spdx)
    assert stable == [
        "apple-amlr",
        "apple-ascl",
        "baichuan",
        "bigcode-openrail-m",
        "bigscience-bloom-rail-1.0",
        "bigscience-openrail-m",
        "bsd",
        "cc",
        "cc-by",
        "cc-by-nc",
        "cogvideox",
        "creativeml-openrail-m",
        "databricks-open-model",
        "deepfloyd-if-license",
        "deepseek",
        "exaone",
        "fair-noncommercial-research-license",
        "falcon",
        "gemma",
        "gfdl",
        "gpl",
        "intel-research",
        "lgpl",
        "llama",
        "llama1",
        "llama2",
        "llama3",
        "llama3.1",
        "llama3.2",
        "llama3.3",
        "llama4",
        "microsoft-research",
        "mistral-non-production",
        "mistral-research",
        "modified-apache-2.0",
        "modified-mit",
        "nvidia-ai-foundation-models",
        "nvidia-internal-research",
        "nvidia-open-model",
        "nvidia-source-code",
        "openmdw",
        "openmdw-1.0",
        "openmdw-1.1",
        "openrail",
        "openrail++",
        "other",
        "proprietary",
        "qwen",
        "qwen-research",
        "sdxl-0.9-research",
        "stabilityai-community",
    ]


def test_table_rows_are_valid():
    with open(LICENSES_CSV, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == [
        "id",
        "family",
        "weights_access",
        "commercial_use",
        "aliases",
        "pattern",
        "url",
        "notes",
    ]
    assert len(rules()) == 113
    # No row without a licence id may grant permissive access to text that names no licence
    # except the explicit "permissive"/"copyleft" statements.
    generic_open = [r for r in rules() if r.id is None and r.weights_access == "open_unrestricted"]
    assert [r.line for r in generic_open] == [109]


def test_unknown_licences_are_listed_with_counts_for_the_run_report():
    _, trending = replay_frames("huggingface")["trending"]
    listed = unknown_licenses(trending)
    assert listed.to_dict(orient="records") == [
        {
            "source": "huggingface",
            "dataset": "trending",
            "license_raw": "other",
            "rule": "licenses.csv:105 other: alias 'other'",
            "records": 3,
        }
    ]


@pytest.fixture
def table_copy(tmp_path, monkeypatch):
    """A copy of the real table that a test may corrupt; caches cleared around it."""
    copy = tmp_path / "licenses.csv"
    copy.write_text(LICENSES_CSV.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(licenses, "LICENSES_CSV", copy)
    _clear_caches()
    yield copy
    _clear_caches()


def _clear_caches() -> None:
    for cached in (licenses._rows, licenses.rules, licenses.aliases):
        cached.cache_clear()


@pytest.mark.parametrize(
    ("row", "load", "error"),
    [
        (
            "not-mit,mit,open_restricted,restricted,MIT License,,,",
            "aliases",
            "alias 'MIT License' already used",
        ),
        ("somelicence,x,open,allowed,,,,", "rules", "unknown weights_access or commercial_use"),
    ],
)
def test_a_bad_table_row_is_refused_with_its_line(table_copy, row, load, error):
    with open(table_copy, "a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    with pytest.raises(ValueError, match=error.split()[0]) as raised:
        getattr(licenses, load)()
    assert str(raised.value) == f"{table_copy}:115: {error}"


def _write_snapshot() -> None:
    SNAPSHOT.parent.mkdir(exist_ok=True)
    answers = _replay_answers().sort_values("text")
    answers[["text", "seen_in", *ANSWER]].to_csv(SNAPSHOT, index=False, lineterminator="\n")
    print(f"wrote {len(answers)} rows to {SNAPSHOT}")


if __name__ == "__main__" and "--write-snapshot" in sys.argv:
    _write_snapshot()


def test_a_text_is_classified_once_per_loaded_table(table_copy, monkeypatch):
    # A run classified every licence text at ingest, then again for its manifest's unknown
    # licences and for its report (#17): now once, while the same table is loaded.
    texts = licence_cells()["text"]
    _clear_caches()  # reading the cells classified them
    read = []
    free_text = licenses._free_text
    monkeypatch.setattr(
        licenses, "_free_text", lambda text, *rows: read.append(text) or free_text(text, *rows)
    )
    first = licenses.classify_series(texts)
    distinct = len(read)
    assert distinct == len(set(read)) > 100
    again = licenses.classify_series(texts.iloc[::-1])
    assert len(read) == distinct  # no text read twice
    pd.testing.assert_frame_equal(again.iloc[::-1], first)
    # The table loaded again (as a test that edits the CSV does): the memo starts afresh.
    _clear_caches()
    licenses.classify_series(texts)
    assert len(read) == 2 * distinct


def test_the_prefilter_gives_every_real_text_the_answer_of_all_rows():
    """`classify_series` searches free text only for the rows RE2 says could match (#17):
    every distinct real licence text gets the same answer, reason included, as when every
    row is searched, and no row's pattern matches a text its prefilter passed over."""
    texts = licence_cells()["text"].drop_duplicates().reset_index(drop=True)
    assert len(texts) == 639
    fields = list(licenses.Classification._fields)
    found = classify_series(texts)[fields].astype(object).where(lambda f: f.notna(), None)
    keys = licenses.slugify(texts.astype(object))
    alone = [tuple(licenses._classify(t, k)) for t, k in zip(texts, keys, strict=True)]
    assert list(found.itertuples(index=False, name=None)) == alone
    searched = [rule for rule in rules() if rule.pattern is not None]
    assert len(searched) == 85
    assert all(rule.prefilter is not None for rule in searched)  # none left unfiltered
    passed = licenses._candidate_rules([text.strip() for text in texts])
    missed = [
        (rule.line, text)
        for text, rows in zip(texts, passed, strict=True)
        for rule in searched
        if rule not in rows and rule.pattern.search(licenses._normalize(text.strip()))
    ]
    assert missed == []
    # What it saves: 1.3 rows searched per text on average, not 85.
    assert sum(len(rows) for rows in passed) == 818


@pytest.mark.parametrize(
    ("pattern", "wide"),
    [
        (r"\bmit\b(?![- ]like)", "mit"),  # `\b` and lookarounds: conditions dropped
        (r"(?<!no )(?<!may be )\bapi\b", "api"),
        (r"(?<![/\w-])tongyi[- ]qianwen\b(?![- ]research)", "tongyi[- ]qianwen"),
        (r"\bup to \$\d", r"up to \$\p{Nd}"),  # `re`'s \d: any decimal digit
        (r"meta-llama-3\.1-[\w.-]+/blob", r"meta-llama-3\.1-[\p{L}\p{N}_.-]+/blob"),
        (r"\w+ licen[cs]e", r"[\p{L}\p{N}_]+ licen[cs]e"),
        (r"[^.\n]{0,20}\bnon", r"[^.\n]{0,20}non"),
        (r"[]a]x|[^]b]y", r"[]a]x|[^]b]y"),  # a `]` opening a class is a member
        (r"[^\w]x", None),  # negated: not widened
        (r"a\sb", None),  # `re`'s \s is wider than RE2's
        (r"[\b]x", None),  # a backspace, in a class
        (r"(?=a)?b", None),  # a quantifier on what was dropped
        (r"(?i)mit", None),
        (r"(a)\1", None),
        (r"(?P<name>a)", None),
    ],
)
def test_widened_patterns(pattern, wide):
    assert widened(pattern) == wide


def test_widened_classes_hold_every_character_res_do():
    r"""RE2's `\p{Nd}` and `[\p{L}\p{N}_]` hold every character `re`'s `\d` and `\w` match,
    over every code point, so a prefilter never drops a match. (RE2's Unicode tables are
    newer than Python 3.11's: it knows a few more digits.)"""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    column = pa.array(chars, pa.string())
    for python, re2 in ((r"\d", r"^\p{Nd}$"), (r"\w", r"^[\p{L}\p{N}_]$")):
        wanted = re.compile(python)
        in_re2 = pc.match_substring_regex(column, re2).to_pylist()
        dropped = [
            ch for ch, ok in zip(chars, in_re2, strict=True) if wanted.fullmatch(ch) and not ok
        ]
        assert dropped == [], python
        assert sum(in_re2) == {r"\d": 680, r"\w": 138_558}[python]  # pyarrow's RE2, pinned
