"""Hugging Face source: parse and normalize on real recorded Hub responses.

Fetching and pagination are in test_huggingface_fetch.py; the recorded files in hub_files.py."""

from __future__ import annotations

import base64
import hashlib
import json
import warnings
from datetime import date

import pandas as pd
import pytest
import yaml
from pandas.errors import Pandas4Warning

from ai_landscape.normalize.candidates import CANDIDATE_COLUMNS
from ai_landscape.normalize.huggingface import normalize_records
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.huggingface import constants as c
from ai_landscape.sources.huggingface.parse import parse_json
from tests.hub_files import (
    AI_DAILY,
    DETAILS,
    EXPAND_CASSETTE,
    EXPANDED,
    LIKES7D,
    RATE_LIMIT_PAGE,
    REDIRECT_CASSETTE,
    TREE,
    TRENDING,
)


def parse(path, dataset="trending"):
    return parse_json(path.read_bytes(), dataset, str(path))


def detail(name):
    path = DETAILS / f"{name.replace('/', '__')}.json"
    records = parse(path, "details")
    return records, normalize_records(records, "details")


# --- parse ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "count", "first", "last"),
    [
        (TRENDING, 15, "moonshotai/Kimi-K3", "poolside/Laguna-S-2.1"),
        (LIKES7D, 3, "deepseek-ai/DeepSeek-V4-Pro", "Qwen/Qwen3.6-27B"),
        (AI_DAILY, 3, "Qwen/Qwen-Image-2.1", "deepseek-ai/DeepSeek-V4.1-Flash"),
        (
            EXPANDED,
            6,
            "DavidAU/Qwen3.6-27B-Fable-Fusion-711-Uncensored-Heretic-NM-DAU-NEO-MAX-MTP-GGUF",
            "black-forest-labs/FLUX.1-dev",
        ),
    ],
    ids=lambda v: getattr(v, "name", None),
)
def test_each_list_page_gives_one_row_per_model(path, count, first, last):
    records = parse(path)
    assert len(records) == count
    assert records["_row"].tolist() == list(range(count))
    assert records["id"].iloc[0] == first
    assert records["id"].iloc[-1] == last


def test_default_fields_page_keeps_every_field_and_lifts_nested_ones():
    records = parse(TRENDING)
    assert list(records.columns) == [
        "_row", "id", "author", "createdAt", "gated", "tags", "_id", "likes", "trendingScore",
        "private", "downloads", "pipeline_tag", "library_name", "modelId", "cardData.license",
        "cardData.license_name", "cardData.license_link", "cardData.base_model",
        "safetensors.total",
    ]  # fmt: skip
    first = records.iloc[0]
    assert first["tags"] == (
        '["transformers", "safetensors", "kimi_k3", "feature-extraction", "compressed-tensors", '
        '"conversational", "image-text-to-text", "custom_code", "license:other", '
        '"eval-results", "8-bit", "region:us"]'
    )
    assert first["createdAt"] == "2026-06-13T06:42:57.000Z"
    assert first["trendingScore"] == 8300
    # Default fields carry neither author, gated, a card nor safetensors: null, not guessed.
    for column in ("author", "gated", "cardData.license", "safetensors.total"):
        assert records[column].isna().all(), column


def test_expand_fields_page_keeps_the_author():
    assert parse(EXPANDED)["author"].tolist() == [
        "DavidAU", "unsloth", "moonshotai", "deepseek-ai", "baidu", "black-forest-labs"
    ]  # fmt: skip


def test_detail_documents_give_one_row_with_card_licence_and_parameter_total():
    records, _ = detail("google-bert/bert-base-uncased")
    assert len(records) == 1
    row = records.iloc[0]
    assert row["id"] == "google-bert/bert-base-uncased"
    assert row["author"] == "google-bert"
    assert records["gated"].tolist() == [False]
    assert row["cardData.license"] == "apache-2.0"
    assert row["safetensors.total"] == 110106428
    assert json.loads(row["safetensors"]) == {"parameters": {"F32": 110106428}, "total": 110106428}
    sd, _ = detail("stabilityai/stable-diffusion-2-1")
    assert sd.iloc[0]["cardData.license"] == "openrail++"
    assert pd.isna(sd.iloc[0]["safetensors.total"])  # this repo's detail has no safetensors


