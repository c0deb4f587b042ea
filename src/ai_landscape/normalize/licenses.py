"""Licence text -> `license_id`, `weights_access`, `openness`, `commercial_use`, and the rule.

The rules live in the reviewed table `data/reference/licenses.csv`, one row per licence (SPDX
id where one exists, a stable lower-case id otherwise), plus rows without an id for what a
text can say without naming a licence ("non-commercial", "no API", "no licence"). A value is
read in this order:

1. an Epoch accessibility label (`Open weights (restricted use)`): the access state it names;
2. an alias, compared as a slug (`Apache 2.0`, `apache-2.0` and `APACHE_2.0` are one key);
3. free text (Epoch's accessibility notes): every row's pattern is searched. Mentions inside
   a clause about code only ("Apache 2.0 for inference code") are ignored, since the question
   is the weights' licence; where licences sit in several paragraphs and one links the
   Hugging Face repo, that paragraph's licence is taken (the weights live there). Of what is
   left, the most restrictive term wins (non-commercial, then restricted, then permissive,
   then closed; a named licence before an unnamed statement; then the first mentioned), so
   a text is never read as more open than it says. Access statements and "no licence" count
   only when no licence term is found.

`other` and text that matches nothing come out `unknown`, never permissive. Each distinct
value is classified once and the answer broadcast to every cell holding it.

Free text is the costly step: each row's pattern searched through each text (Python's `re`,
about 0.2 s for Epoch's 609 notes, #17). `classify_series` first asks Arrow's RE2, over all
the texts at once, which rows' patterns could match each text (`Rule.prefilter`: the pattern
widened to what RE2 can run), and searches only those rows with `re`, whose matches decide.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ai_landscape.normalize import access
from ai_landscape.normalize.once import built_once
from ai_landscape.normalize.prefilter import widened
from ai_landscape.normalize.text import map_distinct, slugify, slugify_lists
from ai_landscape.normalize.vocabulary import epoch_labels
from ai_landscape.schema import COMMERCIAL_USE, WEIGHTS_ACCESS
from ai_landscape.settings import REFERENCE_DIR

LICENSES_CSV = REFERENCE_DIR / "licenses.csv"
FIELDS = ("license_id", "weights_access", "openness", "commercial_use", "rule")
# Licence terms, most restrictive first; access statements and "no licence" come after.
_ACCESS_RANK = {"open_noncommercial": 0, "open_restricted": 1, "open_unrestricted": 2}
_FAMILY_RANK = {"access": 5, "none": 6}
_CLOSED_RANK, _UNKNOWN_RANK = 3, 4

_SENTENCE_END = re.compile(r"\n|;|\.(?=\s)")
_CLAUSE_END = re.compile(r"\n|;|[.,:](?=\s)")
_CODE = re.compile(
    r"\bcodes?\b|\bframework\b|\blibrary\b|\benvironment\b|\bscripts?\b|\bimplementation"
)
# Left out before asking whether a clause is about code: links (their paths say `scripts`),
# "includes train code" (an extra, not what the licence is for) and licence names that
# contain "code" (Apple Sample Code License, NVIDIA Source Code License).
_NOT_ABOUT_CODE = re.compile(
    r"\bhttps?://\S+|\binclud(?:es|ing)\b[^,.;\n]{0,40}|\b(?:sample|source) code licen[cs]e"
)
_WEIGHTS = re.compile(r"\bwei?gh?ts?\b|\bweigths\b|\bparameters\b|\bcheckpoints?\b|\bmodels?\b")
_BLANK_LINE = re.compile(r"\n\s*\n")
_HUB_LINK = re.compile(r"huggingface\.co/|\bhf\.co/")
_QUOTES = str.maketrans("‘’“”", "''\"\"")


@dataclass(frozen=True)
class Rule:
    line: int  # in licenses.csv, header = line 1
    id: str | None
    family: str
    weights_access: str
    commercial_use: str
    pattern: re.Pattern | None
    # An RE2 pattern matching at least every text `pattern` matches (`widened`); None: every
    # text is searched with `pattern`.
    prefilter: str | None = None

    @property
    def rank(self) -> tuple[int, bool, int]:
        if self.family in _FAMILY_RANK:
            level = _FAMILY_RANK[self.family]
        elif self.weights_access in _ACCESS_RANK:
            level = _ACCESS_RANK[self.weights_access]
        else:
            level = _CLOSED_RANK if self.weights_access != "unknown" else _UNKNOWN_RANK
        return (level, self.id is None, self.line)

    @property
    def is_licence_term(self) -> bool:
        return self.family not in _FAMILY_RANK

    def label(self) -> str:
        return f"licenses.csv:{self.line} {self.id or '(' + self.family + ')'}"


class Classification(NamedTuple):
    license_id: str | None
    weights_access: str
    commercial_use: str
    rule: str


@built_once
def _rows() -> tuple[dict[str, str], ...]:
    with open(LICENSES_CSV, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@built_once
def rules() -> tuple[Rule, ...]:
    """The table's rows in order (their order breaks ties between equal terms)."""
    out = []
    for line, row in enumerate(_rows(), start=2):
        access_state, use = row["weights_access"], row["commercial_use"]
        if access_state not in WEIGHTS_ACCESS or use not in COMMERCIAL_USE:
            raise ValueError(f"{LICENSES_CSV}:{line}: unknown weights_access or commercial_use")
        pattern = re.compile(row["pattern"]) if row["pattern"] else None
        prefilter = widened(row["pattern"]) if row["pattern"] else None
        rule = Rule(line, row["id"] or None, row["family"], access_state, use, pattern, prefilter)
        out.append(rule)
    return tuple(out)


