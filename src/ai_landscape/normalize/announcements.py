"""Feed items -> what the phrasing rules say of them: which announce a model, which models, and
why (announcement_table.py makes the `announcements` table and the candidates from this and the
learned classifier).

The rules' decision is made by phrasing rules (announcement_rules.py) over the item's text
(announcement_features.py), measured by leaving one lab out against the hand labels
(docs/announcements.md). The names come from the rules' captures, the family words the
reference tables and catalogues know, and the shape of a model name (model_names.py). Every
row says why: `rule` is the rule that decided, `evidence` every rule that fired with the name
it captured.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.announcement_features import item_text, own_line, rule_hits, vetoed
from ai_landscape.normalize.announcement_rules import OWN_LINE_RULES
from ai_landscape.normalize.announcement_rules import RULE_NAMES as _RULES
from ai_landscape.normalize.model_names import (
    STAGE,
    Vocabulary,
    family_of,
    shape_names,
)
from ai_landscape.normalize.text import regroup

# Every value the `rule` column can take (besides null): a rule or a veto, or the learned
# classifier's verdict where it differs from the rules' (announcement_table.py).
VETO_RULE = "veto_system_card"
CLASSIFIER_RULE, CLASSIFIER_VETO = "classifier", "veto_classifier"
RULE_NAMES = (*_RULES, VETO_RULE, "veto_product", CLASSIFIER_RULE, CLASSIFIER_VETO)
# A one-word name in inner capitals leading a title: "AlphaQubit tackles", "DolphinGemma: How".
_LEADING_WORD = r"^([A-Z][a-z]+[A-Z][\w-]*)(?=:|\s+[a-z])"
_RELEASE_TAIL = r"\s+(?:Beta\s+)?Release$"
# Subscription plans whose names have a model's shape.
PRODUCT_NAMES = frozenset({"Claude Pro", "Claude Max"})


def decide(items: pd.DataFrame, words: Vocabulary) -> pd.DataFrame:
    """The decision columns (and `seen_names`) for items with `title` and `summary`: an item
    announces a model when a phrasing rule fires on it, it is no card, and what it names is not
    only a plan."""
    text = item_text(items)
    hits = rule_hits(text, words)
    own = own_line(text["title"], items["organization"])
    hits[list(OWN_LINE_RULES)] = hits[list(OWN_LINE_RULES)].where(~own, axis=0)
    names = model_names(text, hits, words)
    veto = vetoed(text)
    fired = hits.notna()
    # "Introducing Claude Pro": the only name a rule found is a subscription plan.
    product = names.str.len().eq(0) & hits.isin(PRODUCT_NAMES).any(axis=1)
    announces = fired.any(axis=1) & ~veto & ~product
    rule = fired.idxmax(axis=1).where(fired.any(axis=1))
    rule = rule.where(~product, "veto_product").where(~veto, VETO_RULE)
    return pd.DataFrame(
        {
            "is_model_announcement": announces.astype(bool),
            "model_names": names.where(announces, pd.Series([[]] * len(names), index=names.index)),
            "rule": rule.astype(object).where(rule.notna(), None),
            "evidence": _evidence(hits),
            # Every name found, announcement or not: the learned classifier's cues read them.
            "seen_names": names,
        },
        index=items.index,
    )


def _evidence(hits: pd.DataFrame) -> pd.Series:
    """Every rule that fired, in rule order, with what it captured: `title_intro=GPT-4.1`."""
    stacked = hits.stack().dropna().astype(str)
    rules = pd.Series(stacked.index.get_level_values(1), index=stacked.index, dtype=str)
    text = rules + ("=" + stacked).where(stacked != "", "")
    grouped = (
        pd.Series(text.to_numpy(), index=stacked.index.get_level_values(0))
        .groupby(level=0)
        .agg(list)
    )
    return grouped.reindex(hits.index).map(lambda v: v if isinstance(v, list) else [])


def model_names(text: dict, hits: pd.DataFrame, vocabulary: Vocabulary) -> pd.Series:
    """Names per item, the most specific evidence first: the first rule capture, then family
    names and name shapes of the title, a one-word name leading it (`AlphaQubit tackles ...`),
    then those of the summary. Bare brand words ("Claude"), plans, numbers and a leading lab
    name are left out."""
    patterns = vocabulary.patterns()
    pieces = [hits.bfill(axis=1).iloc[:, 0].dropna()] if len(hits.columns) else []
    for field in ("title", "summary"):
        family = text[field].str.extractall(f"(?P<model>{patterns.name})")["model"]
        shapes = shape_names(text[field]).explode().dropna()
        pieces += [family.droplevel("match"), shapes]
        if field == "title":
            pieces.append(text[field].str.extract(_LEADING_WORD)[0].dropna())
    names = _clean_names(pd.concat(pieces), patterns)
    names = pd.concat([names, _clean_names(_siblings(text, names, patterns.qualifier), patterns)])
    keep = (
        names.str.contains(r"[A-Za-z]")
        & ~names.str.fullmatch(patterns.brand_only)
        & ~names.isin(PRODUCT_NAMES)
    )
    return regroup(_dedupe(names[keep]), text["title"].index)


def _clean_names(names: pd.Series, patterns) -> pd.Series:
    """Release stages, a `Release` tail, a leading lab name and a sentence's full stop off."""
    names = names.astype(str).str.strip().str.replace(r"\.+$", "", regex=True)
    names = names.str.replace(STAGE, "", regex=True).str.replace(_RELEASE_TAIL, "", regex=True)
    return names.str.replace(rf"^{patterns.organization}", "", regex=True).str.strip()


def _siblings(text: dict, names: pd.Series, qualifier: str) -> pd.Series:
    """Names written as siblings of one already found, last in an item's list: `Gemini 2.5
    Flash and Pro` -> `Gemini 2.5 Pro`; a version written without its family (`introducing
    2.5 Flash-Lite`, `MiniMax-Hailuo-2.3 & 2.3-Fast`) takes the family of the item's first
    name that has one."""
    tier = rf"(?:{qualifier})(?:-(?:{qualifier}))*"
    base = r"[A-Z][\w-]*(?: [A-Z][\w-]*)?[ -]\d+(?:\.\d+)*"
    families = family_of(names).dropna()
    family = families[~families.index.duplicated()]
    out = []
    for field in ("title", "summary"):
        pairs = text[field].str.extractall(
            rf"(?P<base>{base})[ -]{tier}(?:\s*,\s*|\s+and\s+|\s*&\s*)(?P<tier>{tier})(?![\w-])"
        )
        out.append((pairs["base"] + " " + pairs["tier"]).droplevel("match"))
        bare = text[field].str.extractall(
            rf"(?:(?P<word>\b[\w’']+) )?(?<![\w.-])(?P<version>\d+(?:\.\d+)+[ -]{tier})(?![\w-])"
        )
        bare = bare[bare["word"].isna() | bare["word"].str.match(r"[a-z]")].droplevel("match")
        bare = bare[bare.index.isin(family.index)]
        out.append(family.reindex(bare.index) + " " + bare["version"])
    return pd.concat(out) if out else pd.Series(dtype=str)


def _dedupe(names: pd.Series) -> pd.Series:
    """First spelling of each name per item (`Qwen3` twice, `GPT 5.2` / `GPT-5.2`)."""
    key = names.str.lower().str.replace(r"[\s-]+", " ", regex=True)
    frame = pd.DataFrame({"item": names.index, "key": key.to_numpy(), "name": names.to_numpy()})
    first = frame.drop_duplicates(["item", "key"])
    return pd.Series(first["name"].to_numpy(), index=first["item"].to_numpy())