def test_legacy_id_redirect_is_recorded_and_the_final_body_parses():
    interactions = yaml.safe_load(REDIRECT_CASSETTE.read_text())["interactions"]
    redirect, final = interactions[0], interactions[1]
    assert redirect["request"]["uri"] == "https://huggingface.co/api/models/bert-base-uncased"
    assert redirect["response"]["status"]["code"] == 307
    assert redirect["response"]["headers"]["Location"] == [
        "/api/models/google-bert/bert-base-uncased"
    ]
    body = final["response"]["body"]["string"].encode()
    # The replay copy is the final response byte for byte: its weak ETag is the body's length
    # and SHA-1, and both match what the Hub sent.
    assert body == (DETAILS / "google-bert__bert-base-uncased.json").read_bytes()
    sha1 = base64.b64encode(hashlib.sha1(body).digest()).decode()[:27]
    assert final["response"]["headers"]["ETag"] == [f'W/"{len(body):x}-{sha1}"']
    _, candidate = detail("google-bert/bert-base-uncased")
    got = candidate.iloc[0]
    assert got["source_key"] == "google-bert/bert-base-uncased"
    assert got["model_id"] == "google/bert-base-uncased"
    assert got["organizations"] == ["Google"]
    assert got["hf_repo_ids"] == ["google-bert/bert-base-uncased"]


def test_created_at_backfill_stamp_is_not_a_release_date():
    for name, created in [
        ("google-bert/bert-base-uncased", "2022-03-02T23:29:04.000Z"),
        ("deepset/roberta-base-squad2", "2022-03-02T23:29:05.000Z"),
        ("sentence-transformers/paraphrase-albert-small-v2", "2022-03-02T23:29:05.000Z"),
    ]:
        records, candidate = detail(name)
        assert records.iloc[0]["createdAt"] == created  # kept in the record as received
        assert candidate.iloc[0]["release_date"] is None
        assert candidate.iloc[0]["release_date_field"] is None
    _, sd = detail("stabilityai/stable-diffusion-2-1")
    assert sd.iloc[0]["release_date"] == date(2022, 12, 6)
    assert sd.iloc[0]["release_date_field"] == "createdAt"


def test_html_error_page_served_with_200_is_a_schema_error():
    with pytest.raises(SourceSchemaError) as err:
        parse_json(RATE_LIMIT_PAGE.read_bytes(), "trending", "https://huggingface.co/api/models")
    assert str(err.value) == (
        "https://huggingface.co/api/models: an HTML page where JSON was expected "
        "(an error page served with status 200?); its heading: '429'"
    )


@pytest.mark.parametrize("cut", [5000, 459])  # mid-string; just after the first model's `}`
def test_truncated_json_is_a_schema_error(cut):
    body = TRENDING.read_bytes()[:cut]
    assert body.endswith(b"}") == (cut == 459)
    with pytest.raises(SourceSchemaError) as err:
        parse_json(body, "trending", "trending.json")
    assert str(err.value) == (
        f"trending.json: the JSON stops before the document is complete, after {cut} bytes "
        "(truncated download?)"
    )


def test_corrupt_json_in_the_middle_names_line_and_column():
    body = TRENDING.read_bytes().replace(b'"likes":9624,', b'"likes":9624', 1)
    with pytest.raises(SourceSchemaError) as err:
        parse_json(body, "trending", "trending.json")
    assert str(err.value) == (
        "trending.json: not valid JSON (Expecting ',' delimiter at line 1, column 74)"
    )


def test_a_detail_body_without_created_at_is_schema_drift():
    # A real detail response fetched with `?expand=inferenceProviderMapping`: only _id, id and
    # that field, so it lacks what every model record must carry.
    [interaction] = [
        i
        for i in yaml.safe_load(EXPAND_CASSETTE.read_text())["interactions"]
        if i["request"]["method"] == "GET"
    ]
    body = interaction["response"]["body"]["string"].encode()
    with pytest.raises(SourceSchemaError) as err:
        parse_json(body, "details", "detail.json")
    assert str(err.value) == (
        "detail.json: 1 of 1 models have no 'createdAt' field "
        "(first: item 0, meta-llama/Meta-Llama-3-8B-Instruct)"
    )


def test_wrong_document_shapes_are_schema_errors():
    detail_body = (DETAILS / "deepset__roberta-base-squad2.json").read_bytes()
    with pytest.raises(
        SourceSchemaError, match=r"^d\.json: expected a JSON array of models, got an object$"
    ):
        parse_json(detail_body, "trending", "d.json")
    with pytest.raises(
        SourceSchemaError, match=r"^t\.json: expected a JSON object \(one model\), got an array$"
    ):
        parse_json(TRENDING.read_bytes(), "details", "t.json")
    no_ids = TRENDING.read_bytes().replace(b'"id":', b'"repo":')
    with pytest.raises(SourceSchemaError) as err:
        parse_json(no_ids, "trending", "t.json")
    assert str(err.value) == "t.json: 15 of 15 models have no 'id' field (first: item 0)"
    with pytest.raises(SourceSchemaError, match=r"^e\.json: empty body where JSON was expected$"):
        parse_json(b"", "trending", "e.json")


# --- normalize --------------------------------------------------------------------------


