"""Rebuild `data/reference/model_families.csv` from the catalogues in `data/replay/`.

    .venv/bin/python scripts/model_families.py

The families of the model names Epoch (models published since 2020), models.dev, OpenRouter and
the Hub repositories list, each with its lab (canonical name) and the catalogues that list it.
Announcement detection reads the table (normalize/model_names.py): a headline naming a family
the catalogues know is evidence that it names a model. Deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import csv
import json
import tarfile
import tomllib
from pathlib import Path

import pandas as pd

from ai_landscape.normalize.model_names import MODEL_FAMILIES_CSV, family_of
from ai_landscape.normalize.organizations import canonical_name

REPLAY = Path(__file__).resolve().parents[1] / "data" / "replay"
# Families that are words of ordinary headlines, or too generic to say "model".
GENERIC = {
    "AI",
    "Model",
    "Chat",
    "Large",
    "Small",
    "Base",
    "Open",
    "Deep",
    "The",
    "Code",
    "Spark",
    "Show",
    "Agent",
}


def epoch() -> pd.DataFrame:
    frames = []
    for name in ("notable_ai_models.csv", "large_scale_ai_models.csv", "frontier_ai_models.csv"):
        table = pd.read_csv(REPLAY / "epoch" / name, dtype=str, keep_default_na=False)
        column = "Model" if "Model" in table else "System"
        recent = table["Publication date"].str[:4] >= "2020"
        organization = table["Organization"].str.split(",").str[0]
        frames.append(pd.DataFrame({"name": table[column], "organization": organization})[recent])
    return pd.concat(frames).assign(source="epoch")


def modelsdev() -> pd.DataFrame:
    rows = []
    with tarfile.open(REPLAY / "modelsdev" / "models.dev-dev.tar.gz") as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if member.isfile() and parts[1] == "models" and member.name.endswith(".toml"):
                record = tomllib.loads(tar.extractfile(member).read().decode("utf-8"))
                rows.append({"name": record.get("name", ""), "organization": parts[2]})
    return pd.DataFrame(rows).assign(source="modelsdev")


def openrouter() -> pd.DataFrame:
    models = json.loads((REPLAY / "openrouter" / "models.json").read_text(encoding="utf-8"))
    names = pd.Series([m["name"] for m in models["data"]], dtype=str)
    split = names.str.split(": ", n=1, expand=True)
    return pd.DataFrame({"name": split[1], "organization": split[0], "source": "openrouter"})


def huggingface() -> pd.DataFrame:
    ids = []
    for path in sorted((REPLAY / "huggingface").rglob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        for record in body if isinstance(body, list) else [body]:
            if isinstance(record, dict) and "/" in str(record.get("id", "")):
                ids.append(record["id"])
    split = pd.Series(ids, dtype=str).str.split("/", n=1, expand=True)
    return pd.DataFrame({"name": split[1], "organization": split[0], "source": "huggingface"})


def build() -> pd.DataFrame:
    names = pd.concat([epoch(), modelsdev(), openrouter(), huggingface()], ignore_index=True)
    # "(free)", "(WT2)" and "Latest" are the catalogue's remarks, not the name.
    names["name"] = names["name"].str.replace(r"\s*\([^)]*\)?|\s+Latest\b", "", regex=True)
    names["family"] = family_of(names["name"].str.strip())
    names = names.dropna(subset=["family"])
    words = names["family"].str.split(r"[\s-]+", regex=True)
    plain = (
        (words.str.len() <= 3)
        & names["family"].str.match(r"^[A-Z]|^[a-z]+-?[a-z]*$")
        & ~names["family"].str.contains(r"(?i)\b(?:base|uncased|cased|instruct|free)\b")
    )
    names = names[plain & ~names["family"].isin(GENERIC)]
    # The first word of a product catalogue's family is a family too (`Voxtral` of `Voxtral
    # Small`), and so is one that leads two of Epoch's, unless it is a lab's name (`Amazon`).
    first = names.assign(family=names["family"].str.split(" ").str[0])
    first = first[(names["family"] != first["family"]) & (first["family"].str.len() >= 3)]
    labs = first["family"].map(canonical_name) != first["family"]
    labs |= first["family"].isin(set(names["organization"].map(canonical_name)))
    leads = first[~labs & ~first["family"].isin(GENERIC)]
    counts = leads.groupby("family")["name"].nunique()
    listed = leads["family"].isin(counts[counts >= 2].index) | (leads["source"] != "epoch")
    names = pd.concat([names, leads[listed]])
    names["organization"] = names["organization"].map(canonical_name)
    grouped = names.groupby("family", sort=True).agg(
        organization=("organization", lambda s: s.value_counts().index[0]),
        sources=("source", lambda s: "|".join(sorted(set(s)))),
        example=("name", "first"),
    )
    return grouped.reset_index()


if __name__ == "__main__":
    table = build()
    table.to_csv(MODEL_FAMILIES_CSV, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    print(f"{MODEL_FAMILIES_CSV}: {len(table)} families")