@built_once
def aliases() -> dict[str, tuple[Rule, str]]:
    """Slug of each alias and id -> (rule, alias as written). An alias listed under two rows
    is an error in the table: one string must have one answer."""
    names = [
        [a for a in row["aliases"].split("|") if a] + ([rule.id] if rule.id else [])
        for rule, row in zip(rules(), _rows(), strict=True)
    ]
    table: dict[str, tuple[Rule, str]] = {}
    for rule, row_names, keys in zip(rules(), names, slugify_lists(names), strict=True):
        for name, key in zip(row_names, keys, strict=True):
            if table.setdefault(key, (rule, name))[0] is not rule:
                raise ValueError(f"{LICENSES_CSV}:{rule.line}: alias {name!r} already used")
    return table


def classify(text: str) -> Classification:
    """One value; `classify_series` does the same for a column."""
    return _classify(text, slugify(pd.Series([text], dtype=object)).iloc[0])


def classify_series(values: pd.Series) -> pd.DataFrame:
    """FIELDS for every cell (same index); null or blank cells get `unknown`."""
    answered = _answered()
    distinct = pd.Series(values.dropna().unique(), dtype=object).astype(str)
    new = distinct[~distinct.isin(answered.keys())]
    candidates = _candidate_rules([text.strip() for text in new])
    for text, key, rows in zip(new, slugify(new), candidates, strict=True):  # one slug pass
        answered[text] = _classify(text, key, rows)
    blank = _classify("", "")
    answers = map_distinct(values, lambda t: answered.get(t, blank), finish=_with_openness)
    return answers[list(FIELDS)]


# The answer of every licence text classified in this process, with the tables it came from:
# a run classifies its texts at ingest, then again for its manifest (`unknown_licenses`) and
# its report, about 0.25 s of CPU each time on the replay (#17). A table built again (a test
# swaps the CSV and clears the caches) is another object, and starts a new memo.
_memo: tuple[tuple[object, object], dict[str, Classification]] = ((None, None), {})
_memo_lock = threading.Lock()


def _answered() -> dict[str, Classification]:
    global _memo
    tables = (rules(), aliases())
    with _memo_lock:
        built = _memo[0]
        if built[0] is not tables[0] or built[1] is not tables[1]:
            _memo = (tables, {})
        return _memo[1]


def _candidate_rules(texts: list[str]) -> list[list[Rule]]:
    """Per text, the rows whose pattern could match its free text, in table order: RE2 over
    all the texts at once, one call per row with a prefilter (a row without one is kept)."""
    searched = [rule for rule in rules() if rule.pattern is not None]
    could = np.ones((len(searched), len(texts)), dtype=bool)
    normalized = pa.array([_normalize(text) for text in texts], pa.string())
    for row, rule in enumerate(searched):
        if rule.prefilter is not None and texts:
            match = pc.match_substring_regex(normalized, rule.prefilter)
            could[row] = match.to_numpy(zero_copy_only=False)
    return [[searched[row] for row in np.flatnonzero(column)] for column in could.T]


