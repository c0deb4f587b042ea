"""Text helpers shared by every source's normalizer. Vectorized over pandas Series."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

_COMBINING_MARKS = r"[\u0300-\u036f]"
# URLs of Hugging Face model repos -> `org/repo`; other Hub pages are not repos.
HF_REPO_URL = (
    r"^https?://(?:www\.)?huggingface\.co/"
    r"(?!(?:collections|datasets|spaces|docs|blog|papers|organizations|models)/)"
    r"([^/?#\s]+/[^/?#\s]+)"
)


def slugify(values: pd.Series) -> pd.Series:
    """Lower-case ids that survive round trips through URLs and file names.

    Accents fold to ASCII ("Tülu" -> "tulu"); letters of other scripts are kept rather than
    dropped, so a name written in Chinese still gets a non-empty, distinct slug.
    """
    return (
        values.fillna("")
        .astype(str)
        .str.normalize("NFKD")
        .str.replace(_COMBINING_MARKS, "", regex=True)
        .str.lower()
        .str.replace(r"[^\w.+]+", "-", regex=True)
        .str.replace(r"_+", "-", regex=True)
        .str.strip("-.")
    )


def slugify_lists(names: list[list[str]]) -> list[list[str]]:
    """The slug of each name, list by list, from one `slugify` pass over all of them: a
    reference table's rows slugified one by one cost a pandas pass per row (#17)."""
    flat = slugify(pd.Series([name for row in names for name in row], dtype=object)).tolist()
    ends = np.cumsum([len(row) for row in names]).tolist()
    return [flat[end - len(row) : end] for row, end in zip(names, ends, strict=True)]


def split_list(values: pd.Series, separator: str) -> pd.Series:
    """Split delimited cells into lists of stripped, non-empty items ([] for an empty cell)."""
    parts = values.fillna("").astype(str).str.split(separator, regex=len(separator) > 1)
    exploded = parts.explode().str.strip()
    exploded = exploded[exploded.notna() & (exploded != "")]
    return regroup(exploded, values.index)


def regroup(exploded: pd.Series, index: pd.Index) -> pd.Series:
    """Collect an exploded Series back into one list per original row, order kept, no repeats.

    One pass of a dict over (row, value) pairs: `groupby(...).agg(list)` built a frame and a
    Python list per group through pandas' generic path, 25x slower on the replay inputs and
    superlinear in rows (issue #17)."""
    lists: dict = {}
    for row, value in dict.fromkeys(zip(exploded.index.tolist(), exploded.tolist(), strict=True)):
        lists.setdefault(row, []).append(value)
    return pd.Series([lists.get(row, []) for row in index.tolist()], index=index, dtype=object)


def hf_repos_in(urls: pd.Series, index: pd.Index | None = None) -> pd.Series:
    """`org/repo` of every Hugging Face model repo URL in each cell (a cell may hold several
    URLs separated by white space), one list per label of `index` (default: `urls.index`;
    `urls` may repeat labels); [] where there is none."""
    links = urls.dropna().astype(str).str.split().explode().dropna()
    repos = links.str.extract(HF_REPO_URL, expand=False).dropna().str.removesuffix(".git")
    return regroup(repos, urls.index.unique() if index is None else index)


def none_for_missing(values: pd.Series) -> pd.Series:
    """An object column whose missing cells are None, not NaN or pd.NA: what the contract's
    nullable string columns, parquet and GX's null checks expect."""
    return values.astype(object).where(values.notna(), None)


def split_namespaced(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`namespace/name` -> (namespace, name) (Hub repo ids, `org/name` model ids); a bare id
    (the Hub's legacy `gpt2`) has no namespace and is all name."""
    if ids.empty:
        empty = pd.Series(index=ids.index, dtype=float)
        return empty, empty.copy()
    # str.partition in a loop: 5x faster than `.str.split(expand=True)` on 427,200 ids, and
    # resolution splits every record's ids several times (issue #17).
    namespaces, names = [], []
    for value in ids.astype(object).tolist():
        if isinstance(value, str):
            head, slash, tail = value.partition("/")
            namespaces.append(head if slash else np.nan)
            names.append(tail if slash else head)
        else:
            namespaces.append(np.nan)
            names.append(np.nan)
    return (
        pd.Series(namespaces, index=ids.index, dtype=object),
        pd.Series(names, index=ids.index, dtype=object),
    )


def org_slug(lead_organization: pd.Series) -> pd.Series:
    """The `org/` part of model ids; a record with no organization gets `unknown`."""
    return slugify(lead_organization).replace("", "unknown")


def model_ids(lead_organization: pd.Series, name: pd.Series) -> pd.Series:
    """`org/name` slugs; a record without a name resolves to no model (null)."""
    org = org_slug(lead_organization)
    slug = slugify(name)
    return (org + "/" + slug).where(slug != "")


def map_distinct(
    values: pd.Series,
    function: Callable[[str], NamedTuple],
    finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """`function` applied once per distinct value and broadcast to every cell: one row per
    input (same index), the NamedTuple's fields as columns; null and blank cells get
    `function("")`. `finish` post-processes the small table of distinct answers."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    blank = function("")
    rows = [function(str(v)) if str(v).strip() else blank for v in uniques]
    table = pd.DataFrame([*rows, blank], columns=list(blank._fields), dtype=object)  # -1: null
    if finish is not None:
        table = finish(table)
    return table.take(codes).set_axis(values.index)
