"""`landscape normalize license|params|compute [TEXT] [--json]`: how one value is read.

Without TEXT, every non-blank line of standard input is one value, so a file of values is
explained in one call; `--json` prints one JSON object per value, one per line.

Exit status: 0 when every value got an answer, 1 when at least one did not (a licence that
comes out `unknown`, text with no readable number), 2 for a usage error.
"""

from __future__ import annotations

import json
from typing import TextIO

from ai_landscape.commands.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from ai_landscape.normalize.explain import KINDS, explain_values

EXIT_UNRESOLVED = EXIT_FAILED


def explain(kind: str, text: str | None, *, as_json: bool, stdin: TextIO) -> tuple[int, list[str]]:
    """(exit status, lines to print) for TEXT, or for each line of `stdin` when TEXT is None."""
    if kind not in KINDS:
        return EXIT_USAGE, [f"error: unknown kind {kind!r}; one of {', '.join(KINDS)}"]
    values = [text] if text is not None else [v for v in stdin.read().splitlines() if v.strip()]
    if not values:
        return EXIT_USAGE, ["error: no value given (pass TEXT or lines on standard input)"]
    records, answered = explain_values(kind, values)
    if as_json:
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
    else:
        lines = []
        for record in records:
            lines += [*([""] if lines else []), *_table(record)]
    return (EXIT_OK if all(answered) else EXIT_UNRESOLVED), lines


def _table(record: dict) -> list[str]:
    width = max(len(k) for k in record)
    return [f"{key:<{width}}  {_shown(value)}" for key, value in record.items()]


def _shown(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value).replace("\n", "\\n")
