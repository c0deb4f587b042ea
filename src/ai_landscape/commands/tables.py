"""Text tables that fit the terminal: text columns give way, numbers never do.

A model list is read in a terminal, where a line that wraps turns a table into noise. Each
column states whether and how readily it may be shortened; those are cut (with `…`) until
the line fits `width` (the terminal's, or `COLUMNS`, else 100). An optional column (the
organization, which a model id already starts with) is left out rather than cut the id.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass

ELLIPSIS = "…"
GAP = "  "
MIN_FLEX = 8  # a shortened column keeps at least this many characters


@dataclass(frozen=True)
class Col:
    header: str
    right: bool = False  # numbers: right-aligned, never shortened
    flex: int = 1  # 0: never shortened; columns with a higher value give way first
    optional: bool = False  # left out when the others cannot fit whole without its room


def terminal_width(default: int = 100) -> int:
    return shutil.get_terminal_size((default, 24)).columns


def fit_widths(natural: list[int], cols: list[Col], width: int) -> list[int]:
    """Shave one character at a time off the flexible column that gives way first (highest
    `flex`, then widest) until the row (with its gaps) fits `width`, or every flexible column
    is down to MIN_FLEX."""
    widths = list(natural)
    excess = sum(widths) + len(GAP) * (len(cols) - 1) - width
    while excess > 0:
        flexible = [i for i, c in enumerate(cols) if c.flex > 0 and widths[i] > MIN_FLEX]
        if not flexible:
            break
        widths[max(flexible, key=lambda i: (cols[i].flex, widths[i]))] -= 1
        excess -= 1
    return widths


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def render(cols: list[Col], rows: list[list[str]], width: int | None = None) -> str:
    """Header, a rule, the rows; every line at most `width` characters when it can be."""
    width = width or terminal_width()
    natural = [max([len(c.header), *(len(r[i]) for r in rows)]) for i, c in enumerate(cols)]
    widths = fit_widths(natural, cols, width)
    cut = any(w < n for w, n, c in zip(widths, natural, cols, strict=True) if c.flex == 1)
    if cut and any(c.optional for c in cols):
        kept = [i for i, c in enumerate(cols) if not c.optional]
        return render([cols[i] for i in kept], [[r[i] for i in kept] for r in rows], width)

    def line(values: list[str]) -> str:
        cells = [
            shorten(v, w).rjust(w) if c.right else shorten(v, w).ljust(w)
            for v, w, c in zip(values, widths, cols, strict=True)
        ]
        return GAP.join(cells).rstrip()

    lines = [line([c.header for c in cols]), line(["-" * w for w in widths])]
    lines += [line(r) for r in rows]
    return "\n".join(lines)


def human_count(value: float | None) -> str:
    """Parameter counts as people write them: 671B, 1.8T, 7.2B, 125M (3 significant digits)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{unit}"
    return f"{value:.3g}"


def flop(value: float | None) -> str:
    """Training compute in two significant digits: 3.8e25."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"
