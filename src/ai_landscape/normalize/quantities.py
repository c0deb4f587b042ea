"""Counts written as text -> floats: parameters (total and active), training compute, tokens.

Sources write one number in many shapes: Epoch's float strings (`247000000.00000003`), Hub
counts (`110106428`), `671B`, `1.8T`, `7.24 billion`, `1750亿`, `3.8e25`, `3.8×10^25`,
`10^23`, `~2e24 FLOP`, `3640 petaflop/s-days`, and sentences such as `13B active parameters
out of 284B total` or `MoE\ntotal parameters: 300B\nactive parameters: 47B`. One grammar reads
them all, so a new shape is added in one place.

In a sentence each number gets a role from the words beside it (`active`, `total`, `FLOP`,
`tokens`). Bare small numbers there (`Llama 4`, `16 experts`, `top-2`) are not counts, and
operands of a product (`16x3.8B`, `6 × 405B × 15.6T`), ends of a range (`60B-120B`) and
percentages are skipped rather than guessed at: a wrong count is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import pandas as pd

from ai_landscape.normalize.numbers import tidy_float
from ai_landscape.normalize.text import map_distinct

# Powers of ten of the scale words and suffixes; values are built as decimal strings
# (`7.24e9`), so `7.24 billion` is exactly the double nearest 7,240,000,000.
SCALES = {
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "million": 6,
    "b": 9,
    "bn": 9,
    "billion": 9,
    "t": 12,
    "trillion": 12,
    "quadrillion": 15,
    "万": 4,
    "亿": 8,
    "十亿": 9,
    "百亿": 10,
    "千亿": 11,
    "万亿": 12,
}
PETAFLOP_S_DAY = 1e15 * 86400  # OpenAI's compute unit: one petaFLOP/s for a day
# In a sentence, a number written without a scale counts only from this size up.
MIN_BARE_IN_SENTENCE = 1e5
# How far from a number a role word (`active`, `total: `) may stand and still label it.
LABEL_REACH = 30

_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_WORDS = "quadrillion|thousand|trillion|billion|million"
_QUANTITY = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:[eE](?P<exp>[+-]?\d+)"
    r"|\s*(?:[x×*·]|\\times)\s*10\s*(?:\^|\*\*)\s*\{?(?P<exp10>[+-]?\d+)\}?)?"
    rf"(?:\s*(?P<word>{_WORDS})\b"
    r"|\s*(?P<cjk>万亿|千亿|百亿|十亿|亿|万)"
    r"|\s?(?P<suffix>bn|mn|[kmbt])(?![a-z]))?"
    r"(?P<pfsday>\s*(?:petaflop/s[- ]days?|pf(?:lop)?/?s[- ]days?))?",
    re.IGNORECASE,
)
_POWER_OF_TEN = re.compile(r"(?<![\w.])10\s*(?:\^|\*\*)\s*\{?(?P<exp>[+-]?\d+)\}?")
# Qwen-style names: `235B-A22B` is 235B total, 22B active.
_A_NOTATION = re.compile(
    r"(?<![\w.])(?P<total>\d+(?:\.\d+)?)(?P<u1>[bm])-a(?P<active>\d+(?:\.\d+)?)(?P<u2>[bm])\b",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"[,;/\n()\[\]]")
_TIMES_AFTER = re.compile(r"^\s*(?:[x×*·]|\\times|/\s*\d)(?!\s*10\s*(?:\^|\*\*))", re.IGNORECASE)
_TIMES_BEFORE = re.compile(r"(?:[x×*·]|\\times)\s*$", re.IGNORECASE)
_RANGE_SEPARATOR = re.compile(r"^\s*(?:-|–|to)\s*~?\s*$")
_PERCENT = re.compile(r"^\s*%")
_RESULT_BEFORE = re.compile(r"(?:=|≈)\s*$")
_APPROX = re.compile(r"^(?:[~≈]\s*|(?:about|approximately|approx\.?|around|roughly)\s+)", re.I)


class Quantity(NamedTuple):
    value: float
    scaled: bool  # written with a scale, an exponent or a unit, not as a bare number
    before: str  # the words since the previous boundary or number, lower-case
    after: str  # the words up to the next boundary or number, lower-case
    skipped: bool  # an operand of a product, an end of a range, or a percentage


class Parameters(NamedTuple):
    parameters: float | None
    active_parameters: float | None
    rule: str


class Count(NamedTuple):
    value: float | None
    rule: str


def quantities(text: str) -> list[Quantity]:
    """Every number in `text`, its scale applied, with the words around it."""
    text = _SUPERSCRIPT.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPT_DIGITS), text)
    spans: list[tuple[int, int, float, bool]] = []
    for m in _QUANTITY.finditer(text):
        if m["num"] == "10" and _POWER_OF_TEN.match(text, m.start()):
            continue  # `10^23` is read below
        spans.append((m.start(), m.end(), *_value(m)))
    for m in _POWER_OF_TEN.finditer(text):
        if not _TIMES_BEFORE.search(text[: m.start()]):  # `3.8×10^25` was read whole
            spans.append((m.start(), m.end(), float(f"1e{m['exp']}"), True))
    spans.sort()
    found = []
    for i, (start, end, value, scaled) in enumerate(spans):
        prev_end = spans[i - 1][1] if i else 0
        next_start = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        between_before, between_after = text[prev_end:start], text[end:next_start]
        ranged = (
            i > 0 and scaled and spans[i - 1][3] and _RANGE_SEPARATOR.match(between_before)
        ) or (
            i + 1 < len(spans)
            and scaled
            and spans[i + 1][3]
            and _RANGE_SEPARATOR.match(between_after)
        )
        skipped = bool(
            ranged
            or _TIMES_AFTER.match(between_after)
            or _TIMES_BEFORE.search(between_before)
            or _PERCENT.match(between_after)
        )
        found.append(
            Quantity(
                value,
                scaled,
                before=_BOUNDARY.split(between_before)[-1][-LABEL_REACH:].lower(),
                after=_BOUNDARY.split(between_after, maxsplit=1)[0][:LABEL_REACH].lower(),
                skipped=skipped,
            )
        )
    return found


def _value(m: re.Match) -> tuple[float, bool]:
    exponent = m["exp"] or m["exp10"]
    scale = (m["word"] or m["cjk"] or m["suffix"] or "").lower()
    power = int(exponent or 0) + SCALES.get(scale, 0)
    value = float(f"{m['num'].replace(',', '')}e{power}")
    if m["pfsday"]:
        value *= PETAFLOP_S_DAY
    return value, bool(exponent is not None or scale or m["pfsday"])


def parse_number(text: str) -> Count:
    """One number, however written: `671B`, `3.8×10^25`, `~2e24 FLOP`, `1750亿`."""
    found = [q for q in _counts(text) if not q.skipped]
    if len(found) == 1:
        return Count(found[0].value, "one number")
    return Count(None, _none_found(found))


def parse_parameters(text: str) -> Parameters:
    """Total and active parameters from a count or a sentence describing a model."""
    text = _APPROX.sub("", text.strip())
    named = _A_NOTATION.search(text)
    if named:
        total = float(f"{named['total']}e{SCALES[named['u1'].lower()]}")
        active = float(f"{named['active']}e{SCALES[named['u2'].lower()]}")
        return Parameters(total, active, "model name `<total>B-A<active>B`")
    # `256K tokens` beside a parameter count is a context length, not parameters.
    usable = [
        q for q in _counts(text) if not q.skipped and not q.after.lstrip().startswith("token")
    ]
    active = [q for q in usable if _labelled(q, "active")]
    total = [q for q in usable if _labelled(q, "total")]
    plain = [q for q in usable if q not in active and q not in total]
    rules = []
    total_value = active_value = None
    if total:
        total_value = total[0].value
        rules.append("labelled total")
    elif len(plain) == 1:
        total_value = plain[0].value
        rules.append("one number" if len(usable) == 1 else "the one unlabelled count")
    if active:
        active_value = active[0].value
        rules.append("labelled active")
    if total_value is not None and active_value is not None and active_value > total_value:
        return Parameters(None, active_value, "labelled active; a smaller total left out")
    if not rules:
        return Parameters(None, None, "ambiguous: several counts" if usable else "no count found")
    return Parameters(total_value, active_value, "; ".join(rules))


def parse_compute(text: str) -> Count:
    """Training compute in FLOP: a value, `~2e24 FLOP`, `6 × 405B × 15.6T = 3.8e25`."""
    return _labelled_count(text, unit="flop")


def parse_tokens(text: str) -> Count:
    """Training tokens: `15T tokens`, `15.6 trillion`, `18000000000000`."""
    return _labelled_count(text, unit="token")


# Counts of another kind, by the word after the number: never a count of `unit`.
_OTHER_UNITS = {"flop": ("token", "param"), "token": ("flop",)}


def _labelled_count(text: str, unit: str) -> Count:
    counted = [q for q in _counts(text) if not q.skipped]
    found = [q for q in counted if not q.after.lstrip().lower().startswith(_OTHER_UNITS[unit])]
    if counted and not found:
        other = counted[0].after.lstrip().split()[0].lower().rstrip(".,;:")
        kind = "FLOP of training compute" if unit == "flop" else f"{unit}s"
        return Count(None, f"a count of {other}, not {kind}: not read as one")
    results = [q for q in found if _RESULT_BEFORE.search(q.before)]
    labelled = [q for q in found if unit in q.after]
    if results:
        return Count(results[0].value, "result of a formula (`= …`)")
    if labelled:
        return Count(labelled[0].value, f"first number labelled {unit}")
    if len(found) == 1:
        return Count(found[0].value, "one number")
    return Count(None, _none_found(found))


def _counts(text: str) -> list[Quantity]:
    found = quantities(_APPROX.sub("", text.strip()))
    if len(found) > 1:  # a sentence: bare small numbers are versions, ordinals, sizes of things
        found = [q for q in found if q.scaled or q.value >= MIN_BARE_IN_SENTENCE]
    return found


def _labelled(q: Quantity, role: str) -> bool:
    """The role word right after the number (`37B active`), else, when no other role word
    follows it, right before it (`active parameters: 47B`, `a total of 71.99B`)."""
    words = {"active": r"\bactive|\bactivated", "total": r"\btotal"}
    if re.search(words[role], q.after):
        return True
    other = next(w for r, w in words.items() if r != role)
    return not re.search(other, q.after) and bool(re.search(words[role], q.before))


def _none_found(found: list[Quantity]) -> str:
    return f"ambiguous: {len(found)} numbers, none labelled" if found else "no number found"


def parse_series(values: pd.Series, parser: Callable[[str], NamedTuple]) -> pd.DataFrame:
    """A parser over a column: its fields as columns, counts as float64 (tidied)."""
    return map_distinct(values, parser, finish=_as_floats)


def _as_floats(table: pd.DataFrame) -> pd.DataFrame:
    for name in table.columns.drop("rule"):
        table[name] = tidy_float(pd.to_numeric(table[name], errors="coerce").astype("float64"))
    return table


def active_parameters(notes: pd.Series, totals: pd.Series) -> pd.Series:
    """Active parameters stated in free-text notes (Epoch's `Parameters notes`), kept only
    where smaller than the record's total: a larger `active` is a misreading."""
    active = parse_series(notes, parse_parameters)["active_parameters"]
    return active.where(active.notna() & (totals.isna() | (active < totals)))