def test_trending_candidates():
    records = parse(TRENDING)
    got = normalize_records(records, "trending")
    assert list(got.columns) == list(CANDIDATE_COLUMNS)
    assert len(got) == 15
    assert got["source"].unique().tolist() == ["huggingface"]
    assert got["model_id"].tolist()[:4] == [
        "moonshot/kimi-k3",
        "deepseek/deepseek-v4-flash-0731",
        "davidau/qwen3.6-27b-fable-fusion-711-uncensored-heretic-nm-dau-neo-max-mtp-gguf",
        "baidu/unlimited-ocr",
    ]
    glm = got[got["source_key"] == "zai-org/GLM-5.2"].iloc[0]
    assert glm["name"] == "GLM-5.2"
    assert glm["organizations"] == ["Z.ai (Zhipu AI)"]
    assert glm["country_codes"] == ["CN"]
    assert glm["model_id"] == "z.ai-zhipu-ai/glm-5.2"
    unlisted = got[got["source_key"] == "poolside/Laguna-S-2.1"].iloc[0]
    assert unlisted["organizations"] == ["poolside"]
    assert unlisted["country_codes"] == []
    assert unlisted["license_raw"] == "openmdw-1.1"  # from the `license:` tag
    assert got["license_raw"].value_counts().to_dict() == {
        "apache-2.0": 7, "mit": 4, "other": 3, "openmdw-1.1": 1
    }  # fmt: skip
    assert got["release_date"].tolist()[:2] == [date(2026, 6, 13), date(2026, 7, 31)]
    assert got["weights_access"].isna().all()
    assert got["parameters"].isna().all()  # default fields have no safetensors
    assert (got["hf_repo_ids"].str[0] == got["source_key"]).all()
    empty = normalize_records(records.iloc[:0], "trending")
    assert list(empty.columns) == list(CANDIDATE_COLUMNS)
    assert len(empty) == 0


def tree_records() -> pd.DataFrame:
    """Records from a huggingface_hub `ModelInfo` dump (re-serialized, not an API payload):
    each model's attributes under the API's field names, the card's YAML as the object the API
    sends, then through parse like any list page."""
    models = json.loads(TREE.read_text())["models"]
    items = []
    for model in models:
        info = json.loads(model["metadata"])
        items.append(
            {
                "id": info["id"],
                "author": info["author"],
                "createdAt": info["created_at"],
                "gated": info["gated"],
                "tags": info["tags"],
                "cardData": yaml.safe_load(info["card_data"]) if info["card_data"] else None,
                "safetensors": info["safetensors"],
            }
        )
    return parse_json(json.dumps(items).encode(), "authors", str(TREE))


def test_gated_repos_stay_candidates_and_keep_their_gate():
    records = tree_records()
    got = normalize_records(records, "authors")
    assert len(got) == 67
    assert records["gated"].map(repr).value_counts().to_dict() == {
        "False": 63, "'auto'": 2, "'manual'": 2
    }  # fmt: skip
    assert got["weights_access"].isna().all()  # gated or not: the licence decides open_*
    base = got[got["source_key"] == "mistralai/Mistral-Small-24B-Base-2501"].iloc[0]
    assert records.loc[base.name, "gated"] == "auto"
    assert base["model_id"] == "mistral-ai/mistral-small-24b-base-2501"
    assert base["organizations"] == ["Mistral AI"]
    assert base["country_codes"] == ["FR"]
    assert base["release_date"] == date(2025, 1, 23)
    assert base["parameters"] == 23572403200.0
    assert base["license_raw"] == "apache-2.0"
    assert got["parameters"].notna().sum() == 56


def test_license_name_wins_only_when_the_card_licence_is_other():
    records = tree_records()
    got = normalize_records(records, "authors").set_index("source_key")["license_raw"]
    assert got["Mawdistical/Pawdistic-FurMittens-24B"] == "mrl"  # other + license_name mrl
    assert got["Mawdistical/Mawdistic-NightLife-24b"] == "apache-2.0"  # license_name 'm' ignored
    assert got["Nohobby/MS3-test-Merge-1"] is None  # no card licence, no tag
    assert got.value_counts(dropna=False).to_dict() == {
        "apache-2.0": 58, "mit": 4, None: 4, "mrl": 1
    }  # fmt: skip
    row = records.set_index("id").loc["Mawdistical/Pawdistic-FurMittens-24B"]
    assert row["cardData.base_model"] == '["mistralai/Mistral-Small-24B-Instruct-2501"]'


def test_reference_table_names_each_author_once_with_a_country():
    table = c.reference_organizations()
    assert len(table) == len(c.reference_authors()) == 34
    assert table["qwen"] == ("Alibaba", "CN")
    assert table["bigscience"] == ("BigScience", "")
    assert {code for _, code in table.values()} == {"US", "CN", "FR", "AE", "CA", "GB", "IL", ""}


def test_parse_warns_of_nothing_pandas_4_will_change():
    # `select_dtypes(include="object")` selects pandas 3's `str` columns with a Pandas4Warning
    # (it will stop); both kinds are asked for by name, and every column is still text.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Pandas4Warning)
        records = parse(TRENDING)
    assert records["id"].iloc[0] == "moonshotai/Kimi-K3"
    assert records["tags"].map(type).eq(str).all()  # a list, written as JSON text
