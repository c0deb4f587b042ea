"""Feed items -> the `announcements` table (which announce a model, which models, when, why)
and one candidate per item for resolution.

The decision is the shipped detector's (`SHIPPED_METHOD`): the learned classifier over the
item's cues, the phrasing rules' verdict among them (announcement_classifier.py), chosen because
it did better than the rules on held-out vintages nobody read while writing either
(docs/announcements.md). `rule` says which rule decided, or `classifier` where the classifier
found an announcement no rule did, or `veto_classifier` where it overruled the rules; `evidence`
lists every rule that fired and the classifier's probability (`classifier=0.93`).
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.announcement_classifier import item_cues
from ai_landscape.normalize.announcement_scoring import (
    method_cues,
    said_by,
    shipped_classifier,
)
from ai_landscape.normalize.announcements import CLASSIFIER_RULE, CLASSIFIER_VETO
from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.model_names import Vocabulary, vocabulary
from ai_landscape.normalize.text import model_ids, split_list
from ai_landscape.sources.feeds.constants import SOURCE

# Which method of announcement_scoring.METHODS decides (tests/normalize/
# test_announcement_classifier.py checks it is the best on the held-out vintages).
SHIPPED_METHOD = "classifier"
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
# Rules whose phrasing says a model is available (now, or on a host), not that it is new.
AVAILABILITY_RULES = ("title_available", "title_live_on", "title_day_zero", "summary_available")


def detect_announcements(records: pd.DataFrame, words: Vocabulary | None = None) -> pd.DataFrame:
    """One row per feed record (same index): whether it announces a model, which, and why.
    `records` are parsed feed items (`sources.feeds.parse`); `words` default to every
    reference word and catalogue family."""
    items = records.assign(link=item_keys(records))
    decided = shipped_decision(items, words or vocabulary())
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


def shipped_decision(items: pd.DataFrame, words: Vocabulary) -> pd.DataFrame:
    """DECISION_COLUMNS by `SHIPPED_METHOD`: the rules' verdict, overruled by the classifier
    where it disagrees; the names are those the extractor found in an item called one."""
    fired, decided = item_cues(items, words)
    if SHIPPED_METHOD == "rules" or not len(items):
        return decided
    probability = shipped_classifier().probability(method_cues(SHIPPED_METHOD, fired))
    rules = decided["is_model_announcement"]
    said = said_by(SHIPPED_METHOD, rules, probability)
    rule = decided["rule"].where(~(said & ~rules), CLASSIFIER_RULE)
    rule = rule.where(~(rules & ~said), CLASSIFIER_VETO)
    none = pd.Series([[]] * len(items), index=items.index)
    return pd.DataFrame(
        {
            "is_model_announcement": said,
            "model_names": decided["seen_names"].where(said, none),
            "rule": rule.astype(object).where(rule.notna(), None),
            "evidence": [
                [*rules_fired, f"classifier={p:.2f}"]
                for rules_fired, p in zip(decided["evidence"], probability, strict=True)
            ],
        },
        index=items.index,
    )


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
