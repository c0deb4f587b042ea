"""`landscape normalize license|params|compute [TEXT] [--json]`: how one value is read.

Each value is normalized by the same code the pipeline runs (the licence table, the number
grammar) and printed with the rule or table row that produced it. Without TEXT, every
non-blank line of standard input is one value, so a file of values is explained in one call;
`--json` prints one JSON object per value, one per line.

Exit status: 0 when every value got an answer, 1 when at least one did not (a licence that
comes out `unknown`, text with no readable number), 2 for a usage error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TextIO

import pandas as pd

from ai_landscape.normalize.licenses import classify_series
from ai_landscape.normalize.quantities import parse_compute, parse_parameters, parse_series

EXIT_OK, EXIT_UNRESOLVED, EXIT_USAGE = 0, 1, 2


def _licence(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    found = classify_series(values)
    return found, found["weights_access"].ne("unknown")


def _params(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    found = parse_series(values, parse_parameters)
    return found, found["parameters"].notna() | found["active_parameters"].notna()


def _compute(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    found = parse_series(values, parse_compute).rename(columns={"value": "training_compute_flop"})
    return found, found["training_compute_flop"].notna()


# kind -> (normalizer returning the answer columns and which rows were answered)
KINDS: dict[str, Callable[[pd.Series], tuple[pd.DataFrame, pd.Series]]] = {
    "license": _licence,
    "params": _params,
    "compute": _compute,
}


def explain(kind: str, text: str | None, *, as_json: bool, stdin: TextIO) -> tuple[int, list[str]]:
    """(exit status, lines to print) for TEXT, or for each line of `stdin` when TEXT is None."""
    if kind not in KINDS:
        return EXIT_USAGE, [f"error: unknown kind {kind!r}; one of {', '.join(KINDS)}"]
    values = [text] if text is not None else [v for v in stdin.read().splitlines() if v.strip()]
    if not values:
        return EXIT_USAGE, ["error: no value given (pass TEXT or lines on standard input)"]
    found, answered = KINDS[kind](pd.Series(values, dtype=object))
    records = [
        {"input": value, **{k: _plain(v) for k, v in row.items()}}
        for value, row in zip(values, found.to_dict(orient="records"), strict=True)
    ]
    if as_json:
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
    else:
        lines = []
        for record in records:
            lines += [*([""] if lines else []), *_table(record)]
    return (EXIT_OK if answered.all() else EXIT_UNRESOLVED), lines


def _plain(value: object) -> object:
    """JSON-ready: NaN and pandas nulls become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _table(record: dict) -> list[str]:
    width = max(len(k) for k in record)
    return [f"{key:<{width}}  {_shown(value)}" for key, value in record.items()]


def _shown(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value).replace("\n", "\\n")
