"""Organization names as sources write them -> one canonical name, country and sector.

`data/reference/organizations.csv` lists each canonical organization with its aliases:
Epoch's spellings, Hugging Face namespaces, OpenRouter id prefixes, models.dev lab folders.
Names are compared as slugs (`Z.ai (Zhipu AI)`, `z.ai-zhipu-ai` and `Z.AI (ZHIPU AI)` are one
key), so case and punctuation never split an organization. A name the table does not list
stands for itself: the table merges spellings, it never guesses.

Canonical means the company or institution that releases the model, not the lab inside it:
Google DeepMind, DeepMind, Google Brain and Google Research are `Google`; Facebook AI Research
is `Meta AI`. Model ids are built from the lead organization, so one name per company is what
lets `google/gemini-2.5-pro` from Epoch, OpenRouter and models.dev be one model.
"""

from __future__ import annotations

import csv
from typing import NamedTuple

import pandas as pd

from ai_landscape.normalize.once import built_once
from ai_landscape.normalize.text import regroup, slugify, slugify_lists
from ai_landscape.settings import REFERENCE_DIR

ORGANIZATIONS_CSV = REFERENCE_DIR / "organizations.csv"
SECTORS = ("industry", "academia", "government", "research collective")


class Organization(NamedTuple):
    name: str
    country: str  # ISO 3166-1 alpha-2, "" for none (multinational)
    sector: str


@built_once
def reference() -> dict[str, Organization]:
    """Slug of every canonical name and alias -> its organization. One alias naming two
    organizations is an error in the table."""
    with open(ORGANIZATIONS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = [[row["name"], *(a for a in row["aliases"].split("|") if a)] for row in rows]
    table: dict[str, Organization] = {}
    for line, (row, row_names, keys) in enumerate(
        zip(rows, names, slugify_lists(names), strict=True), start=2
    ):
        if row["sector"] not in SECTORS:
            raise ValueError(f"{ORGANIZATIONS_CSV}:{line}: unknown sector {row['sector']!r}")
        org = Organization(row["name"], row["country"], row["sector"])
        for name, key in zip(row_names, keys, strict=True):
            if table.setdefault(key, org) != org:
                raise ValueError(
                    f"{ORGANIZATIONS_CSV}:{line}: {name!r} is already {table[key].name}"
                )
    return table


def lookup(name: str) -> Organization | None:
    """The organization a name stands for; None when the table does not list it."""
    return reference().get(slugify(pd.Series([name], dtype=object)).iloc[0])


def canonical_name(name: str) -> str:
    """One name; unlisted names come back as given."""
    org = lookup(name)
    return org.name if org else name


def canonicalize(organizations: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Lists of names -> (lists of canonical names, order kept, repeats dropped; lists of the
    ISO codes the table gives for them, empty where it gives none)."""
    exploded = organizations.explode().dropna()
    exploded = exploded[exploded.astype(str) != ""]
    distinct = pd.Series(exploded.unique(), dtype=object)
    orgs = pd.Series(slugify(distinct).map(reference()).to_numpy(), index=distinct, dtype=object)
    known = orgs.dropna()
    names = exploded.map(known.map(lambda o: o.name)).fillna(exploded)
    countries = exploded.map(known.map(lambda o: o.country)).dropna()
    countries = countries[countries != ""]
    return regroup(names, organizations.index), regroup(countries, organizations.index)
