"""Reviewed word lists and label maps kept as data (`data/reference/*.csv`), loaded and checked.

A reviewer edits a CSV, not code, to teach the pipeline a new label or word; a row that names
an unknown kind or value, or repeats a key, fails loudly at load time instead of quietly
mapping nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ai_landscape.normalize.once import built_once
from ai_landscape.schema import COMPUTE_CONFIDENCE, WEIGHTS_ACCESS
from ai_landscape.settings import REFERENCE_DIR

EPOCH_LABELS = REFERENCE_DIR / "epoch_labels.csv"
NAME_WORDS = REFERENCE_DIR / "name_words.csv"
# Which contract values each column of Epoch's label map may take.
EPOCH_LABEL_VALUES = {"weights_access": WEIGHTS_ACCESS, "compute_confidence": COMPUTE_CONFIDENCE}
NAME_WORD_KINDS = ("variant", "qualifier", "noise")


def read_reference(
    path: Path,
    columns: Sequence[str],
    *,
    allowed: Mapping[str, Collection[str]] | None = None,
    unique: Sequence[str] = (),
) -> pd.DataFrame:
    """The table with every cell stripped (empty cells stay ""), or a ValueError naming the
    file and the offending rows."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(columns) - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    table = table.apply(lambda column: column.str.strip())
    for column, values in (allowed or {}).items():
        bad = table.loc[~table[column].isin(values), column]
        if len(bad):
            raise ValueError(
                f"{path}: {column} must be one of {sorted(values)}; rows "
                f"{[int(i) + 2 for i in bad.index]} have {sorted(set(bad))}"
            )
    if unique:
        repeated = table[table.duplicated(list(unique), keep=False)]
        if len(repeated):
            rows = [int(i) + 2 for i in repeated.index]
            raise ValueError(f"{path}: {', '.join(unique)} repeated at rows {rows}")
    return table


@built_once
def epoch_labels(column: str) -> dict[str, str]:
    """Epoch's label (`Open weights (restricted use)`, `Likely`) -> the contract's value, for
    `column` (a key of EPOCH_LABEL_VALUES). The empty label maps too (to `unknown`)."""
    table = read_reference(
        EPOCH_LABELS,
        ("column", "label", "value"),
        allowed={"column": EPOCH_LABEL_VALUES},
        unique=("column", "label"),
    )
    table = table[table["column"] == column]
    unknown = table[~table["value"].isin(EPOCH_LABEL_VALUES[column])]
    if len(unknown):
        raise ValueError(
            f"{EPOCH_LABELS}: {column} values {sorted(set(unknown['value']))} "
            f"not in {list(EPOCH_LABEL_VALUES[column])}"
        )
    return dict(zip(table["label"], table["value"], strict=True))


@built_once
def name_words(kind: str) -> frozenset[str]:
    """The words of one kind (`variant`, `qualifier`, `noise`) in model names."""
    table = read_reference(
        NAME_WORDS, ("word", "kind", "note"), allowed={"kind": NAME_WORD_KINDS}, unique=("word",)
    )
    return frozenset(table.loc[table["kind"] == kind, "word"].str.lower())
