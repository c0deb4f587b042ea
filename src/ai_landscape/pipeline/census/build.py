"""The census's parts -> the published files: `hub_repos` (one row per repo) and `hub_lineage`.

DuckDB does the whole-census steps (de-duplication, `first_seen` from the previous snapshot,
the order, the lineage aggregate) out of core under a memory limit, and hands the rows back in
record batches that go straight into parquet row groups: at no point is the census one frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ai_landscape import schema, settings
from ai_landscape.normalize.hub_lineage import attribute_bases
from ai_landscape.pipeline.census.chunks import ORDER

ROW_GROUP = 100_000


def connect(temp: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{settings.current().census_duckdb_memory}'")
    con.execute("SET threads=2")
    con.execute("SET TimeZone='UTC'")
    con.execute(f"SET temp_directory='{temp}'")
    con.execute("SET preserve_insertion_order=true")
    return con


def _paths(paths: Iterable[Path | str]) -> str:
    return "[" + ", ".join(f"'{Path(p).as_posix()}'" for p in paths) + "]"


def finalize_repos(
    parts: list[str], out: Path, seen_at: datetime, previous: Path | pa.Table | None = None
) -> tuple[int, int]:
    """Write `hub_repos` to `out` (sorted by repo id; a repo listed twice keeps its first
    listing); `previous` is the last snapshot's `hub_repos` (file or its `repo_id`,
    `first_seen` columns), whose `first_seen` a repo keeps. Returns (rows, duplicates)."""
    con = connect(out.parent)
    columns = [c.name for c in schema.HUB_REPOS if c.name != "first_seen"]
    listed = ", ".join(f"r.{c}" for c in columns)
    seen = f"TIMESTAMPTZ '{seen_at.isoformat()}'"
    if previous is None:
        first_seen = seen
        join = ""
    else:
        source = "prev_table" if isinstance(previous, pa.Table) else f"'{previous}'"
        if isinstance(previous, pa.Table):
            con.register("prev_table", previous)
        join = f"LEFT JOIN (SELECT repo_id, first_seen FROM {source}) p USING (repo_id)"
        first_seen = f"coalesce(p.first_seen, {seen})"
    con.execute(
        f"CREATE TEMP VIEW listed AS SELECT * FROM read_parquet({_paths(parts)}) "
        f"QUALIFY row_number() OVER (PARTITION BY repo_id ORDER BY {ORDER}) = 1"
    )
    total = con.sql(f"SELECT count(*) FROM read_parquet({_paths(parts)})").fetchall()[0][0]
    query = f"SELECT {listed}, {first_seen} AS first_seen FROM listed r {join} ORDER BY r.repo_id"
    reader = con.sql(query).to_arrow_reader(ROW_GROUP)
    rows = write_batches(reader, out, "hub_repos")
    con.close()
    return rows, total - rows


def write_batches(reader: pa.RecordBatchReader, out: Path, table: str) -> int:
    """Record batches -> one parquet file in the contract's schema, a row group per batch."""
    target = schema.arrow_schema(table)
    names = target.names
    rows = 0
    with pq.ParquetWriter(out, target, compression="zstd") as writer:
        for batch in reader:
            if not batch.num_rows:
                continue
            arranged = pa.Table.from_batches([batch]).select(names)
            writer.write_table(arranged.cast(target), row_group_size=ROW_GROUP)
            rows += batch.num_rows
    return rows


# How far up a chain of declared bases a root is looked for (a GGUF of a merge of a fine-tune
# of Llama is four steps); a longer or circular chain stops here.
MAX_ANCESTRY = 8
# What `build_lineage` reads of `models`: all a run sends to its worker for it.
LINEAGE_MODEL_COLUMNS = ["model_id", "family", "organizations", "country_codes", "hf_repo_ids"]


def build_lineage(repos: Path, models: pd.DataFrame | None) -> pd.DataFrame:
    """`hub_lineage`: per base repo, creation month, relation and licence, how many repos
    declare it as their base. Each base's root is the earliest ancestor the census knows
    (following each repo's first declared base); the model, family, organization and
    countries are the root's, from `models` where a model lists the root among its
    `hf_repo_ids` (case-insensitive), else as normalize/hub_lineage.py derives them."""
    con = connect(repos.parent)
    con.register("bases", _model_bases(models))
    frame = con.sql(
        f"""
        WITH RECURSIVE repos AS (
            SELECT * FROM read_parquet('{repos.as_posix()}') WHERE len(base_models) > 0
        ), edges AS (
            SELECT lower(repo_id) AS repo, lower(base_models[1]) AS base FROM repos
        ), derived AS (
            SELECT lower(unnest(base_models)) AS base_repo_id,
                   CAST(date_trunc('month', created_at) AS DATE) AS month,
                   relation, license_id
            FROM repos
        ), counted AS (
            SELECT base_repo_id, month, relation, license_id, count(*) AS repos
            FROM derived GROUP BY ALL
        ), chain(start, node, depth) AS (
            SELECT DISTINCT base_repo_id, base_repo_id, 0 FROM counted
            UNION ALL
            SELECT c.start, e.base, c.depth + 1 FROM chain c JOIN edges e ON e.repo = c.node
            WHERE c.depth < {MAX_ANCESTRY}
        ), roots AS (
            SELECT start, arg_max(node, depth) AS root_repo_id FROM chain GROUP BY start
        )
        SELECT c.*, r.root_repo_id, b.base_model_id, b.base_family, b.base_organization,
               b.base_country_codes
        FROM counted c JOIN roots r ON r.start = c.base_repo_id
        LEFT JOIN bases b ON b.repo = r.root_repo_id
        ORDER BY base_repo_id, month NULLS FIRST, relation, license_id NULLS FIRST
        """
    ).df()
    con.close()
    frame["base_country_codes"] = frame["base_country_codes"].map(_as_list)
    frame = attribute_bases(frame)
    return frame[[c.name for c in schema.HUB_LINEAGE]]


def _as_list(codes) -> list:
    """DuckDB hands lists back as arrays, and a missing list as None, NaN or NA."""
    return list(codes) if hasattr(codes, "__len__") and not isinstance(codes, str) else []


def _model_bases(models: pd.DataFrame | None) -> pd.DataFrame:
    """One row per repo id a model lists (the first model by id where two list one)."""
    columns = ["repo", "base_model_id", "base_family", "base_organization", "base_country_codes"]
    if models is None or models.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    exploded = models[LINEAGE_MODEL_COLUMNS]
    exploded = exploded.explode("hf_repo_ids").dropna(subset=["hf_repo_ids"])
    exploded = exploded.assign(repo=exploded["hf_repo_ids"].str.casefold())
    exploded = exploded.sort_values("model_id").drop_duplicates("repo")
    lead = exploded["organizations"].map(lambda orgs: orgs[0] if len(orgs) else None)
    return pd.DataFrame(
        {
            "repo": exploded["repo"],
            "base_model_id": exploded["model_id"],
            "base_family": exploded["family"],
            "base_organization": lead,
            "base_country_codes": exploded["country_codes"].map(list),
        }
    )
