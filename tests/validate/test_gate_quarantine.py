"""The validation gate's outputs: the quarantine file and the snapshot published beside it,
the Data Docs pages, the Markdown summary and failures table, and the Prefect artifacts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow.parquet as pq

from ai_landscape.ops.artifacts import create_validation_artifacts
from ai_landscape.pipeline.tables import VOLATILE_COLUMNS
from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.summary import summary_by_year
from ai_landscape.validate.docs import (
    failures_table,
    markdown_summary,
    write_data_docs,
)
from ai_landscape.validate.gate import REASON_COLUMN, write_quarantine
from tests.gate_frames import RUN, replay_records, row_of, run_gate
from tests.real_frames import replay_tables


def test_quarantine_file_and_published_snapshot(tmp_path):
    """Gate, quarantine file, recomputed summary, then the store: the manifest counts them."""
    tables = replay_tables()
    gopher = row_of(tables, "google/gopher-280b")
    tables["models"].loc[gopher, "parameters"] = 280.0
    result = run_gate(tables)
    paths = write_quarantine(tmp_path, RUN, result.quarantined)
    assert paths == {
        "models": f"_quarantine/{RUN}/models.parquet",
        "source_records": f"_quarantine/{RUN}/source_records.parquet",
    }
    held = pq.read_table(tmp_path / paths["models"]).to_pandas()
    assert held[["model_id", "parameters", REASON_COLUMN]].values.tolist() == [
        ["google/gopher-280b", 280.0, "models.parameters_match_size_in_name"]
    ]
    assert len(pq.read_table(tmp_path / paths["source_records"])) == 3

    published = {**result.tables, "summary_by_year": summary_by_year(result.tables["models"])}
    all_years = tables["summary_by_year"].query("scope == 'all' and year == 2021")["models"].sum()
    after = published["summary_by_year"].query("scope == 'all' and year == 2021")["models"].sum()
    assert after == all_years - 1  # Gopher (2021-12-08) left the counts with its row
    info = {"validation": {**result.summary, "quarantine": paths}}
    snapshot = open_store(tmp_path).publish(
        published,
        created_at=datetime(2026, 5, 2, 12, tzinfo=UTC),
        info=info,
        volatile_columns=VOLATILE_COLUMNS,
    )
    manifest = open_store(tmp_path).manifest(snapshot.snapshot_id)
    assert manifest["tables"]["models"]["rows"] == 1354
    assert manifest["validation"]["rows"]["models"] == {
        "in": 1355,
        "published": 1354,
        "quarantined": 1,
    }
    assert manifest["validation"]["quarantine"]["models"] == f"_quarantine/{RUN}/models.parquet"


def test_data_docs_and_artifact_contents(tmp_path):
    tables = replay_tables()
    tables["models"].loc[row_of(tables, "google/gopher-280b"), "parameters"] = 280.0
    records = replay_records()
    records["epoch.large_scale"] = records["epoch.large_scale"].iloc[:204]
    result = run_gate(tables, records)
    index = write_data_docs(tmp_path, RUN, result)
    assert index == tmp_path / "_docs" / RUN / "index.html"
    pages = sorted(p.name for p in index.parent.iterdir())
    assert pages == [
        "00-records_epoch-epoch.frontier-records.html",
        "01-records_epoch-epoch.large_scale-records.html",
        "02-records_epoch-epoch.notable-records.html",
        "03-models-models.html",
        "04-models_country_codes-models.html",
        "index.html",
    ]
    text = index.read_text()
    assert f"Validation of run {RUN}: FAILED: nothing published" in text
    assert "records_epoch.row_count_near_previous" in text
    models_page = (index.parent / "03-models-models.html").read_text()
    assert "expect_parameters_to_match_size_in_name" in models_page  # rendered by GX
    assert "Gopher (280B)" in models_page

    assert markdown_summary(result, index).splitlines()[:4] == [
        "## Validation: **FAILED: nothing published**",
        "",
        "- models: 1355 rows in, 1354 published, 1 quarantined",
        "- source_records: 1658 rows in, 1655 published, 3 quarantined",
    ]
    assert [(r["target"], r["expectation"], r["severity"]) for r in failures_table(result)] == [
        ("epoch.large_scale records", "row_count_near_previous", "blocking"),
        ("models", "parameters_match_size_in_name", "row"),
        ("models", "open_models_link_weights", "warn"),
    ]
    assert failures_table(result)[0]["observed"] == 204


def test_artifacts_are_created_in_a_flow(prefect_harness):
    from prefect import flow
    from prefect.client.orchestration import get_client

    result = run_gate()

    @flow
    def publish_artifacts():
        create_validation_artifacts(result, "docs/index.html")

    publish_artifacts()

    async def latest(key):
        async with get_client() as client:
            from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
            from prefect.client.schemas.sorting import ArtifactSort

            # Newest first: the session's API also holds the artifacts of earlier tests' runs
            # (test_cli's blocked run), and the default order (by random uuid4) is arbitrary.
            found = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort=ArtifactSort.CREATED_DESC,
            )
            return found[0]

    import asyncio

    summary = asyncio.run(latest("landscape-validation"))
    assert summary.type == "markdown"
    assert summary.data.startswith("## Validation: passed\n\n- models: 1355 rows in")
    table = asyncio.run(latest("landscape-validation-failures"))
    assert table.type == "table"
    assert json.loads(table.data)[0]["expectation"] == "open_models_link_weights"
