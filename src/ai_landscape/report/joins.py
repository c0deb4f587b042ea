"""How well the sources were joined: which sources each model came from, where they disagree.

A reader comparing "open vs closed" needs to know how much of a count rests on one source
alone, and which facts the sources dispute (the `conflicts` table holds every value).
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.schema import DATING_SOURCES


def sources_per_model(models: pd.DataFrame) -> pd.DataFrame:
    """Models per combination of sources (`epoch + openrouter`), most common first."""
    combination = models["sources"].map(lambda names: " + ".join(sorted(names)))
    counts = combination.value_counts().rename_axis("sources").reset_index(name="models")
    return counts.sort_values(["models", "sources"], ascending=[False, True], kind="stable")


def multi_source_note(models: pd.DataFrame) -> str:
    """How many models rest on more than one source; catalogues counted apart from feeds,
    which only date a model some catalogue lists."""
    dating = set(DATING_SOURCES)
    total = len(models) or 1
    multi = int((models["sources"].str.len() > 1).sum())
    catalogues = models["sources"].map(lambda names: len(set(names) - dating))
    listed = int((catalogues > 1).sum())
    return (
        f"{multi} of {len(models)} models ({multi / total:.1%}) have records in more than one "
        f"source; {listed} ({listed / total:.1%}) are listed by more than one catalogue "
        f"({' and '.join(sorted(dating))} only date models a catalogue lists)."
    )


def conflicts_by_field(conflicts: pd.DataFrame) -> pd.DataFrame:
    """Per field: how many models' sources disagree, and how many values they give."""
    grouped = conflicts.groupby("field", sort=True)
    return pd.DataFrame(
        {"models": grouped["model_id"].nunique(), "values": grouped.size()}
    ).reset_index()
