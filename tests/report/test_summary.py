"""summary_by_year reproduces counts taken directly from the models table."""

from __future__ import annotations

import duckdb

from tests.real_frames import replay_tables


def test_summary_equals_direct_counts_over_models():
    tables = replay_tables()
    models, summary = tables["models"], tables["summary_by_year"]  # noqa: F841 (duckdb scans)
    direct = duckdb.sql(
        """
        with per_country as (
            select model_id, year(release_date) as year, openness, weights_access,
                   large_scale, unnest(case when len(country_codes) = 0 then [null]
                                            else list_distinct(country_codes) end) as country
            from models where release_date is not null
        )
        select 'large_scale_confirmed' as scope, year, openness, weights_access, country,
               count(*) as n
        from per_country where large_scale = 'confirmed' group by all
        union all
        select 'all', year, openness, weights_access, country, count(*) from per_country
        group by all
        """
    ).fetchall()
    from_summary = duckdb.sql(
        """select scope, year, openness, weights_access, country_code, sum(models)::bigint
           from summary group by all"""
    ).fetchall()
    assert sorted(from_summary, key=str) == sorted(direct, key=str)


def test_first_country_counts_each_dated_model_once():
    tables = replay_tables()
    models, summary = tables["models"], tables["summary_by_year"]
    once = summary[summary["first_country"]]
    dated = models[models["release_date"].notna()]
    assert once.groupby("scope")["models"].sum().to_dict() == {
        "all": len(dated),
        "large_scale_confirmed": int((dated["large_scale"] == "confirmed").sum()),
    }
    assert len(dated) == 1351


def test_headline_numbers_of_the_2026_05_02_export():
    """Large-scale models with known compute >= 1e23 released in 2025, per Epoch's export:
    China's were mostly open, the United States' split evenly (most US closed models have
    no published compute, so they are `unconfirmed`, not counted here)."""
    summary = replay_tables()["summary_by_year"]
    large = summary[(summary["scope"] == "large_scale_confirmed") & (summary["year"] == 2025)]
    counts = (
        large[large["country_code"].isin(["US", "CN"])]
        .groupby(["country_code", "openness"])["models"]
        .sum()
    )
    assert counts.to_dict() == {
        ("CN", "closed"): 7,
        ("CN", "open"): 57,
        ("US", "closed"): 7,
        ("US", "open"): 25,
    }
