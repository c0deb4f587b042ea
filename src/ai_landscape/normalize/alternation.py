"""A list of literal words as one regular expression that `re` matches quickly (issue #17).

The announcement rules embed the catalogues' ~650 model families and the lab names as
alternations of escaped words, longest first (`Claude Opus|Claude|...`). Python's `re` tries
such an alternation's branches one after another at every position it reaches: ~650 branch
tests at each word start of every title and summary, in about twenty rules. Grouped by their
first letter (`C(?:laude Opus|laude|...)|G(?:emma|...)`, escaped), a position costs one test
per first letter, then only the words that start with it. A full prefix tree matches a little
faster still but has so many groups that compiling the rules (pure-Python parsing, once per
vocabulary) costs more than it saves.

The grouped list matches what the flat one matches, and in the same order: the words that
match at one position are all prefixes of the text there, so they share its first letter and
sit in one group, which keeps them longest first. That is what keeps every rule's captures
the same. It holds for case-sensitive matching; under `(?i)` words of different case
(`BLOOM`, `BloombergGPT`) would sit in different groups, so `folded=True` groups the
lower-cased words, which `(?i)` matches where it matched any of their spellings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NOTHING = r"(?!x)x"  # an alternation of no words: matches nothing


def literal_alternation(words: Iterable[str], folded: bool = False) -> str:
    """A pattern equivalent to `|`.join of the escaped `words` sorted longest first (lower-cased
    for use inside `(?i:...)` when `folded`); `NOTHING` for no words. Empty words are ignored."""
    unique = {word.lower() if folded else word for word in words if word}
    groups: dict[str, list[str]] = {}
    for word in sorted(unique, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))  # "" (the letter alone) last
    branches = [
        re.escape(first) + (rest[0] if len(rest) == 1 else f"(?:{'|'.join(rest)})")
        for first, rest in groups.items()
    ]
    return "|".join(branches) or NOTHING
