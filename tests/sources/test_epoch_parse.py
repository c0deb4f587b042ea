"""Epoch parse and normalize on the real recorded exports, every vintage."""

from __future__ import annotations

import pandas as pd
import pytest

from ai_landscape.normalize.epoch import normalize_records
from ai_landscape.schema import WEIGHTS_ACCESS
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.epoch.parse import parse_csv
from tests.conftest import RECORDED_EPOCH, REPLAY_EPOCH

VINTAGES = {
    REPLAY_EPOCH / "large_scale_ai_models.csv": ("large_scale", 510),
    REPLAY_EPOCH / "frontier_ai_models.csv": ("frontier", 137),
    REPLAY_EPOCH / "notable_ai_models.csv": ("notable", 1011),
    RECORDED_EPOCH / "all_ai_models_2025-04-23.csv": ("notable", 2228),
    RECORDED_EPOCH / "notable_ai_models_2025-02-24.csv": ("notable", 895),
}


def load(path, dataset="notable"):
    records = parse_csv(path.read_bytes(), dataset, str(path))
    return records, normalize_records(records, dataset)


@pytest.mark.parametrize("path", list(VINTAGES), ids=lambda p: p.name)
def test_every_vintage_parses_and_normalizes(path):
    dataset, rows = VINTAGES[path]
    records, candidates = load(path, dataset)
    assert len(records) == rows
    assert len(candidates) == rows
    assert candidates["weights_access"].isin(WEIGHTS_ACCESS).all()
    assert (
        candidates["compute_confidence"]
        .dropna()
        .isin(["confident", "likely", "speculative", "unknown"])
        .all()
    )
    codes = candidates["country_codes"].explode().dropna()
    assert codes.str.fullmatch(r"[A-Z]{2}").all()
    assert not candidates["name"].dropna().str.contains(r"^\s|\s$|\xa0|\t|\n").any()


def by_name(candidates: pd.DataFrame, name: str) -> pd.Series:
    rows = candidates[candidates["name"] == name]
    assert len(rows) >= 1, name
    return rows.iloc[0]


def test_large_scale_2026_values():
    _, c = load(REPLAY_EPOCH / "large_scale_ai_models.csv", "large_scale")
    grok = by_name(c, "Grok 4")
    assert grok["training_compute_flop"] == 5e26  # written as 5.0000000000001e+26
    assert grok["model_id"] == "xai/grok-4"
    exaone = by_name(c, "EXAONE 4.0 (32B)")
    assert exaone["training_compute_flop"] == 2.69e24  # written as 2.69000000000001e+24
    assert exaone["country_codes"] == ["KR"]
    assert by_name(c, "Lapa LLM")["name"] == "Lapa LLM"  # "Lapa LLM\n\n" in the file
    apus = by_name(c, "AiLMe-100B v3")
    assert apus["organizations"] == ["Qilin Hesheng Network Technology Co., Ltd. (APUS)"]
    internlm2 = by_name(c, "InternLM2-20B")
    assert internlm2["country_codes"] == ["CN", "HK"]  # "China,Hong Kong,Hong Kong,China"
    assert c["listed_large_scale"].all()
    assert (c["model_id"] == "google-deepmind/gemini-3.1-pro").sum() == 2  # listed twice


def test_old_vintage_quirks():
    records, c = load(RECORDED_EPOCH / "all_ai_models_2025-04-23.csv")
    assert "Country (of organization)" in records.columns  # was "Country (from Organization)"
    text_columns = records.drop(columns="_row")
    assert not text_columns.apply(lambda col: col.str.contains("\ufeff")).any().any()
    rna = by_name(c, "RNA language models predict mutations that improve RNA function")
    assert rna["organizations"] == [
        "NERSC, Lawrence Berkeley National Laboratory",
        "University of California San Francisco",
        "University of California (UC) Berkeley",
    ]
    assert rna["country_codes"] == ["US"]  # repeated countries collapse
    allam = c[c["name"].str.startswith("ALLaM adapted 70B", na=False)]
    assert allam["name"].tolist() == ["ALLaM adapted 70B"]  # "ALLaM\xa0adapted 70B " in the file
    assert by_name(c, "SO3LR")["training_compute_flop"] == 1.2e20
    # Three records have no name: they resolve to no model rather than to a made-up one.
    assert c["model_id"].isna().sum() == 3
    gdm = c[c["organizations"].apply(lambda o: o == ["Google DeepMind"])]
    # "United States of America,United Kingdom of Great Britain and Northern Ireland,Multinational"
    assert set(map(tuple, gdm["country_codes"])) <= {("US", "GB"), ("GB", "US"), ("GB",), ("US",)}


def test_system_header_of_older_exports_is_accepted():
    body = (REPLAY_EPOCH / "frontier_ai_models.csv").read_bytes()
    assert body.startswith(b"Model,")
    renamed = b"\xef\xbb\xbfSystem," + body[len(b"Model,") :]
    records = parse_csv(renamed, "frontier", "frontier.csv")
    assert records["Model"].iloc[0] == parse_csv(body, "frontier", "x")["Model"].iloc[0]


def test_missing_required_column_names_column_and_file():
    body = (REPLAY_EPOCH / "large_scale_ai_models.csv").read_bytes()
    broken = body.replace(b"Training compute (FLOP),", b"Compute,", 1)
    with pytest.raises(SourceSchemaError) as err:
        parse_csv(broken, "large_scale", "/mirror/large_scale_ai_models.csv")
    assert str(err.value) == (
        "/mirror/large_scale_ai_models.csv: required column 'Training compute (FLOP)' is missing"
    )


def test_truncated_download_is_a_clear_error():
    body = (REPLAY_EPOCH / "notable_ai_models.csv").read_bytes()
    with pytest.raises(SourceSchemaError) as err:
        parse_csv(body[: len(body) // 2], "notable", "notable.csv")
    assert str(err.value) == "notable.csv: ends in the middle of a line (truncated download?)"


def test_unclosed_quote_is_a_clear_error():
    body = (REPLAY_EPOCH / "notable_ai_models.csv").read_bytes()
    with pytest.raises(SourceSchemaError, match=r"^notable\.csv: not a readable CSV \(.*EOF"):
        parse_csv(body + b'"Dangling,quote\n', "notable", "notable.csv")
