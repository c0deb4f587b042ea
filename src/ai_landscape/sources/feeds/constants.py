"""The feeds the pipeline reads, from the reviewed table `data/reference/feeds.csv`.

Feeds come and go (labs redesign their sites, community scrapers appear), so the list is data
that a reviewer edits, not code; `URLS` is built from it once, at import.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from ai_landscape.settings import REFERENCE_DIR

SOURCE = "feeds"
REFERENCE_TABLE = REFERENCE_DIR / "feeds.csv"
# official: the lab's own feed; community: a third party's scrape of a lab page that has no
# feed; github_releases: a repository's `releases.atom`.
KINDS = ("official", "community", "github_releases")


@dataclass(frozen=True)
class Feed:
    dataset: str
    organization: str
    url: str
    kind: str
    notes: str


def load_feeds(path=REFERENCE_TABLE) -> dict[str, Feed]:
    """Rows of the reference table by dataset; a bad row stops the import, not a run later."""
    with open(path, encoding="utf-8", newline="") as fh:
        feeds = [Feed(**row) for row in csv.DictReader(fh)]
    for feed in feeds:
        if feed.kind not in KINDS:
            raise ValueError(f"{path}: {feed.dataset}: kind {feed.kind!r} not in {KINDS}")
    by_dataset = {feed.dataset: feed for feed in feeds}
    if len(by_dataset) != len(feeds):
        raise ValueError(f"{path}: a dataset name is listed twice")
    return by_dataset


FEEDS = load_feeds()
# In table order: official feeds first, so where two feeds carry one item the lab's own wins.
URLS = {dataset: feed.url for dataset, feed in FEEDS.items()}

# Columns of a parsed record (after `_row`), all text: dates are ISO 8601 with the feed's own
# UTC offset, or "" when the item has none.
RECORD_COLUMNS = (
    "feed",
    "feed_title",
    "organization",
    "kind",
    "guid",
    "link",
    "title",
    "published",
    "updated",
    "summary",
    "author",
    "categories",
)
