"""Labs' RSS/Atom feeds and GitHub `releases.atom`: what was announced, when, by whom.

One dataset per feed, configured in `data/reference/feeds.csv`. Community feeds (scrapers'
feeds for labs that publish none) are datasets of their own, marked `community`, so a reader
can always tell a lab's own words from a third party's copy of them.
"""
