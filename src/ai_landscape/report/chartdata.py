"""The numbers behind each chart, as long frames (one count per row).

Kept apart from the drawing so tests compare them with direct counts over `models`, and so
the report can write them out as CSV next to the PNGs for anyone who wants the figures.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.report.groups import country_group
from ai_landscape.schema import COUNTRY_GROUPS, OPENNESS, WEIGHTS_ACCESS

# Panel key -> (large_scale values counted, subtitle).
LARGE_SCALE_PANELS = {
    "confirmed": (("confirmed",), "training compute ≥ 1e23 FLOP, known"),
    "any": (
        ("confirmed", "estimated", "unconfirmed"),
        "also counting estimated ≥ 1e23 and listed as large-scale with compute unknown",
    ),
}
UNKNOWN_LICENCE = "(unknown)"
OTHER_LICENCES = "(other licences)"


def _dated(models: pd.DataFrame) -> pd.DataFrame:
    """Models with a release date, with their release year; undated ones cannot be placed."""
    dated = models[models["release_date"].notna()]
    return dated.assign(year=pd.to_datetime(dated["release_date"]).dt.year.astype("int64"))


def _count(frame: pd.DataFrame, keys: list[str], orders: dict | None = None) -> pd.DataFrame:
    """Rows per key combination, sorted by year then by each key's contract order."""
    counts = frame.groupby(keys, sort=True).size().rename("models").reset_index()
    counts["models"] = counts["models"].astype("int64")
    rank = {k: counts[k].map({v: i for i, v in enumerate(o)}) for k, o in (orders or {}).items()}
    order = counts.assign(**{f"_{k}": r for k, r in rank.items()})
    order = order.sort_values([f"_{k}" if k in rank else k for k in keys], kind="stable")
    return counts.loc[order.index].reset_index(drop=True)


def large_scale_by_year(models: pd.DataFrame, panel: str) -> pd.DataFrame:
    """Chart 1: models per year x country group x openness, each model once."""
    levels, _ = LARGE_SCALE_PANELS[panel]
    large = _dated(models[models["large_scale"].isin(levels)])
    large = large.assign(country_group=country_group(large["country_codes"]))
    orders = {"country_group": COUNTRY_GROUPS, "openness": OPENNESS}
    return _count(large, ["year", "country_group", "openness"], orders)


def access_by_year(models: pd.DataFrame) -> pd.DataFrame:
    """Chart 2: every tracked model per year by its weights access state."""
    return _count(_dated(models), ["year", "weights_access"], {"weights_access": WEIGHTS_ACCESS})


def licences_by_year(models: pd.DataFrame, top: int = 6) -> pd.DataFrame:
    """Chart 3: open-weights models per year by licence.

    The `top` licences by number of models keep their id, the rest are grouped, and a model
    without a licence id is counted as unknown rather than left out, so the bars still add
    up to the open models of each year.
    """
    open_models = _dated(models[models["openness"] == "open"])
    licence = open_models["license_id"].fillna(UNKNOWN_LICENCE)
    ranked = licence[licence != UNKNOWN_LICENCE].value_counts().sort_index()
    kept = set(ranked.sort_values(ascending=False, kind="stable").index[:top])
    licence = licence.where(licence.isin(kept | {UNKNOWN_LICENCE}), OTHER_LICENCES)
    return _count(open_models.assign(licence=licence), ["year", "licence"])


def latest_release(models: pd.DataFrame) -> str | None:
    """The newest release date in the data: the last year's bars end there."""
    dates = models["release_date"].dropna()
    return str(max(dates)) if len(dates) else None


# Chart 1's top panel straight from `models` (DuckDB; `landscape query` registers the view).
LARGE_SCALE_SQL = """\
select year(release_date) as year,
       case when list_contains(country_codes, 'US') and list_contains(country_codes, 'CN')
                 then 'US+CN'
            when list_contains(country_codes, 'US') then 'US'
            when list_contains(country_codes, 'CN') then 'CN'
            when len(country_codes) > 0 then 'rest_of_world'
            else 'unknown' end as country_group,
       openness,
       count(*) as models
from models
where large_scale = 'confirmed' and release_date is not null
group by all
order by all"""
