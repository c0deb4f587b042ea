"""Which id a resolved model gets: stable across runs, and never the id of another model.

A model's members propose ids: a reviewed alias target first, then the ids its records had
in the previous snapshot (so a model keeps its id when another source starts listing it or
a source renames it), then each record's own slug in source rank order, then
`org/<its Hugging Face repo's name>`. Each id goes to the model with the best claim on it; a
model whose every proposal is taken by better claims gets its best proposal with a numeric
suffix, so two models never share an id.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ai_landscape.normalize.text import slugify, split_namespaced
from ai_landscape.resolve.grouping import sorted_codes
from ai_landscape.resolve.name_keys import single_repo_names

ALIAS, PREVIOUS, OWN, REPO = 0, 1, 2, 3


def cluster_ids(
    frame: pd.DataFrame,
    labels: pd.Series,
    edges: pd.DataFrame,
    rank: Sequence[str],
    previous: pd.Series | None,
) -> pd.Series:
    """label -> model id. `frame` rows are the candidates that may name a model, `labels`
    their groups (same index), `edges` their link edges (`pos`: an index label; alias targets
    in `target`), `previous` each row's id in the previous snapshot (null: none)."""
    order = {key: i for i, key in enumerate(rank)}
    member_rank = (frame["source"] + "." + frame["dataset"]).map(order).fillna(len(order))
    claims = [
        pd.DataFrame({"label": labels, "id": frame["model_id"], "tier": OWN, "rank": member_rank})
    ]
    # `org/<repo name>`: more precise than a provider's alias slug, when that is taken.
    repo_names = single_repo_names(frame["hf_repo_ids"]).dropna()
    if len(repo_names):  # only the records naming one repo: slugs of the rest were dropped
        repo_ids = split_namespaced(frame["model_id"].loc[repo_names.index])[0] + "/"
        claims.append(
            pd.DataFrame(
                {
                    "label": labels.loc[repo_names.index],
                    "id": repo_ids + slugify(repo_names),
                    "tier": REPO,
                    "rank": member_rank.loc[repo_names.index],
                }
            )
        )
    if previous is not None:
        claims.append(
            pd.DataFrame({"label": labels, "id": previous, "tier": PREVIOUS, "rank": member_rank})
        )
    targets = edges.dropna(subset=["target"])
    claims.append(
        pd.DataFrame(
            {
                "label": labels.loc[targets["pos"]].to_numpy(),
                "id": targets["target"].to_numpy(),
                "tier": ALIAS,
                "rank": -1,
            }
        )
    )
    table = pd.concat(claims, ignore_index=True).dropna(subset=["id"])
    # Ordered on the ids' codes (grouping.py): sorting by the id strings, then hashing
    # (label, id) again, grew 25x from 10 to 100 times the replay (#17).
    ids = sorted_codes(table["id"])[0]
    label = table["label"].to_numpy(dtype="int64")
    order = np.lexsort((label, ids, table["rank"].to_numpy(), table["tier"].to_numpy()))
    pairs = pd.Series(label[order] * (ids.max(initial=0) + 1) + ids[order])
    return _assign(table.iloc[order[~pairs.duplicated().to_numpy()]], labels.unique())


def _assign(claims: pd.DataFrame, labels) -> pd.Series:
    """Greedy in claim order: an id goes to the first label claiming it. A loop over claims
    (a few per model): who gets an id depends on who got the ids before it."""
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    first: dict[int, str] = {}
    for label, model_id in claims[["label", "id"]].itertuples(index=False):
        first.setdefault(label, model_id)
        if label in chosen or model_id in taken:
            continue
        chosen[label] = model_id
        taken.add(model_id)
    for label in sorted(set(labels) - set(chosen)):
        suffix = 2
        while f"{first[label]}-{suffix}" in taken:
            suffix += 1
        chosen[label] = f"{first[label]}-{suffix}"
        taken.add(chosen[label])
    return pd.Series(chosen, dtype=object)
