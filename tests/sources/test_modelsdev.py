"""models.dev parse and normalize on the recorded model files (the replay bundle)."""

from __future__ import annotations

import gzip
import importlib.util
import io
import tarfile
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from ai_landscape.http.client import ReplayClient
from ai_landscape.normalize.modelsdev import normalize_records
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.modelsdev.constants import URLS
from ai_landscape.sources.modelsdev.parse import parse_archive
from tests.conftest import PROJECT_ROOT
from tests.source_helpers import error_page, one

URL = URLS["models"]
REPLAY = PROJECT_ROOT / "data" / "replay" / "modelsdev"
BUNDLE = (REPLAY / "models.dev-dev.tar.gz").read_bytes()
R1 = "models/deepseek/deepseek-r1.toml"


def _make_bundle_module():
    spec = importlib.util.spec_from_file_location("make_bundle", REPLAY / "make_bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_bundle = _make_bundle_module()


def load(body: bytes = BUNDLE) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = parse_archive(body, "models", URL)
    return records, normalize_records(records, "models")


def test_every_model_file_is_a_record():
    records, c = load()
    assert len(records) == len(c) == 231
    assert records["_row"].tolist() == list(range(231))
    # In file path order: "claude-haiku-4-5-20251001.toml" before "claude-haiku-4-5.toml".
    assert records["id"].tolist() == sorted(records["id"], key=lambda i: f"{i}.toml")
    assert records["id"].str.split("/").str[0].nunique() == 20
    assert c["weights_access"].map(repr).value_counts().to_dict() == {
        "'api'": 123,
        "'open_unspecified'": 108,
    }
    assert c["license_raw"].value_counts().to_dict() == {"MIT": 4}
    assert c["release_date_field"].value_counts().to_dict() == {
        "release_date": 223,
        "release_date (month only)": 8,
    }
    assert (c["hf_repo_ids"].map(len) > 0).sum() == 82
    assert c["model_id"].is_unique


def test_deepseek_r1_record_and_candidate():
    records, c = load()
    record = records[records["id"] == "deepseek/deepseek-r1"].iloc[0]
    assert record["name"] == "DeepSeek-R1"
    assert record["open_weights"] is True
    assert record["limit"] == {"context": 128000, "output": 32768}
    assert record["weights"] == [
        {"label": "Hugging Face", "url": "https://huggingface.co/deepseek-ai/DeepSeek-R1"}
    ]
    r1 = one(c, "deepseek/deepseek-r1")
    assert r1["model_id"] == "deepseek/deepseek-r1"
    assert r1["organizations"] == ["deepseek"]
    assert r1["release_date"] == date(2025, 1, 20)
    assert r1["release_date_field"] == "release_date"
    # Open; which open state is the licence's to say (issue 12: it was None, and 75 models
    # models.dev marks open ended with openness unknown).
    assert r1["weights_access"] == "open_unspecified"
    assert r1["hf_repo_ids"] == ["deepseek-ai/DeepSeek-R1"]


def test_anthropic_and_licensed_and_month_only_values():
    _, c = load()
    opus = one(c, "anthropic/claude-opus-4-6")
    assert (opus["model_id"], opus["name"]) == ("anthropic/claude-opus-4-6", "Claude Opus 4.6")
    assert opus["weights_access"] == "api"
    assert opus["release_date"] == date(2026, 2, 5)
    assert opus["hf_repo_ids"] == []
    ornith = one(c, "deepreinforce/ornith-1.0-397b")
    assert ornith["license_raw"] == "MIT"
    assert ornith["hf_repo_ids"] == [
        "deepreinforce-ai/Ornith-1.0-397B",
        "deepreinforce-ai/Ornith-1.0-397B-FP8",
    ]
    qwen = one(c, "alibaba/qwen3-32b")  # release_date = "2025-04"
    assert (qwen["release_date"], qwen["release_date_field"]) == (
        date(2025, 4, 1),
        "release_date (month only)",
    )
    # The source says closed weights and links open ones; both are passed on as given.
    medium = one(c, "mistral/mistral-medium-latest")
    assert medium["weights_access"] == "api"
    assert medium["hf_repo_ids"] == ["mistralai/Mistral-Medium-3.5-128B"]


def rebuilt(tmp_path: Path, edit=None) -> bytes:
    """The bundle unpacked, `edit(text of deepseek-r1.toml)` applied, packed again."""
    with tarfile.open(fileobj=io.BytesIO(BUNDLE), mode="r:gz") as archive:
        archive.extractall(tmp_path, filter="data")
    root = tmp_path / make_bundle.ROOT
    if edit is not None:
        path = root / R1
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return gzip.compress(make_bundle.bundle(root), mtime=0)


def test_the_bundle_is_rebuilt_byte_for_byte_from_its_files(tmp_path):
    assert gzip.decompress(rebuilt(tmp_path)) == gzip.decompress(BUNDLE)


def error_of(body: bytes) -> str:
    with pytest.raises(SourceSchemaError) as err:
        parse_archive(body, "models", URL)
    return str(err.value)


def test_missing_required_key(tmp_path):
    drifted = rebuilt(tmp_path, lambda t: t.replace("open_weights = true\n", ""))
    assert error_of(drifted) == f"{URL}: {R1} lacks required key 'open_weights'"


def test_open_weights_must_be_a_bool(tmp_path):
    drifted = rebuilt(tmp_path, lambda t: t.replace("open_weights = true", 'open_weights = "yes"'))
    assert error_of(drifted) == f"{URL}: {R1}: open_weights is 'yes', not true or false"


def test_broken_toml_names_the_file(tmp_path):
    cut = rebuilt(tmp_path, lambda t: t[: len('name = "DeepSeek-R1')])
    assert error_of(cut) == (
        f"{URL}: {R1} is not valid TOML (Unterminated string (at end of document))"
    )


def test_truncated_download():
    assert error_of(BUNDLE[: len(BUNDLE) // 2]) == (
        f"{URL}: unreadable archive (Compressed file ended before the end-of-stream marker "
        "was reached); truncated download?"
    )


def test_html_error_page_served_as_200():
    page = error_page(404, "Not Found", "Nothing matches the given URI")
    assert error_of(page) == (
        f"{URL}: not a gzip archive (begins b'<!DOCTYPE HTML>\\n<html lang=\"en\">\\n    <he')"
    )


def test_an_archive_without_model_files(tmp_path):
    (tmp_path / "models").mkdir()
    empty = gzip.compress(make_bundle.bundle(tmp_path), mtime=0)
    assert error_of(empty) == f"{URL}: no models/<lab>/*.toml files in the archive"


def test_replay_serves_the_bundle():
    response = ReplayClient().get(URL)
    assert (response.body, response.recorded_at) == (BUNDLE, datetime(2026, 7, 2, tzinfo=UTC))
    assert len(parse_archive(response.body, "models", response.url)) == 231
