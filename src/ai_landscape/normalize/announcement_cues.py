"""Feed items -> the named cues the announcement classifier weighs (announcement_classifier.py).

Each cue is a readable name with value 1, so that a decision can be explained as the cues that
fired and their learned weights. None of them is a lab's identity (a lab never seen has none):

- `rule:<name>`: a phrasing rule of announcement_rules.py fired (`rule:title_intro`), or the
  card veto; `rules:announce` when the rules alone would call the item an announcement;
- the shape of a name (model_names.py): `title:versioned name` (`M2.5`, `GLM-5.1`), `title:size`
  (`72B`), `title:name shape` (`Kimi K2`, `Grok Code Fast 1`), `summary:name shape`, and
  `title:starts with a name`, `title:is a name` (nothing else in it);
- names the catalogues already list or the reference words know: `title:catalogue family`,
  `summary:catalogue family`, `title:family word`;
- the feed: its categories (`category:release notes`), its kind (`kind:official`), whether the
  title starts with the feed's own organization (`title:own organization`);
- the link: its path's folders (`path:blog`) and whether the page's name carries a version
  (`slug:versioned`);
- the words of the title (`word:guide`) and of the summary's lead (`lead:launched`).
"""

from __future__ import annotations

import re

import pandas as pd

from ai_landscape.normalize.announcement_features import item_text, own_line
from ai_landscape.normalize.model_names import Vocabulary, shape_names

# Words of fewer letters carry no topic; the summary's first words are where a post says what
# it is ("Google has launched ...", "We're releasing ...").
_WORD = r"[a-z][a-z'’]+"
LEAD_WORDS = 25
_SIZE = r"(?<![\w$.])\d+(?:\.\d+)?[BM]\b"
# Feed categories that are dates or counts say nothing of the item.
_CATEGORY = re.compile(r"^[A-Za-z][\w &/-]*$")


def cues(items: pd.DataFrame, words: Vocabulary, decided: pd.DataFrame) -> list[dict[str, int]]:
    """One dict of fired cues per item (in `items` order). `decided` is the rules' verdict on
    the same items (announcements.decide): its `evidence` and `rule` become `rule:` cues."""
    text = item_text(items)
    title, summary = text["title"], text["summary"]
    p = words.patterns()
    shape_title = shape_names(title)
    names = decided["seen_names"]
    flags = {
        "title:versioned name": title.str.contains(p.versioned),
        "title:size": title.str.contains(_SIZE),
        "title:name shape": shape_title.str.len() > 0,
        "summary:name shape": shape_names(summary).str.len() > 0,
        "title:catalogue family": title.str.contains(p.catalogue),
        "summary:catalogue family": summary.str.contains(p.catalogue),
        "title:family word": title.str.contains(p.family),
        "title:starts with a name": _starts_with_name(title, names),
        "title:is a name": _is_name(title, names),
        "title:own organization": own_line(title, items["organization"]),
        "slug:versioned": text["slug"].str.contains(r"[a-z]-?v?\d"),
        "rules:announce": decided["is_model_announcement"],
        "rule:veto": decided["rule"].isin(["veto_system_card", "veto_product"]),
    }
    fired = pd.DataFrame({k: v.fillna(False).astype(bool) for k, v in flags.items()})
    lists = {
        "rule": decided["evidence"].map(lambda ev: [e.split("=", 1)[0] for e in ev]),
        "category": items["categories"].fillna("").astype(str).str.split(r"\s*;\s*"),
        "path": _folders(items["link"]),
        "word": title.str.lower().str.findall(_WORD),
        "lead": summary.str.lower().str.findall(_WORD).str[:LEAD_WORDS],
        "kind": items["kind"].fillna("").astype(str).map(lambda k: [k] if k else []),
    }
    records = fired.to_dict(orient="records")
    # Plain lists, read by position: `Series.iloc[i]` per item and list cost ~0.1 s (#17).
    columns = [(prefix, values.tolist()) for prefix, values in lists.items()]
    out = []
    for i, record in enumerate(records):
        row = {name: 1 for name, on in record.items() if on}
        for prefix, values in columns:
            for value in values[i]:
                value = value.strip().lower()
                if prefix != "category" or _CATEGORY.match(value):
                    row[f"{prefix}:{value}"] = 1
        out.append(row)
    return out


def _starts_with_name(title: pd.Series, names: pd.Series) -> pd.Series:
    """The title opens with one of the names found in it (`Gemma 4 12B: The Developer Guide`)."""
    return pd.Series(
        [any(t.startswith(n) for n in found) for t, found in zip(title, names, strict=True)],
        index=title.index,
    )


def _is_name(title: pd.Series, names: pd.Series) -> pd.Series:
    """The title is nothing but names and joining marks (`GLM-5.1`, `Speech-02-turbo / ...`)."""
    out = []
    for t, found in zip(title, names, strict=True):
        rest = t
        for name in sorted(found, key=len, reverse=True):
            rest = rest.replace(name, " ")
        out.append(bool(found) and not re.search(r"[A-Za-z]{3,}", rest))
    return pd.Series(out, index=title.index)


def _folders(links: pd.Series) -> pd.Series:
    """The folders of the link's path, not its last segment (`/blog/`, `/news/`, `/research/`):
    where on a lab's site the post sits."""
    path = links.fillna("").astype(str).str.extract(r"^(?:https?:)?//[^/]+(/[^?#]*)")[0]
    parts = path.fillna("").str.strip("/").str.split("/")
    return parts.map(lambda p: [x for x in p[:-1] if x and not re.search(r"\d", x)])
