"""A Python regular expression widened for RE2 (`pyarrow.compute`): a cheap first pass.

Python's `re` searches one text at a time; Arrow runs RE2 over a whole column in C++. For a
set of patterns searched through many texts (the licence table's free-text rows), RE2 first
says which texts each pattern could match, and `re` (whose matches decide) only searches
those: the licence classifier's free text went from 85 patterns per text to 1.3 (#17).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

# Escapes `widened` keeps as they are: the same characters in both dialects.
_LITERAL_ESCAPES = frozenset(".+*?$^|()[]{}\\/-'\"&#% ntr")


def widened(pattern: str) -> str | None:
    """An RE2 pattern that matches wherever Python's `pattern` matches (and maybe elsewhere),
    or None when `pattern` has a construct this cannot widen safely.

    Lookarounds (which RE2 lacks) and `\\b` (ASCII-only in RE2, Unicode in `re`) are dropped:
    a pattern without a condition matches more. `\\d` is every Unicode decimal digit, as in
    `re`; `\\w` every letter and number and `_` (`re`'s are alphanumeric by `str.isalnum`),
    except in a negated class. Any other escape but literal punctuation (`\\s`, a
    backreference, ...), a quantifier on what was dropped, or a pattern RE2 does not compile
    gives None."""
    out: list[str] = []
    i, in_class, negated, class_body = 0, False, False, -1
    while i < len(pattern):
        char, dropped = pattern[i], False
        if not in_class and pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i, dropped = _group_end(pattern, i), True
            if i < 0:
                return None
        elif char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped == "b" and not in_class:  # in a class, `\\b` is a backspace
                dropped = True
            elif escaped == "d":
                out.append("\\p{Nd}")
            elif escaped == "w" and not (in_class and negated):  # letters, digits, `_`
                out.append("\\p{L}\\p{N}_" if in_class else "[\\p{L}\\p{N}_]")
            elif escaped and escaped in _LITERAL_ESCAPES:
                out.append(pattern[i : i + 2])
            else:
                return None
            i += 2
        elif in_class:
            in_class = char != "]" or i == class_body  # `[]...]`: that `]` is a member
            out.append(char)
            i += 1
        elif pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            return None  # named groups, inline flags: not widened
        else:
            in_class, negated = char == "[", pattern.startswith("[^", i)
            class_body = i + 2 if negated else i + 1
            out.append(pattern[i:class_body] if in_class else char)
            i = class_body if in_class else i + 1
        if dropped and pattern[i : i + 1] in ("?", "*", "+", "{"):
            return None
    wide = "".join(out)
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), wide)
    except pa.ArrowInvalid:
        return None
    return wide


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group opened at `start` (escapes and classes skipped), or -1."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1
