"""Canonical organizations: one name per company across Epoch, Hub, OpenRouter, models.dev."""

from __future__ import annotations

import csv

import pandas as pd
import pycountry
import pytest

from ai_landscape.normalize import organizations
from ai_landscape.normalize.organizations import (
    ORGANIZATIONS_CSV,
    SECTORS,
    canonical_name,
    canonicalize,
    lookup,
    reference,
)
from ai_landscape.sources.huggingface.constants import ORGANIZATIONS_CSV as HF_ORGANIZATIONS_CSV
from tests.replay_values import replay_frames, source_candidates


@pytest.mark.parametrize(
    ("names", "canonical"),
    [
        # the groups, as Epoch, the Hub, OpenRouter and models.dev write them
        (["Google", "Google DeepMind", "DeepMind", "Google Brain", "Google Research"], "Google"),
        (["Meta AI", "Facebook AI Research", "Meta", "meta-llama", "facebook", "meta"], "Meta AI"),
        (["Z.ai (Zhipu AI)", "Zhipu AI", "THUDM", "zai-org", "z-ai", "zhipuai"], "Z.ai (Zhipu AI)"),
        (["Alibaba", "Alibaba DAMO Academy", "Qwen", "qwen", "alibaba"], "Alibaba"),
        (["x-ai", "xai", "xai-org", "xAI"], "xAI"),
        (["mistralai", "mistral", "Mistral AI"], "Mistral AI"),
        (["CohereLabs", "Cohere for AI", "cohere"], "Cohere"),
        # case and punctuation never split an organization
        (["Z.AI (ZHIPU AI)", "z.ai zhipu ai", "ZAI-ORG"], "Z.ai (Zhipu AI)"),
        (["  google deepmind ", "GOOGLE_DEEPMIND"], "Google"),
    ],
)
def test_aliases_resolve_to_one_canonical_name(names, canonical):
    assert {canonical_name(n) for n in names} == {canonical}


def test_unlisted_names_stand_for_themselves():
    assert canonical_name("Tsinghua University") == "Tsinghua University"
    assert canonical_name("MetaMind Inc") == "MetaMind Inc"  # not Meta
    assert canonical_name("Inception G42") == "Inception G42"  # OpenRouter's `inception` is Labs


def test_canonicalize_real_epoch_lists_drops_repeats_and_gives_table_countries():
    # The names as Epoch's normalizer gives them: `parse_documents` canonicalizes them since.
    _, candidates = source_candidates("epoch", "notable")
    names, countries = canonicalize(candidates["organizations"])
    by_model = pd.DataFrame({"before": candidates["organizations"], "after": names})
    by_model.index = candidates["name"]
    # Epoch lists "Google,Google DeepMind" and similar: one organization after.
    assert by_model.loc["Gemini 1.0 Ultra", "before"] == ["Google DeepMind"]
    assert by_model.loc["Gemini 1.0 Ultra", "after"] == ["Google"]
    assert by_model.loc["Med-PaLM 2", "before"] == ["Google Research", "DeepMind"]
    assert by_model.loc["Med-PaLM 2", "after"] == ["Google"]
    assert by_model.loc["XGLM-7.5B", "after"] == ["Meta AI"]  # was Meta AI, Facebook AI Research
    merged = by_model[by_model["after"].str.len() < by_model["before"].str.len()]
    assert len(merged) == 23
    assert all(len(a) == len(set(a)) for a in names)
    assert countries.str.len().gt(0).sum() == 652
    epoch = pd.concat(
        [source_candidates("epoch", d)[1]["organizations"] for d in replay_frames("epoch")]
    )
    assert epoch.explode().dropna().nunique() == 430
    assert canonicalize(epoch)[0].explode().dropna().nunique() == 411


def test_openrouter_and_modelsdev_labs_not_in_the_table_are_known():
    """A new lab prefix shows up here first: add it to the table or to this list."""
    listed = {o.name for o in reference().values()}
    unlisted = {}
    for source in ("openrouter", "modelsdev"):
        names = pd.concat(
            [source_candidates(source, d)[1]["organizations"] for d in replay_frames(source)]
        )
        found = {n for n in names.explode().dropna() if canonical_name(n) not in listed}
        unlisted[source] = sorted(found)
    assert unlisted == {
        "openrouter": [
            "aion-labs",
            "anthracite-org",
            "cognitivecomputations",
            "gryphe",
            "mancer",
            "morph",
            "nex-agi",
            "openrouter",
            "perceptron",
            "poolside",
            "relace",
            "sao10k",
            "thedrummer",
            "undi95",
        ],
        "modelsdev": ["deepreinforce"],
    }


def test_hub_reference_table_agrees_with_the_organization_table():
    with open(HF_ORGANIZATIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        org = lookup(row["hf_author"])
        assert org is not None, row
        assert org == lookup(row["organization"]), row
        assert org.country == row["country"], row


def test_table_rows_are_valid():
    with open(ORGANIZATIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 52
    assert len({r["name"] for r in rows}) == 52
    assert {r["sector"] for r in rows} == set(SECTORS)
    for row in rows:
        assert row["country"] == "" or pycountry.countries.get(alpha_2=row["country"]), row
    assert sum(r["country"] == "" for r in rows) == 1  # BigScience, a multinational workshop


def test_an_alias_naming_two_organizations_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "organizations.csv"
    rows = ORGANIZATIONS_CSV.read_text(encoding="utf-8")
    copy.write_text(rows + "Not Google,DeepMind,GB,industry,\n", encoding="utf-8")
    monkeypatch.setattr(organizations, "ORGANIZATIONS_CSV", copy)
    reference.cache_clear()
    try:
        with pytest.raises(ValueError, match="is already Google") as error:
            reference()
        assert str(error.value) == f"{copy}:54: 'DeepMind' is already Google"
    finally:
        monkeypatch.undo()
        reference.cache_clear()
