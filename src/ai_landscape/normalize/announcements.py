"""Feed items -> which announce a model, which models, when: the `announcements` table, and
one candidate per item for resolution.

The decision is made by phrasing rules (announcement_rules.py) over the item's text
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
from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.model_names import (
    STAGE,
    Vocabulary,
    family_of,
    shape_names,
    vocabulary,
)
from ai_landscape.normalize.text import model_ids, regroup, split_list
from ai_landscape.sources.feeds.constants import SOURCE

# How an item dates its model: a first announcement ("Introducing X"), or news that a model
# announced earlier is now available ("X is now generally available"), which dates the
# release no better than a model page does (resolve/precedence.py ranks the two).
ANNOUNCEMENT_FIELD = "announcement"
AVAILABILITY_FIELD = "availability announcement"

ANNOUNCEMENT_COLUMNS = (
    "feed",
    "organization",
    "kind",
    "item_title",
    "link",
    "published",
    "is_model_announcement",
    "model_names",
    "rule",
    "evidence",
)
DECISION_COLUMNS = ANNOUNCEMENT_COLUMNS[6:]
# Every value the `rule` column can take (besides null): a rule or a veto.
VETO_RULE = "veto_system_card"
RULE_NAMES = (*_RULES, VETO_RULE, "veto_product")
# Rules whose phrasing says a model is available (now, or on a host), not that it is new.
AVAILABILITY_RULES = ("title_available", "title_live_on", "title_day_zero", "summary_available")
# A one-word name in inner capitals leading a title: "AlphaQubit tackles", "DolphinGemma: How".
_LEADING_WORD = r"^([A-Z][a-z]+[A-Z][\w-]*)(?=:|\s+[a-z])"
_RELEASE_TAIL = r"\s+(?:Beta\s+)?Release$"
# Subscription plans whose names have a model's shape.
PRODUCT_NAMES = frozenset({"Claude Pro", "Claude Max"})


def detect_announcements(records: pd.DataFrame, words: Vocabulary | None = None) -> pd.DataFrame:
    """One row per feed record (same index): whether it announces a model, which, and why.
    `records` are parsed feed items (`sources.feeds.parse`); `words` default to every
    reference word and catalogue family."""
    items = records.assign(link=item_keys(records))
    decided = decide(items, words or vocabulary())
    return pd.DataFrame(
        {
            "feed": records["feed"],
            "organization": records["organization"],
            "kind": records["kind"],
            "item_title": records["title"],
            "link": items["link"],
            "published": announcement_dates(records),
            **{column: decided[column] for column in DECISION_COLUMNS},
        },
        index=records.index,
    )


def item_keys(records: pd.DataFrame) -> pd.Series:
    """An item's key within its feed: its link, else its guid, and its guid too where the feed
    gives several items one link (Z.ai's and MiniMax's release notes link every model to the
    same page), so that each item keeps its own key and label."""
    shared = records.duplicated(["feed", "link"], keep=False)
    return records["link"].where((records["link"] != "") & ~shared, records["guid"])


def decide(items: pd.DataFrame, words: Vocabulary) -> pd.DataFrame:
    """DECISION_COLUMNS for items with `title` and `summary`: an item announces a model when a
    phrasing rule fires on it, it is no card, and what it names is not only a plan."""
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


def announcement_dates(records: pd.DataFrame) -> pd.Series:
    """The item's calendar date as the feed wrote it (local to the lab): published, else
    updated; None when the item carries neither."""
    stamp = records["published"].where(records["published"] != "", records["updated"])
    dates = pd.to_datetime(stamp.str[:10], format="%Y-%m-%d", errors="coerce")
    return dates.dt.date.where(dates.notna(), None)


def normalize_records(
    records: pd.DataFrame, dataset: str | pd.Series, found: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One candidate per feed item (same index). An announcement suggests its first model,
    dated by the item; other items resolve to no model. All names stay in the table above.
    `found`: `detect_announcements(records)` when the caller has it already (the pipeline
    detects once over every feed's items: `dataset` is then each item's, same index)."""
    found = detect_announcements(records) if found is None else found
    name = found["model_names"].str[0].where(found["is_model_announcement"])
    organizations = split_list(records["organization"], "\n")  # one organization per feed
    dated = found["published"].notna() & name.notna()
    availability = found["rule"].isin(AVAILABILITY_RULES)
    return candidates(
        records,
        SOURCE,
        dataset,
        source_key=found["link"],
        model_id=model_ids(records["organization"], name.fillna("")),
        name=name,
        organizations=organizations,
        release_date=found["published"].where(dated, None),
        release_date_field=pd.Series(AVAILABILITY_FIELD, index=records.index)
        .where(availability, ANNOUNCEMENT_FIELD)
        .where(dated),
    )
