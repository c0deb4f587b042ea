"""The table behind the headline charts: models per release year, by openness and country."""

from __future__ import annotations

import pandas as pd

from ai_landscape.report.chartdata import large_scale_by_year
from ai_landscape.report.groups import country_group
from ai_landscape.schema import TABLES

_KEYS = [
    "scope",
    "year",
    "openness",
    "weights_access",
    "large_scale",
    "country_group",
    "country_code",
    "first_country",
]


def summary_by_year(models: pd.DataFrame) -> pd.DataFrame:
    """Counts each model once per distinct country of its organizations (null: none known);
    `first_country` marks one row per model, so filtering on it counts each model once.

    Two scopes: `all` models, and `large_scale_confirmed` (compute >= 1e23 FLOP known), so a
    chart of either can be drawn from this table alone.
    """
    dated = models[models["release_date"].notna()].reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "year": pd.to_datetime(dated["release_date"]).dt.year.astype("int32"),
            "openness": dated["openness"],
            "weights_access": dated["weights_access"],
            "large_scale": dated["large_scale"],
            "country_group": country_group(dated["country_codes"]),
            "country_code": dated["country_codes"],  # explode turns [] into null
        }
    ).explode("country_code")
    frame["first_country"] = ~frame.index.duplicated()
    scopes = [
        frame.assign(scope="all"),
        frame[frame["large_scale"] == "confirmed"].assign(scope="large_scale_confirmed"),
    ]
    stacked = pd.concat(scopes, ignore_index=True)
    counts = stacked.groupby(_KEYS, dropna=False, sort=True).size().rename("models").reset_index()
    counts["models"] = counts["models"].astype("int64")
    return counts[[col.name for col in TABLES["summary_by_year"]]]


def headline_by_year(models: pd.DataFrame) -> pd.DataFrame:
    """The `large_scale_by_year` table: the headline chart's bars (confirmed large-scale
    models per year x country group x openness), exactly as the report draws them."""
    counts = large_scale_by_year(models, "confirmed")
    return counts.astype({"year": "int32"})[[c.name for c in TABLES["large_scale_by_year"]]]
