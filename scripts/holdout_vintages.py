"""Extract items of older vintages of an Olshansk/rss-feeds feed that no label file holds.

Why: issue #15's held-out set must be items nobody read while writing the detection rules. This
walks every committed version of one feed (newest first), parses each version that holds a link
not yet seen with the project's own parser, and keeps the items whose link (scheme, `www.`,
query and trailing slash ignored; the fragment kept, since changelog feeds name their items by
it) and title are not in `data/labels/announcements.csv` (which holds every earlier label, the
first blind sets' included). Each item is read from the newest commit holding it. The label
columns are left empty, to be filled by hand; the detector is never run here.

    PYTHONPATH=src .venv/bin/python scripts/holdout_vintages.py REPO feeds/feed_cursor.xml \
        cursor_blog_community Anysphere community out.csv
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

from ai_landscape.normalize.announcement_evaluation import LABEL_COLUMNS
from ai_landscape.sources.feeds.constants import FEEDS
from ai_landscape.sources.feeds.parse import parse_feed

LABELS = Path(__file__).resolve().parent.parent / "data" / "labels"
# The held-out files: the hand labels' columns and where each item was recorded.
COLUMNS = [*LABEL_COLUMNS, "source_commit"]
# An item's link, or its guid/id (feeds that give every item one link tell items apart by it).
_LINK = re.compile(
    rb'<(?:link|guid|id)(?: [^>]*)?>\s*(?:<!\[CDATA\[)?([^<\]]*)|<link[^>]*href="([^"]*)"'
)


def norm_link(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    base, _, fragment = url.partition("#")
    base = base.split("?")[0].rstrip("/")
    return f"{base}#{fragment}" if fragment else base


def norm_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", title.lower())


def labelled() -> tuple[set[str], set[str]]:
    """Links and titles of the training labels (which since the second blind set was scored hold
    its items too); the held-out files this script feeds are left out so a rerun gives the
    same."""
    files = [LABELS / "announcements.csv"]
    links, titles = set(), set()
    for path in files:
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                links.add(norm_link(row["link"]))
                titles.add(norm_title(row["title"]))
    return links, titles


def versions(repo: str, path: str) -> list[tuple[str, str]]:
    """(commit, blob) of every committed version of `path`, newest first, one per blob."""
    log = subprocess.run(
        ["git", "-C", repo, "log", "--all", "--format=C %H", "--raw", "--no-abbrev", "--", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen, out, commit = set(), [], ""
    for line in log.splitlines():
        if line.startswith("C "):
            commit = line[2:]
        elif line.startswith(":"):
            blob = line.split()[3]
            if blob not in seen and set(blob) != {"0"}:
                seen.add(blob)
                out.append((commit, blob))
    return out


def extract(repo, path, dataset, organization, kind):
    """Rows of the unlabelled items, plus the commits parsed."""
    known_links, known_titles = labelled()
    proxy = dataset if dataset in FEEDS else "anthropic_news_community"
    cat = subprocess.Popen(
        ["git", "-C", repo, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    raw_seen: set[bytes] = set()
    kept: dict[str, dict] = {}
    handled: set[str] = set()
    read: list[str] = []
    for commit, blob in versions(repo, path):
        cat.stdin.write(blob.encode() + b"\n")
        cat.stdin.flush()
        size = int(cat.stdout.readline().split()[2])
        body = cat.stdout.read(size)
        cat.stdout.read(1)
        raw = {(m.group(1) or m.group(2) or b"").strip() for m in _LINK.finditer(body)}
        if raw <= raw_seen:
            continue
        raw_seen |= raw
        try:
            frame = parse_feed(body, proxy, f"{path}@{commit}")
        except Exception as exc:  # a broken vintage is skipped, and said
            print(f"skip {commit}: {exc}", file=sys.stderr)
            continue
        read.append(commit)
        shared = frame["link"].duplicated(keep=False) | (frame["link"] == "")
        frame["ident"] = frame["guid"].where(shared, frame["link"])
        for item in frame.itertuples():
            key = norm_link(item.ident)
            if key in handled:
                continue
            handled.add(key)
            if key in known_links or norm_title(item.title) in known_titles:
                continue
            kept[key] = {
                "feed": dataset,
                "organization": organization,
                "kind": kind,
                "link": item.ident,
                "title": item.title,
                "categories": item.categories,
                "summary": item.summary[:300],
                "is_model_announcement": "",
                "model_names": "",
                "notes": "",
                "source_commit": commit,
            }
    cat.stdin.close()
    cat.wait()
    return list(kept.values()), read


def main(argv: list[str]) -> None:
    repo, path, dataset, organization, kind, out = argv
    rows, read = extract(repo, path, dataset, organization, kind)
    with open(out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    used = sorted({row["source_commit"] for row in rows})
    print(f"{path}: {len(rows)} items, {len(read)} versions parsed, {len(used)} source commits")


if __name__ == "__main__":
    main(sys.argv[1:])
