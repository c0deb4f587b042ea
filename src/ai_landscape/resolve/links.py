"""Deterministic links between source records: the first step of cross-source resolution.

Sources name one model differently (OpenRouter `meta-llama/llama-4-maverick`, models.dev
`meta/llama-4-maverick-17b-instruct`), so names alone either miss links or, matched loosely,
merge different versions. Only evidence that cannot confuse two versions links records here:

- the same Hugging Face repo id (an HF record's own repo, OpenRouter's `hugging_face_id`,
  models.dev's `weights` URLs), compared case-insensitively because the sources disagree on
  case (`MiniMaxAI/Minimax-M3` vs `MiniMaxAI/MiniMax-M3`), and Epoch's `Link` unless it
  gives one repo to two different models;
- the same slug within one source (Epoch lists a model in up to three datasets);
- a reviewed row of `data/reference/model_aliases.csv` (one source's `source_key` -> the
  canonical `model_id`), which links the record to the candidates carrying that id: links no
  repo id carries (Epoch lists no repo).

An equal `model_id` alone is not a link: OpenRouter's `deepseek/deepseek-chat` is DeepSeek-V3
(repo deepseek-ai/DeepSeek-V3) while models.dev's is V3.2 (deepseek-ai/DeepSeek-V3.2). Aliases
are scoped to a source for the same reason.

Links are transitive (connected components), found by vectorized label propagation rather
than per-row Python. Names are compared only after this, in `name_keys.py` and `resolution.py`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ai_landscape.settings import REFERENCE_DIR

ALIASES_PATH = REFERENCE_DIR / "model_aliases.csv"
# Sources whose repo ids come from a reference link rather than a declaration of the weights.
REFERENCE_LINK_SOURCES = frozenset({"epoch"})


def load_aliases(path: Path = ALIASES_PATH) -> pd.DataFrame:
    """source, alias (that source's `source_key`, lower-cased: case differs between sources
    and runs) -> model_id."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"source", "alias", "model_id", "notes"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    table = table.apply(lambda column: column.str.strip())
    table["alias"] = table["alias"].str.lower()
    return table[["source", "alias", "model_id"]]


def link_edges(frame: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """(pos, node, target): a candidate's position and a key it shares with others;
    `target` is the canonical id when the key came from the alias table."""
    repos = frame["hf_repo_ids"].explode().dropna().astype(str).str.strip().str.lower()
    repos = repos[repos != ""]
    # Epoch's `Link` is a reference page, not a statement of weights: one that a dataset gives
    # to two different models (Aquila 7B and 33B both link BAAI/Aquila-7B) names a family and
    # links nothing. API catalogues do map several ids to one repo (`-latest`, a thinking
    # mode): those are one model's weights.
    referenced = frame["source"].loc[repos.index].isin(REFERENCE_LINK_SOURCES)
    listed = pd.DataFrame(
        {
            "repo": repos.to_numpy(),
            "dataset": (frame["source"] + "." + frame["dataset"]).loc[repos.index].to_numpy(),
            "model_id": frame["model_id"].loc[repos.index].to_numpy(),
        }
    )
    listed = listed[referenced.to_numpy()]
    ambiguous = listed.groupby(["repo", "dataset"])["model_id"].nunique().loc[lambda n: n > 1]
    repos = repos[~repos.isin(ambiguous.index.get_level_values("repo"))]
    # Nodes are numbered, a range per kind of key (a repo, a source's slug, a canonical id):
    # building `kind:key` strings and hashing them again to drop duplicates grew 14x from 10
    # to 100 times the replay (#17).
    repo_nodes = pd.factorize(repos)[0]
    # One source's records with one slug are one model (Epoch lists a model in several
    # datasets; OpenRouter lists `x` and its free tier `x:free`).
    slugs = pd.factorize(frame["model_id"])[0].astype("int64")
    sources = pd.factorize(frame["source"])[0]
    slugged = slugs >= 0
    own_nodes = pd.factorize((slugs * (sources.max(initial=0) + 1) + sources)[slugged])[0]
    ids = frame["model_id"][frame["model_id"].isin(aliases["model_id"])]
    keys = pd.DataFrame(
        {"pos": frame.index, "source": frame["source"], "alias": frame["source_key"].str.lower()}
    )
    hit = keys.merge(aliases.drop_duplicates(["source", "alias"]), on=["source", "alias"])
    id_nodes = pd.factorize(pd.concat([ids, hit["model_id"]], ignore_index=True))[0]
    own_start = repo_nodes.max(initial=-1) + 1
    id_start = own_start + own_nodes.max(initial=-1) + 1
    untargeted = len(repo_nodes) + len(own_nodes) + len(ids)
    edges = pd.DataFrame(
        {
            "pos": np.concatenate(
                [repos.index, frame.index[slugged], ids.index, hit["pos"]]
            ).astype("int64"),
            "node": np.concatenate([repo_nodes, own_nodes + own_start, id_nodes + id_start]),
            "target": np.concatenate([np.full(untargeted, None), hit["model_id"].to_numpy()]),
        }
    )
    return edges.drop_duplicates(["pos", "node", "target"], ignore_index=True)


def components(size: int, edges: pd.DataFrame) -> pd.Series:
    """Label propagation over the bipartite candidate-key graph: each key takes the smallest
    label of its candidates, each candidate the smallest label of its keys, until nothing
    changes. Converges in at most the graph's diameter rounds."""
    labels = np.arange(size, dtype="int64")
    pos = edges["pos"].to_numpy(dtype="int64")
    node = edges["node"].to_numpy(dtype="int64")
    nodes = int(node.max(initial=-1)) + 1
    while True:
        node_label = np.full(nodes, size, dtype="int64")
        np.minimum.at(node_label, node, labels[pos])
        updated = labels.copy()  # never above the own label: a node includes it
        np.minimum.at(updated, pos, node_label[node])
        if np.array_equal(updated, labels):
            return pd.Series(labels, dtype="int64")
        labels = updated
