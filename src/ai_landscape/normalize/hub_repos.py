"""Parsed census pages -> `hub_repos` rows (without `first_seen`). Pure and vectorized.

One call handles a batch of pages (a few tens of thousands of repos): the licence goes through
the same table as every other source (`normalize/licenses.py`, one classification per distinct
text), the base models and their relation are read from the `base_model:` tags and the card,
and the 2022-03-02 backfill stamp is not a creation date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ai_landscape import schema
from ai_landscape.normalize.huggingface import choose_license
from ai_landscape.normalize.licenses import classify_series
from ai_landscape.normalize.text import none_for_missing
from ai_landscape.sources.huggingface.census_constants import RELATIONS, UNSPECIFIED
from ai_landscape.sources.huggingface.constants import CREATED_AT_SENTINEL

# Lower is stronger; a bare base (no relation) ranks last.
_RANK = {relation: rank for rank, relation in enumerate((*RELATIONS, UNSPECIFIED))}
_RELATION_OF_RANK = dict(enumerate((*RELATIONS, UNSPECIFIED)))
COLUMNS = [c.name for c in schema.HUB_REPOS if c.name != "first_seen"]


def normalize_pages(pages: pa.Table, locators: pa.Array) -> pa.Table:
    """`pages`: parsed pages concatenated (census_parse.PAGE_SCHEMA); `locators`: each row's
    raw-zone locator of its page. Returns the hub_repos columns but `first_seen`, same order."""
    frame = pages.drop_columns(["base_tags", "card_base_models"]).to_pandas()
    repo_id = frame["repo_id"]
    licence = choose_license(
        frame["card_license"], frame["card_license_name"], frame["license_tags"]
    )
    terms = classify_series(licence)
    bases, relation = base_models(pages)
    created = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601", errors="coerce")
    start, end = CREATED_AT_SENTINEL
    created = created.where(~((created >= start) & (created < end)))
    out = pd.DataFrame(
        {
            "repo_id": repo_id,
            "author": namespaces(pages["repo_id"], pages["author"]),
            "license_raw": licence,
            "license_id": none_for_missing(terms["license_id"]),
            "weights_access": terms["weights_access"].astype(object),
            "commercial_use": terms["commercial_use"].astype(object),
            "gated": frame["gated"],
            "pipeline_tag": frame["pipeline_tag"],
            "library": frame["library_name"],
            "created_at": created,
            "downloads": frame["downloads"].astype("Int64"),
            "likes": frame["likes"].astype("Int64"),
        }
    )
    table = pa.Table.from_pandas(out, preserve_index=False)
    locator = pc.binary_join_element_wise(
        pa.scalar("huggingface.census:"),
        locators,
        pa.scalar("#row="),
        pc.cast(pages["row"], pa.string()),
        "",
    )
    columns = {
        **{name: table[name] for name in table.column_names},
        "base_models": bases,
        "relation": relation,
        "locator": locator,
    }
    fields = [f for f in schema.arrow_schema("hub_repos") if f.name != "first_seen"]
    return pa.table([columns[f.name] for f in fields], schema=pa.schema(fields)).cast(
        pa.schema(fields)
    )


def namespaces(repo_ids: pa.ChunkedArray, authors: pa.ChunkedArray) -> pa.ChunkedArray:
    """The listed author, else the repo id's namespace (none for a legacy bare id)."""
    parts = pc.split_pattern(repo_ids, "/", max_splits=1)
    namespace = pc.if_else(
        pc.equal(pc.list_value_length(parts), 2),
        pc.list_element(parts, 0),
        pa.scalar(None, pa.string()),
    )
    return pc.coalesce(authors, namespace)


def base_models(pages: pa.Table) -> tuple[pa.Array, pa.Array]:
    """(list of base repo ids, relation or null) per repo, from the `base_model:` tags (bare
    or `base_model:<relation>:<repo>`), else the card's `base_model`/`base_model_relation`
    (a repo listed without tags). A base tagged twice is listed once, as first written."""
    n = pages.num_rows
    tags = pages["base_tags"].combine_chunks()
    card = pages["card_base_models"].combine_chunks()
    tagged = _from_tags(tags)
    carded = _from_card(card, pages["card_base_relation"].combine_chunks())
    if len(tagged) and len(carded):  # the Hub's tags name the current repo id (a card may
        carded = carded[~carded["parent"].isin(tagged["parent"])]  # keep a renamed one)
    parts = [p for p in (tagged, carded) if len(p)]
    if not parts:
        return pa.array([[] for _ in range(n)], schema.STRING_LIST), pa.nulls(n, pa.string())
    found = pd.concat(parts, ignore_index=True).sort_values("parent", kind="stable")
    ranks = found.groupby("parent")["rank"].min()  # before a bare mention's duplicate goes
    found = found.drop_duplicates(["parent", "key"])
    parent = found["parent"].to_numpy()
    offsets = np.concatenate([[0], np.cumsum(np.bincount(parent, minlength=n))]).astype("int32")
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(found["repo"], pa.string()))
    relation = np.full(n, None, dtype=object)
    relation[ranks.index.to_numpy()] = ranks.map(_RELATION_OF_RANK).to_numpy()
    return lists, pa.array(relation, type=pa.string())


def _from_tags(tags: pa.ListArray) -> pd.DataFrame:
    values = pc.list_flatten(tags)
    if not len(values):
        return pd.DataFrame()
    split = pc.split_pattern(values, ":", max_splits=2).to_pylist()
    parent = pc.list_parent_indices(tags).to_numpy()
    rows = [
        (parent[i], *(("", p[1]) if len(p) == 2 else (p[1], p[2])))
        for i, p in enumerate(split)
        if len(p) >= 2 and p[-1]
    ]
    return _keyed(pd.DataFrame(rows, columns=["parent", "word", "repo"]))


def _from_card(card: pa.ListArray, card_relation: pa.Array) -> pd.DataFrame:
    values = pc.list_flatten(card)
    if not len(values):
        return pd.DataFrame()
    parent = pc.list_parent_indices(card).to_numpy()
    word = np.asarray(card_relation.to_pylist(), dtype=object)[parent]
    return _keyed(pd.DataFrame({"parent": parent, "word": word, "repo": values.to_pylist()}))


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank each mention by its relation word; a URL to a repo is the repo, and bases compare
    case-insensitively (as the Hub's ids do)."""
    repo = frame["repo"].str.replace(r"^https?://(?:www\.)?huggingface\.co/", "", regex=True)
    repo = repo.str.strip("/ ")
    rank = frame["word"].map(_RANK).fillna(_RANK[UNSPECIFIED]).astype(int)
    frame = frame.assign(repo=repo, key=repo.str.casefold(), rank=rank)
    return frame[frame["key"] != ""]