def _with_openness(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(openness=access.openness(table["weights_access"]))


def _classify(text: str, key: str, candidates: list[Rule] | None = None) -> Classification:
    """`candidates`: the rows free text is searched for (`_candidate_rules`); None: all."""
    stripped = text.strip()
    if not stripped:
        return Classification(None, "unknown", "unknown", "no value")
    label = _epoch_labels().get(stripped.casefold())
    if label:
        use = access.commercial_use(pd.Series([label])).iloc[0]
        return Classification(None, label, use, f"Epoch accessibility label {stripped!r}")
    if key in aliases():
        rule, name = aliases()[key]
        return _answer(rule, f"{rule.label()}: alias {name!r}")
    return _free_text(stripped, candidates)


@built_once
def _epoch_labels() -> dict[str, str]:
    return {k.casefold(): v for k, v in epoch_labels("weights_access").items() if k}


def _answer(rule: Rule, why: str) -> Classification:
    return Classification(rule.id, rule.weights_access, rule.commercial_use, why)


class _Mention(NamedTuple):
    rule: Rule
    start: int
    end: int
    text: str
    hub_paragraph: bool

    def within(self, other: _Mention) -> bool:
        """Inside a longer mention (`mit` in `modified mit`, `bsd` in `bsd-3`): the longer,
        more specific row speaks for that text."""
        return (
            other is not self
            and other.start <= self.start
            and self.end <= other.end
            and (
                (other.end - other.start, -other.rule.line)
                > (self.end - self.start, -self.rule.line)
            )
        )

    def key(self) -> tuple:
        """Most restrictive term first, a named licence before an unnamed statement, then the
        first mentioned; access statements in table order."""
        level, unnamed, line = self.rule.rank
        return (level, unnamed, self.start if level < _FAMILY_RANK["access"] else 0, line)


def _free_text(text: str, candidates: list[Rule] | None = None) -> Classification:
    norm = _normalize(text)
    spans = _spans(norm, _CLAUSE_END) + _spans(norm, _SENTENCE_END)
    code_only = [(s, e) for s, e in spans if _is_code_only(norm[s:e])]
    hub_spans = [(s, e) for s, e in _spans(norm, _BLANK_LINE) if _HUB_LINK.search(norm[s:e])]
    mentions, ignored = [], 0
    if candidates is None:
        candidates = [rule for rule in rules() if rule.pattern is not None]
    for rule in candidates:
        assert rule.pattern is not None
        for m in rule.pattern.finditer(norm):
            if any(s <= m.start() < e for s, e in code_only):
                ignored += 1
                continue
            hub = any(s <= m.start() < e for s, e in hub_spans)
            mentions.append(_Mention(rule, m.start(), m.end(), m.group(), hub))
            break
    if not mentions:
        why = "no rule matched" + (
            f" ({ignored} mention(s) about code only ignored)" if ignored else ""
        )
        return Classification(None, "unknown", "unknown", why)
    mentions = [m for m in mentions if not any(m.within(o) for o in mentions)]
    notes = []
    named = [m for m in mentions if m.rule.is_licence_term and m.rule.id]
    if any(m.hub_paragraph for m in named) and not all(m.hub_paragraph for m in named):
        mentions = [m for m in mentions if m.hub_paragraph or not m.rule.id]
        notes.append("the licence beside the Hugging Face link preferred")
    terms = [m for m in mentions if m.rule.is_licence_term]
    if len(terms) > 1:
        notes.append(f"most restrictive of {len(terms)} terms named")
    if ignored:
        notes.append(f"{ignored} mention(s) about code only ignored")
    best = min(mentions, key=_Mention.key)
    why = f"{best.rule.label()}: pattern matched {best.text!r}" + "".join(f"; {n}" for n in notes)
    return _answer(best.rule, why)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", unquote(text)).translate(_QUOTES).casefold()
    return re.sub(r"[ \t\r\f\v]+", " ", text)


def _spans(text: str, separator: re.Pattern) -> list[tuple[int, int]]:
    return list(pairwise([0, *(m.end() for m in separator.finditer(text)), len(text)]))


def _is_code_only(clause: str) -> bool:
    clause = _NOT_ABOUT_CODE.sub("", clause)
    return bool(_CODE.search(clause)) and not _WEIGHTS.search(clause)


def unknown_licenses(candidates: pd.DataFrame) -> pd.DataFrame:
    """The licence strings the table cannot classify (`unknown` access, `other` included),
    for the run report: source, dataset, license_raw, rule, and how many records hold it,
    most frequent first."""
    raw = candidates["license_raw"]
    present = raw.notna() & (raw.astype(str).str.strip() != "")
    found = classify_series(raw[present])
    unknown = found.index[found["weights_access"] == "unknown"]
    rows = candidates.loc[unknown, ["source", "dataset", "license_raw"]].assign(
        rule=found.loc[unknown, "rule"]
    )
    counted = rows.value_counts(sort=False).rename("records").reset_index()
    return counted.sort_values(
        ["records", "source", "dataset", "license_raw"], ascending=[False, True, True, True]
    ).reset_index(drop=True)


def is_spdx(license_id: str) -> bool:
    """Whether an id is an SPDX licence id in its canonical spelling (not a LicenseRef)."""
    checked = _spdx().validate(license_id)
    return (
        not checked.errors
        and checked.normalized_expression == license_id
        and not license_id.startswith("LicenseRef-")
    )


@built_once
def _spdx():
    from license_expression import get_spdx_licensing  # slow to build: only when asked

    return get_spdx_licensing()
