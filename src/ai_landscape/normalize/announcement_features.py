"""Feed items -> the evidence that they announce a model, one 0/1 column per feature.

Every feature is something a reader would point at: a rule phrasing fired ("Introducing X"),
the title names a family the catalogues list, the title has a model name's shape (`GLM-5.1`),
the feed files the item under a models or release category, the link's slug carries a version,
a host says "now available"; and the signs of other posts (a customer story, a funding round, a
system card, a question). The classifier (announcement_classifier.py) weighs them, and each
decision is explained by the features that fired and their weights.

Inputs are the columns `title`, `summary`, `categories`, `link` and `kind` of parsed feed
records, or of the hand labels (which carry the same text, data/labels/).
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from ai_landscape.normalize.announcement_rules import (
    AVAILABLE,
    GENERIC,
    RELEASE_WORD,
    VETO,
    compiled,
)
from ai_landscape.normalize.model_names import Vocabulary, shape_names

# The summary's opening is where a post says what it is; the labels keep that much of it.
SUMMARY_LEAD = 300
# Dashes that look like hyphens (U+2010, U+2011) and no-break spaces would split names.
_TEXT_FIXES = {"\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " "}

_INTRO_TITLE = r"(?i)(?:^|[:|]\s*)(?:introducing|announcing|meet|say hello to|hello|unveiling)\b"
_STORY = (
    r"(?i)^(?:how|why|what|when|where|who|lessons|tips|best practices|a guide|a field guide"
    r"|getting started|using|building|build|run|deploying|working|making|designing|mastering"
    r"|scaling|understanding|inside|behind|choosing)\b|\b(?:uses?|used|helps?|powers?|cut|cuts"
    r"|transform(?:s|ed)?|builds?|built|turned|trusts|case stud(?:y|ies))\b"
)
_BUSINESS = (
    r"(?i)\b(?:raises?|funding|series [a-e]|partner(?:s|ship|ships)?|joins?|acquir\w*|appoints?"
    r"|names|office|hub|certifications?|certified|compliant|authori[sz]ed|award\w*"
    r"|recogni[sz]ed|leader|hackathon|winners|recap|webinar|summit|conference|hiring"
    r"|recruitment|careers?|board|lawsuit|ambassador|program|gift|campus|survey|index)\b"
)
_PRODUCT = (
    r"(?i)\b(?:app|apps|sdk|plans?|pricing|console|extensions?|plugins?|browser|editor|ide"
    r"|agents?|platform|router|features?|integrations?|connectors?|workspaces?|cli|skills?"
    r"|assistant|workbench|search|caching|batch|tools?|mode)\b"
)
_RESEARCH = (
    r"(?i)\b(?:benchmark\w*|dataset\w*|evaluat\w*|towards?|method\w*|framework\w*|librar\w*"
    r"|toolkit|paper|analysis|study|understanding|interpretab\w*|alignment|safety|policy"
    r"|learning|training|optimi[sz]\w*|reinforcement)\b"
)
# An announcing word and, within three words, a name: "Introducing Muse Spark", "Cohere Labs
# Launches Tiny Aya", "GroqCloud Now Supports Qwen3 32B", "Meet New Sonar".
_CUE = (
    r"(?i:\b(?:introducing|announcing|meet|unveiling|launch(?:es|ing)?|releas(?:es|ing)"
    r"|introduces|unveils|open-sources|supports|welcom(?:e|ing)|hello|say hello to))"
    r"\s+(?:[\w'’-]+\s+){0,2}?"
)
_CATEGORY_MODEL = r"(?i)\bmodels?\b|\brelease|\blaunch"
# The last path segment carries a version or a name with digits (`/gpt-5-4`, `/seed1-8`).
_LINK_VERSION = r"(?i)/[^/]*(?:[a-z]\d|\d[-.]\d|-v?\d+(?:-|$))[^/]*/?$"

BASE_FEATURES = (
    "lead_known_name",
    "lead_shape_name",
    "head_is_name",
    "title_known_family",
    "title_shape",
    "summary_shape",
    "title_intro_word",
    "cue_known_name",
    "cue_shape_name",
    "name_released",
    "name_available",
    "available",
    "category_model",
    "link_version",
    "brand_only_lead",
    "lab_product_lead",
    "story",
    "business",
    "question",
    "product_words",
    "research_words",
)


def clean_text(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str)
    for bad, good in _TEXT_FIXES.items():
        text = text.str.replace(bad, good, regex=False)
    return text


def item_text(items: pd.DataFrame) -> dict[str, pd.Series]:
    """The fields features read, cleaned: the summary cut to its lead."""
    return {
        "title": clean_text(items["title"]).str.strip(),
        "summary": clean_text(items["summary"]).str[:SUMMARY_LEAD],
        "categories": clean_text(items["categories"]),
        "link": clean_text(items["link"]),
    }


def rule_hits(text: dict[str, pd.Series], vocabulary: Vocabulary) -> pd.DataFrame:
    """One column per rule: the name it captured ("" when it has no name group), or null."""
    out = {}
    for rule, field, pattern in compiled(vocabulary):
        match = text[field].str.extract(pattern)
        captured = match["name"] if "name" in match else pd.Series("", index=match.index)
        out[rule] = captured.fillna("").where(match["cue"].notna())
    return pd.DataFrame(out, index=text["title"].index)


def features(
    items: pd.DataFrame, vocabulary: Vocabulary
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(0/1 feature frame, rule captures, cleaned text) for `items` (same index)."""
    text = item_text(items)
    title, summary = text["title"], text["summary"]
    p = vocabulary.patterns()
    hits = rule_hits(text, vocabulary)
    title_names = shape_names(title)
    summary_names = shape_names(summary)
    head = title.str.split(r"\s*(?::|\s[|—–-]\s)\s*", n=1, regex=True).str[0]
    lead = head.str.replace(rf"^(?:The\s+)?{p.organization}", "", regex=True)
    known_lead = lead.str.match(p.family) | lead.str.match(p.catalogue)
    shape_lead = pd.Series(
        [bool(names) and h.find(names[0]) <= 12 for names, h in zip(title_names, head, strict=True)],
        index=title.index,
    )
    has_title_name = (title_names.str.len() > 0) | title.str.contains(p.named)
    lab_word = items["organization"].str.split(" ").str[0]
    flags = {
        "lead_known_name": known_lead,
        "lead_shape_name": shape_lead,
        "head_is_name": lead.str.fullmatch(
            rf"(?:{p.name}|{p.shape.pattern}|{p.catalogue.pattern}(?:[- ]\w+)?)"
            r"(?:\s+(?:Beta|Preview|Release))?"
        ),
        "title_known_family": title.str.contains(p.family) | title.str.contains(p.catalogue),
        "title_shape": title_names.str.len() > 0,
        "summary_shape": summary_names.str.len() > 0,
        "title_intro_word": title.str.contains(_INTRO_TITLE),
        "cue_known_name": title.str.contains(rf"{_CUE}(?:{p.family.pattern})")
        | title.str.contains(cue_pattern(p.catalogue)),
        "cue_shape_name": title.str.contains(rf"{_CUE}{GENERIC}"),
        "name_released": has_title_name & title.str.contains(RELEASE_WORD),
        "name_available": (has_title_name & title.str.contains(AVAILABLE))
        | ((summary_names.str.len() > 0) & summary.str.contains(AVAILABLE)),
        "available": title.str.contains(AVAILABLE) | summary.str.contains(AVAILABLE),
        "category_model": text["categories"].str.contains(_CATEGORY_MODEL),
        "link_version": text["link"].str.contains(_LINK_VERSION),
        "brand_only_lead": lead.str.match(rf"(?:{p.family.pattern})(?=\s+[a-z]|\s*$)"),
        "lab_product_lead": ~known_lead
        & pd.Series(
            [h.startswith(w) for h, w in zip(head, lab_word, strict=True)], index=title.index
        ),
        "story": title.str.contains(_STORY),
        "business": title.str.contains(_BUSINESS),
        "question": title.str.endswith("?"),
        "product_words": head.str.contains(_PRODUCT),
        "research_words": title.str.contains(_RESEARCH),
    }
    frame = pd.DataFrame(flags, index=title.index).fillna(False).astype("int8")
    for rule in hits.columns:
        frame[f"rule_{rule}"] = hits[rule].notna().astype("int8")
    return frame, hits, text


@cache
def cue_pattern(catalogue: re.Pattern) -> re.Pattern:
    """The cue before a catalogue family: compiled once per family list (it is long)."""
    return re.compile(rf"{_CUE}(?:{catalogue.pattern})")


def vetoed(text: dict[str, pd.Series]) -> pd.Series:
    """System and model cards, addenda: documents about a model announced in another item,
    whatever their wording (a labelling rule, data/labels/README.md), so not left to weights."""
    return text["title"].str.contains(VETO)
