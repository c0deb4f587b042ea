"""The census's pure stages on the recorded pages: parse (bytes -> Arrow), normalize (licence,
relation, dates), lineage (roots, attribution) and the validation that runs in batches."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ai_landscape.normalize.hub_lineage import family_from_repo
from ai_landscape.normalize.hub_repos import normalize_pages
from ai_landscape.pipeline.census.build import build_lineage, finalize_repos
from ai_landscape.pipeline.census.chunks import process_chunk
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.huggingface.census_fetch import CensusPage
from ai_landscape.sources.huggingface.census_parse import parse_page
from ai_landscape.validate.census import validate_census, validate_census_file
from tests.census_server import recorded_pages

SEEN = datetime(2026, 12, 3, tzinfo=UTC)


@pytest.fixture(scope="module")
def first_page() -> dict[str, dict]:
    body = recorded_pages(1)[0]
    parsed = parse_page(body, "page-000")
    rows = normalize_pages(parsed, pa.array(["raw"] * parsed.num_rows))
    return {row["repo_id"]: row for row in rows.to_pylist()}


def test_parse_lifts_the_fields_of_every_model():
    table = parse_page(recorded_pages(1)[0], "page-000")
    assert table.num_rows == 1000
    row = table.slice(109, 1).to_pylist()[0]
    assert row == {
        "repo_id": "emartinezra/Arsonai",
        "author": "emartinezra",
        "card_license": "other",
        "card_license_name": "arsonai",
        "license_tags": "other",
        "base_tags": [
            "base_model:deepseek-ai/DeepSeek-R1",
            "base_model:finetune:deepseek-ai/DeepSeek-R1",
        ],
        "card_base_models": ["deepseek-ai/DeepSeek-R1"],
        "card_base_relation": None,
        "pipeline_tag": "text-generation",
        "library_name": None,
        "created_at": "2025-03-20T18:43:51.000Z",
        "gated": "auto",
        "downloads": 0,
        "likes": 1,
        "row": 109,
    }


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'[{"id": "a/b"}, {"id": "c', "the JSON stops before the document is complete"),
        (b"<html><h1>502 Bad Gateway</h1></html>", "an HTML page where JSON was expected"),
        (b'{"error": "Invalid cursor"}', "the Hub answered with an error: 'Invalid cursor'"),
        (b'[{"id": "a/b"}, {"modelId": "c/d"}]', "item 1 is not a model with a text 'id'"),
        (b'[{"id": "a/b", "cardData": "license: mit"}]', "a/b: 'cardData' is not an object"),
    ],
)
def test_parse_names_the_page_and_what_is_wrong(body, says):
    with pytest.raises(SourceSchemaError, match=r"^page-007: ") as failed:
        parse_page(body, "page-007")
    assert says in str(failed.value)


def test_normalize_reads_licence_relation_and_dates(first_page):
    cols = ["license_raw", "license_id", "weights_access", "gated", "base_models", "relation"]
    repos = [
        "emartinezra/Arsonai",  # licence `other` with a license_name
        "CynthiaAAAA/deepseek-chat",  # card names two bases, tags one: the tags win
        "mradermacher/DeepSeek-R1-OpenSource-Soft-Recommendation-COT-GGUF",
        "jeffrey03/Pricer-FineTune-OpenSource-2024-10-23_08.48.15",  # peft adapter
        "OpenSourceEnjoyer/Mistral-Nemo-Function-Calling-FP16",  # bare base tag
        "opensource/extract_names",
    ]
    r1, llama = "deepseek-ai/DeepSeek-R1", "meta-llama/Llama-3.1-8B"
    gguf_base = "yyj1205/DeepSeek-R1-OpenSource-Soft-Recommendation-COT"
    assert [[first_page[r][c] for c in cols] for r in repos] == [
        ["arsonai", None, "unknown", "auto", [r1], "finetune"],
        ["cc-by-nc-4.0", "CC-BY-NC-4.0", "open_noncommercial", "false", [r1], "finetune"],
        ["apache-2.0", "Apache-2.0", "open_unrestricted", "false", [gguf_base], "quantized"],
        ["llama3.1", "llama3.1", "open_restricted", "false", [llama], "adapter"],
        ["apache-2.0", "Apache-2.0", "open_unrestricted", "false",
         ["unsloth/mistral-nemo-base-2407-bnb-4bit"], "unspecified"],
        ["apache-2.0", "Apache-2.0", "open_unrestricted", "false", [], None],
    ]  # fmt: skip
    # 2022-03-02T23:29:05Z is the Hub's backfill stamp: older than March 2022, not a date.
    assert first_page["opensource/extract_names"]["created_at"] is None
    assert first_page["emartinezra/Arsonai"]["created_at"] == datetime(
        2025, 3, 20, 18, 43, 51, tzinfo=UTC
    )
    relations = pd.Series([row["relation"] for row in first_page.values()], dtype=object)
    assert relations.value_counts(dropna=False).to_dict() == {
        "finetune": 953,
        None: 36,
        "quantized": 6,
        "unspecified": 4,
        "adapter": 1,
    }


def test_family_from_a_base_repo_name():
    repos = pd.Series(
        [
            "meta-llama/Llama-2-7b-chat-hf",
            "Qwen/Qwen2.5-7B-Instruct",
            "google/gemma-7b-it",
            "deepseek-ai/DeepSeek-V3",
            "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
            "mistralai/Mixtral-8x7B-v0.1",
            "microsoft/Phi-3-mini-4k-instruct",
            "x/baseline",
        ]
    )
    assert family_from_repo(repos).tolist() == [
        "llama-2",
        "qwen2.5",
        "gemma",
        "deepseek-v3",
        "deepseek-r1",
        "mixtral",
        "phi-3-mini",
        "baseline",
    ]


def _pages_on_disk(tmp_path: Path, count: int) -> list[CensusPage]:
    pages = []
    for number, body in enumerate(recorded_pages(count)):
        locator = f"_raw/huggingface/census/{number}.bin"
        (tmp_path / locator).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / locator).write_bytes(body)
        pages.append(CensusPage(number, f"p{number}", locator, "", len(body), "", None, True))
    return pages


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("census")
    part = process_chunk(str(tmp), _pages_on_disk(tmp, 2), str(tmp / "part.parquet"))
    out = tmp / "hub_repos.parquet"
    assert finalize_repos([part.path], out, SEEN) == (2000, 0)
    return out


@pytest.fixture(scope="module")
def two_pages_part(two_pages) -> str:
    return str(two_pages.parent / "part.parquet")


def test_first_seen_is_kept_from_the_previous_census(two_pages_part, tmp_path):
    previous = pa.table(
        {
            "repo_id": ["emartinezra/Arsonai"],
            "first_seen": pa.array([datetime(2026, 1, 1, tzinfo=UTC)], pa.timestamp("us", "UTC")),
        }
    )
    out = tmp_path / "again.parquet"
    later = datetime(2026, 12, 4, tzinfo=UTC)
    finalize_repos([two_pages_part], out, later, previous)
    seen = pq.read_table(out, columns=["repo_id", "first_seen"]).to_pandas().set_index("repo_id")
    assert seen.loc["emartinezra/Arsonai", "first_seen"] == pd.Timestamp("2026-01-01", tz="UTC")
    assert (seen["first_seen"] == pd.Timestamp(later)).sum() == 1999


def test_lineage_counts_by_root_and_attributes_it(two_pages):
    models = pd.DataFrame(
        {
            "model_id": ["deepseek/deepseek-r1"],
            "family": [None],
            "organizations": [["DeepSeek"]],
            "country_codes": [["CN"]],
            "hf_repo_ids": [["deepseek-ai/DeepSeek-R1"]],
        }
    )
    lineage = build_lineage(two_pages, models)
    # Of the 2,000 repos, 1,605 name a base (one each here): every mention counted once.
    bases = pq.read_table(two_pages, columns=["base_models"])["base_models"].to_pylist()
    assert lineage["repos"].sum() == sum(map(len, bases)) == 1605
    r1 = lineage[lineage["root_repo_id"] == "deepseek-ai/deepseek-r1"]
    assert set(r1["base_model_id"]) == {"deepseek/deepseek-r1"}
    assert set(r1["base_family"]) == {"deepseek-r1"}
    assert r1["base_country_codes"].map(tuple).unique().tolist() == [("CN",)]
    # A fine-tune of a fine-tune of R1 counts for R1 through its root; chains follow each
    # repo's first declared base as far as the census lists them.
    roots = lineage.drop_duplicates("base_repo_id").set_index("base_repo_id")["root_repo_id"]
    assert roots["perplexity-ai/r1-1776"] == "deepseek-ai/deepseek-r1"
    assert roots["alsamcur123/deephermes-3-mistral-24bcontinuedfine"] == (
        "mistralai/mistral-small-24b-base-2501"  # via nousresearch/deephermes-3-...-preview
    )
    assert roots["yyj1205/deepseek-r1-opensource-soft-recommendation-cot"] == (
        "yyj1205/deepseek-r1-opensource-soft-recommendation-cot"  # not listed: its own root
    )


def test_validation_runs_in_batches_and_adds_failures_up(two_pages, tmp_path):
    lineage = build_lineage(two_pages, None)
    assert validate_census(two_pages, lineage, previous_rows=2000).publishable
    # A census of half the previous size blocks: a failed crawl, not a smaller Hub.
    shrunk = validate_census(two_pages, lineage, previous_rows=4000)
    assert shrunk.blocking == [
        "hub_repos: hub_repos_table.row_count_near_previous: FAILED "
        "expect_column_values_to_be_between(rows): 1 unexpected, e.g. [2000] in rows "
        "[{'rows': 2000}] - Within "
        "70%..150% of the previous census: a sudden drop is a failed crawl, a jump a "
        "pagination loop."
    ]
    # Rows in two batches that break the relation rule are counted across both.
    table = pq.read_table(two_pages)
    bad = table.set_column(
        table.schema.get_field_index("relation"), "relation", pa.array(["finetune"] * 2000)
    )
    path = tmp_path / "bad.parquet"
    pq.write_table(bad, path, row_group_size=700)
    suite_dir = _suites_with_batch(tmp_path, 700)
    found = validate_census(path, lineage, None, directory=suite_dir)
    failed = {f.name: f.unexpected_count for r in found.reports for f in r.failed}
    assert failed == {"no_relation_without_base": 2000 - 1605}  # in all three batches


def test_the_files_checks_done_early_give_the_same_validation(two_pages):
    """A run checks the census's file as soon as it is written (`validate_census_file`) and
    its lineage at publish: the blocking messages, warnings and reports are the same as all
    three suites run at once."""
    lineage = build_lineage(two_pages, None)
    now = datetime(2026, 5, 2, tzinfo=UTC)
    early = validate_census_file(two_pages, 4000, now=now)
    assert [(r.suite, r.rows, r.success) for r in early] == [
        ("hub_repos", 2000, True),
        ("hub_repos_table", 1, False),
    ]
    at_once = validate_census(two_pages, lineage, 4000, now=now)
    later = validate_census(two_pages, lineage, 4000, file_reports=early)
    assert later.summary() == at_once.summary()
    assert len(later.blocking) == 1


def _suites_with_batch(tmp_path: Path, rows: int) -> Path:
    import json
    import shutil

    from ai_landscape.settings import EXPECTATIONS_DIR

    folder = tmp_path / "suites"
    folder.mkdir()
    for name in ("hub_repos", "hub_repos_table", "hub_lineage"):
        shutil.copy(EXPECTATIONS_DIR / f"{name}.json", folder)
    suite = json.loads((folder / "hub_repos.json").read_text())
    suite["meta"]["batch_rows"] = rows
    (folder / "hub_repos.json").write_text(json.dumps(suite))
    return folder


def test_a_local_census_does_not_import_dask():
    # Before: asking whether the task ran on a Dask worker imported `distributed` (2-4 s).
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ai_landscape.pipeline.census.steps import chunk_submitter\n"
        "with chunk_submitter() as submit:\n"
        "    print(submit, 'distributed' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["None", "False"]
