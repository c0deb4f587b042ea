"""How one value is read: the answer of the pipeline's own normalizers, with its rule.

Each value is normalized by the same code the pipeline runs (the licence table, the number
grammar, announcement detection) and returned with the rule, table row or learned weights that
produced it; `landscape normalize` (`commands/normalize.py`) prints it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from ai_landscape.normalize.licenses import classify_series
from ai_landscape.normalize.quantities import parse_compute, parse_parameters, parse_series


def _licence(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    found = classify_series(values)
    return found, found["weights_access"].ne("unknown")


def _params(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    found = parse_series(values, parse_parameters)
    return found, found["parameters"].notna() | found["active_parameters"].notna()


def _compute(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    found = parse_series(values, parse_compute).rename(columns={"value": "training_compute_flop"})
    return found, found["training_compute_flop"].notna()


def _announcement(values: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """A feed item's title (a summary after ` | `, optional) -> the detector's answer and the
    learned classifier's, with the cues that fired and their weights."""
    # Imported here: the other kinds need neither scikit-learn nor the labels.
    from ai_landscape.normalize.announcement_scoring import explain_items

    parts = values.astype(str).str.split(" | ", n=1, regex=False)
    items = pd.DataFrame(
        {
            "title": parts.str[0],
            "summary": parts.str[1].fillna(""),
            "categories": "",
            "link": "",
            "organization": "",
            "kind": "",
        }
    )
    found = explain_items(items)
    return found, pd.Series(True, index=found.index)  # "not an announcement" is an answer


# kind -> (normalizer returning the answer columns and which rows were answered)
KINDS: dict[str, Callable[[pd.Series], tuple[pd.DataFrame, pd.Series]]] = {
    "license": _licence,
    "params": _params,
    "compute": _compute,
    "announcement": _announcement,
}


def explain_values(kind: str, values: list[str]) -> tuple[list[dict], list[bool]]:
    """One record per value (the input, then the answer and the rule or row behind it), and
    whether each value got an answer. `kind` is one of KINDS."""
    found, answered = KINDS[kind](pd.Series(values, dtype=object))
    records = [
        {"input": value, **{k: _plain(v) for k, v in row.items()}}
        for value, row in zip(values, found.to_dict(orient="records"), strict=True)
    ]
    return records, [bool(a) for a in answered]


def _plain(value: object) -> object:
    """JSON-ready: NaN and pandas nulls become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
