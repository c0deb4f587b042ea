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
    parts = [pd.DataFrame({"pos": repos.index, "node": "hf:" + repos.to_numpy(), "target": None})]
    # One source's records with one slug are one model (Epoch lists a model in several
    # datasets; OpenRouter lists `x` and its free tier `x:free`).
    own = frame["source"] + ":" + frame["model_id"]
    parts.append(pd.DataFrame({"pos": own.index, "node": "own:" + own.to_numpy(), "target": None}))
    ids = frame["model_id"][frame["model_id"].isin(aliases["model_id"])]
    parts.append(pd.DataFrame({"pos": ids.index, "node": "id:" + ids.to_numpy(), "target": None}))
    keys = pd.DataFrame(
        {"pos": frame.index, "source": frame["source"], "alias": frame["source_key"].str.lower()}
    )
    hit = keys.merge(aliases.drop_duplicates(["source", "alias"]), on=["source", "alias"])
    parts.append(
        pd.DataFrame(
            {"pos": hit["pos"], "node": "id:" + hit["model_id"], "target": hit["model_id"]}
        )
    )
    edges = pd.concat(parts, ignore_index=True)
    return edges.drop_duplicates(["pos", "node", "target"]).astype({"pos": "int64"})


def components(size: int, edges: pd.DataFrame) -> pd.Series:
    """Label propagation over the bipartite candidate-key graph: each key takes the smallest
    label of its candidates, each candidate the smallest label of its keys, until nothing
    changes. Converges in at most the graph's diameter rounds."""
    labels = pd.Series(range(size), dtype="int64")
    pos = edges["pos"].to_numpy()
    while True:
        node_label = labels.iloc[pos].groupby(edges["node"].to_numpy()).transform("min")
        reached = pd.Series(node_label.to_numpy()).groupby(pos).min()
        updated = labels.copy()
        updated.loc[reached.index] = reached  # never above the own label: a node includes it
        if updated.equals(labels):
            return labels
        labels = updated
