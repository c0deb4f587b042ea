"""Country names as sources write them -> ISO 3166-1 alpha-2.

The reviewed table `data/reference/country_names.csv` decides first (long ISO names, Hong Kong
kept apart from China, `Multinational` meaning no country); pycountry answers the rest.
"""

from __future__ import annotations

import csv
import logging
from functools import cache

import pandas as pd
import pycountry

from ai_landscape.normalize.once import built_once
from ai_landscape.normalize.text import regroup
from ai_landscape.settings import REFERENCE_DIR

log = logging.getLogger(__name__)


@built_once
def reference_names() -> dict[str, str]:
    with open(REFERENCE_DIR / "country_names.csv", encoding="utf-8", newline="") as fh:
        return {row["name"].casefold(): row["iso2"] for row in csv.DictReader(fh)}


@cache
def to_iso2(name: str) -> str | None:
    """'' for names that are not a country (Multinational); None for names nobody knows."""
    key = name.strip().casefold()
    if key in reference_names():
        return reference_names()[key]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


def country_codes(names: pd.Series) -> tuple[pd.Series, list[str]]:
    """Lists of names -> lists of distinct ISO codes (first occurrence order).

    Returns the codes and the names that could not be resolved, which are left out of the
    codes and must be reported by the caller rather than guessed.
    """
    exploded = names.explode().dropna()
    lookup = {name: to_iso2(name) for name in exploded.unique()}
    unresolved = sorted(name for name, code in lookup.items() if code is None)
    if unresolved:
        log.warning("unresolved country names left out: %s", unresolved)
    codes = exploded.map(lookup)
    codes = codes[codes.notna() & (codes != "")]
    return regroup(codes, names.index), unresolved
