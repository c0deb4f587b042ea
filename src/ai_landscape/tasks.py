"""The pipeline's stages as Prefect tasks: each one line over a function of `pipeline/`.

The functions take and return plain data, so tests call them (or `.fn()`) without the engine.
Caching is off: inputs are DataFrames, and a refresh must always look again.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from ai_landscape.pipeline import checks, finalize, tables
from ai_landscape.pipeline import ingest_source as per_source
from ai_landscape.pipeline.census import steps as census

# Failures come back in the result, not as exceptions, so one broken dataset never stops the
# others from being fetched and reported. One task per source (pipeline/ingest_source.py).
ingest_source = task(
    per_source.ingest_source,
    name="ingest_source",
    cache_policy=NO_CACHE,
    retries=0,
    task_run_name="ingest-{source}",
)
census_dataset = task(
    census.census_dataset,
    name="census_dataset",
    cache_policy=NO_CACHE,
    retries=0,
    task_run_name="census-{request.key}",
)
build_tables = task(tables.build_tables, name="build_tables", cache_policy=NO_CACHE)
validate_tables = task(checks.validate_tables, name="validate_tables", cache_policy=NO_CACHE)
publish_snapshot = task(finalize.publish_tables, name="publish_snapshot", cache_policy=NO_CACHE)
draw_report = task(finalize.draw_report, name="draw_report", cache_policy=NO_CACHE)
