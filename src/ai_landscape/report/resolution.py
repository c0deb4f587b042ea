"""How well the sources were joined: which sources each model came from, where they disagree.

A reader comparing "open vs closed" needs to know how much of a count rests on one source
alone, and which facts the sources dispute (the `conflicts` table holds every value).
"""

from __future__ import annotations

import pandas as pd


def sources_per_model(models: pd.DataFrame) -> pd.DataFrame:
    """Models per combination of sources (`epoch + openrouter`), most common first."""
    combination = models["sources"].map(lambda names: " + ".join(sorted(names)))
    counts = combination.value_counts().rename_axis("sources").reset_index(name="models")
    return counts.sort_values(["models", "sources"], ascending=[False, True], kind="stable")


def multi_source_note(models: pd.DataFrame) -> str:
    multi = int((models["sources"].str.len() > 1).sum())
    share = multi / len(models) if len(models) else 0.0
    return f"{multi} of {len(models)} models ({share:.1%}) have records in more than one source."


def conflicts_by_field(conflicts: pd.DataFrame) -> pd.DataFrame:
    """Per field: how many models' sources disagree, and how many values they give."""
    grouped = conflicts.groupby("field", sort=True)
    return pd.DataFrame(
        {"models": grouped["model_id"].nunique(), "values": grouped.size()}
    ).reset_index()
