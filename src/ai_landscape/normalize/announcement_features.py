"""Feed items -> the text detection reads, which phrasing rules fired on it, and the veto.

Inputs are the columns `title`, `summary`, `categories` and `link` of parsed feed records, or
of the hand labels (data/labels/announcements.csv carries the same text, so the measure in
announcement_evaluation.py needs no feed).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ai_landscape.normalize.announcement_rules import NEEDS, VETO, compiled
from ai_landscape.normalize.model_names import Vocabulary

# The summary's opening is where a post says what it is; the labels keep that much of it, and
# detection reads no more, so what is measured is what runs.
SUMMARY_LEAD = 300
# Dashes that look like hyphens (U+2010, U+2011) and no-break spaces would split names.
_TEXT_FIXES = {"\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " "}


def clean_text(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str)
    for bad, good in _TEXT_FIXES.items():
        text = text.str.replace(bad, good, regex=False)
    return text


def item_text(items: pd.DataFrame) -> dict[str, pd.Series]:
    """The fields detection reads, cleaned: the summary cut to its lead, and the last path
    segment of the item's link (`qwen2.5-turbo`), where a post's page is often named after
    the model it announces."""
    text = {
        "title": clean_text(items["title"]).str.strip(),
        "summary": clean_text(items["summary"]).str[:SUMMARY_LEAD],
        "slug": link_slug(items["link"]),
    }
    return {field: column.astype(object) for field, column in text.items()}


def link_slug(links: pd.Series) -> pd.Series:
    """`https://qwenlm.github.io/blog/qwen2.5-turbo/` -> `qwen2.5-turbo`; "" for a link
    that is no URL path (a guid)."""
    path = links.fillna("").astype(str).str.extract(r"^(?:https?:)?//[^/]+(/[^?#]*)")[0]
    return path.fillna("").str.rstrip("/").str.rsplit("/", n=1).str[-1].str.lower()


def rule_hits(text: dict[str, pd.Series], vocabulary: Vocabulary) -> pd.DataFrame:
    """One column per rule, in rule order: the name it captured ("" for a rule without a name
    group), or null where it did not fire."""
    out = {}
    for rule, field, pattern in compiled(vocabulary):
        match = extract_rule(text[field], pattern, NEEDS.get(rule))
        captured = match["name"] if "name" in match else pd.Series("", index=match.index)
        out[rule] = captured.fillna("").where(match["cue"].notna())
    return pd.DataFrame(out, index=text["title"].index)


def extract_rule(
    column: pd.Series, pattern: re.Pattern, needs: tuple[str, ...] | None
) -> pd.DataFrame:
    """`column.str.extract(pattern)`, the pattern run only where the text holds one of the
    words it needs (announcement_rules.NEEDS); the other rows cannot match."""
    if needs and column.index.is_unique:
        holds = pd.Series(False, index=column.index)
        for word in needs:
            holds |= column.str.contains(word, regex=False)
        if not holds.all():
            return _extract(column[holds], pattern).reindex(column.index)
    return _extract(column, pattern)


def _extract(column: pd.Series, pattern: re.Pattern) -> pd.DataFrame:
    """`column.str.extract(pattern)` of an object column (`item_text`'s) as a loop over the
    texts: pandas' own loop, with its frame built per rule, took twice the searches' time over
    the 34 rules (#17)."""
    names = {number: name for name, number in pattern.groupindex.items()}
    columns = [names.get(1 + i, i) for i in range(pattern.groups)]
    missing = [np.nan] * pattern.groups
    rows = []
    for text in column.tolist():
        found = pattern.search(text) if isinstance(text, str) else None
        rows.append(
            missing if found is None else [np.nan if g is None else g for g in found.groups()]
        )
    return pd.DataFrame(rows, columns=columns, index=column.index, dtype=object)


def vetoed(text: dict[str, pd.Series]) -> pd.Series:
    """System and model cards, addenda: documents about a model announced in another item,
    whatever their wording (a labelling rule, data/labels/README.md)."""
    return text["title"].str.contains(VETO)


def own_line(titles: pd.Series, organizations: pd.Series) -> pd.Series:
    """Whether a title starts with the feed's own organization name ("Windsurf Wave 7" in
    Windsurf's feed): a name with a bare version there is the lab's product release."""
    first = organizations.fillna("").astype(str).str.split(" ").str[0].str.lower()
    head = titles.str.split(" ").str[0].str.lower()
    return (first != "") & (head == first)
