"""Every source record -> the canonical model it describes (cross-source resolution).

In order of trust:
1. deterministic links (`links.py`): a shared Hugging Face repo id, a reviewed alias;
2. names (`name_keys.py`): the same organization and the same name key, or brand words spelled
   a little differently; never across organizations.

A name never joins two groups that evidence keeps apart: both have Hugging Face repos and
none in common (OpenRouter's `deepseek/deepseek-chat` is V3, models.dev's is V3.2), or one
dataset lists them as two different models. Groups a reviewed alias settled take no part:
the alias table is also where a reused product name is kept apart from an older model.
Those checks hold for the merged group, not just for the pair of names, so they run as a
union-find over the few name matches (a Python loop over matches, not rows: constraints do
not vectorize into label propagation).

The ids are chosen in `name_clusters.py`; instruction-tuned variants point at their base release
through `base_model_id` instead of being merged into it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ai_landscape.normalize.text import none_for_missing, split_namespaced
from ai_landscape.resolve import lineage, name_clusters, releases, weights
from ai_landscape.resolve.links import components, link_edges, load_aliases
from ai_landscape.resolve.name_keys import FUZZY_THRESHOLD, base_keys, name_keys, single_repo_names


def resolve(
    candidates: pd.DataFrame,
    rank: Sequence[str],
    *,
    previous_ids: pd.Series | None = None,
    aliases: pd.DataFrame | None = None,
    attach_only: Sequence[str] = (),
) -> pd.DataFrame:
    """The candidates, same rows, with `model_id` the canonical id and `base_model_id`.

    `model_id` on input is each record's own `org/name` slug; `previous_ids` (same index) the
    id each record had in the previous snapshot, which its model keeps where it can.
    `rank` orders `source.dataset` keys, best first. Records of `attach_only` sources (feed
    items) join a model other records make, never make one and never name one. Records with
    no slug stay unresolved."""
    aliases = load_aliases() if aliases is None else aliases
    frame = candidates.reset_index(drop=True)
    resolvable = frame.index[frame["model_id"].notna()]
    frame = frame.loc[resolvable].reset_index(drop=True)
    out = candidates.copy(deep=False)  # copy-on-write: its columns are replaced, not edited
    out["model_id"] = None
    out["base_model_id"] = None
    if frame.empty or frame["source"].isin(attach_only).all():
        # Only feed items (a run of feed datasets alone): no model to join, none to make.
        return out
    edges = link_edges(frame, aliases)
    labels = components(len(frame), edges)
    keys = _name_keys(frame, labels)
    reviewed = labels.iloc[edges.dropna(subset=["target"])["pos"]].unique()
    open_keys = keys[~keys["label"].isin(reviewed)]
    labels = _join(frame, labels, _name_matches(open_keys))
    attached = frame["source"].isin(attach_only).to_numpy()
    labels = _join(frame, labels, weights.release_repo_matches(frame, labels, open_keys, attached))
    before = releases.multi_catalogue(frame, labels, attached)
    labels = releases.join_dated(frame, labels)
    # How many models more than one catalogue lists, before and after the release joins.
    out.attrs["multi_catalogue"] = {
        "before_release_joins": before,
        "after": releases.multi_catalogue(frame, labels, attached),
    }
    previous = None
    if previous_ids is not None:
        previous = previous_ids.reset_index(drop=True).loc[resolvable].reset_index(drop=True)
    ids = name_clusters.cluster_ids(
        frame[~attached],
        labels[~attached],
        edges[edges["pos"].isin(frame.index[~attached])],
        rank,
        None if previous is None else previous[~attached],
    )
    keys["label"] = labels.iloc[keys["pos"]].to_numpy()
    base = _base_models(keys, ids)
    positions = candidates.index[resolvable]
    out.loc[positions, "model_id"] = labels.map(ids).to_numpy()
    out.loc[positions, "base_model_id"] = labels.map(base).to_numpy()
    # A base a source states beats one guessed from an `-instruct` name.
    declared = lineage.declared_bases(out) if "base_models" in out else None
    if declared is not None:
        out["base_model_id"] = declared.fillna(out["base_model_id"])
    out["base_model_id"] = none_for_missing(out["base_model_id"])
    # A date its own id contradicts, or a `-latest` alias's, is no release date.
    out["release_date"] = out["release_date"].mask(releases.undated(candidates), None)
    return out


def _name_keys(frame: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """(pos, label, org, key parts) for each name of each candidate: its own slug's name, and
    its Hugging Face repo's name when it names exactly one repo (a record listing several
    repos, base and instruct, would otherwise match both)."""
    org = frame["organizations"].str[0].fillna("").astype(str)
    own = split_namespaced(frame["model_id"])[1]
    nicknamed = releases.nickname_free(frame).dropna()
    names = pd.concat([own, single_repo_names(frame["hf_repo_ids"]).dropna(), nicknamed])
    orgs = org.loc[names.index]
    keys = name_keys(names.reset_index(drop=True), orgs.reset_index(drop=True))
    keys["pos"] = names.index.to_numpy()
    keys["org"] = orgs.str.lower().to_numpy()
    keys["label"] = labels.iloc[keys["pos"]].to_numpy()
    # A name of only organization words ("Mistral" by Mistral AI) says nothing.
    keys = keys[keys["key"] != "||"]
    # A label's plain name speaks for it before a format copy's with the same key.
    keys = keys.sort_values(["label", "copy"], kind="stable")
    return keys.drop_duplicates(["label", "org", "key"]).reset_index(drop=True)


def _name_matches(keys: pd.DataFrame) -> pd.DataFrame:
    """(a, b, score) label pairs: equal keys score 100; within one organization and equal
    numbers and qualifiers, brand words at least FUZZY_THRESHOLD similar score their ratio.
    A pair through a format copy's name (`Qwen3-14B-MLX-bf16`) scores 1 less, so that a
    catalogue's model joins the original repo (`Qwen/Qwen3-14B`) before any of its copies:
    taken first, a copy's repo would keep the original out (repos none in common) and give
    it an id with a `-2` suffix."""
    exact = keys.merge(keys, on=["org", "key"], suffixes=("_a", "_b"))
    exact["score"] = 100.0 - (exact["copy_a"] | exact["copy_b"])
    pairs = [exact[["label_a", "label_b", "score"]]]
    near = _near_spellings(keys)
    if len(near):
        pairs.append(near[["label_a", "label_b", "score"]])
    matches = pd.concat(pairs, ignore_index=True)
    matches = matches[matches["label_a"] < matches["label_b"]]
    return matches.sort_values(
        ["score", "label_a", "label_b"], ascending=[False, True, True]
    ).drop_duplicates(["label_a", "label_b"])


def _near_spellings(keys: pd.DataFrame) -> pd.DataFrame:
    """(label_a, label_b, score, ...) for brand words at least FUZZY_THRESHOLD similar within
    one block (organization, numbers, qualifiers). Only the similarity matrix is computed per
    block; the pairs are labelled in one merge for all blocks: a merge per block (383 blocks,
    60 with pairs on the replay inputs) cost more than everything else in this step (#17)."""
    block = ["org", "numbers", "qualifiers"]
    spellings = keys.groupby(block)["words"].transform("nunique")
    fuzzy = keys[spellings > 1]
    number_of = fuzzy.groupby(block).ngroup().to_numpy()
    order = np.argsort(number_of, kind="stable")  # each block's rows in their order
    blocks = np.split(order, np.flatnonzero(np.diff(number_of[order])) + 1)
    all_words = fuzzy["words"].array
    found = []
    for number, rows in enumerate(blocks):
        words = all_words[rows].unique()
        scores = process.cdist(words, words, scorer=fuzz.ratio)
        a, b = ((scores >= FUZZY_THRESHOLD) & ~np.eye(len(words), dtype=bool)).nonzero()
        if len(a):
            found.append((np.full(len(a), number), words[a], words[b], scores[a, b]))
    if not found:
        return pd.DataFrame(columns=["label_a", "label_b", "score"])
    block_of, words_a, words_b, score = zip(*found, strict=True)
    near = pd.DataFrame(
        {
            "block": np.concatenate(block_of),
            "words_a": pd.concat([pd.Series(w) for w in words_a], ignore_index=True),
            "words_b": pd.concat([pd.Series(w) for w in words_b], ignore_index=True),
        }
    )
    near["score"] = np.concatenate(score)
    labelled = fuzzy[["words", "label", "copy"]].assign(block=number_of)
    for side in ("a", "b"):
        renamed = {c: f"{c}_{side}" for c in ("words", "label", "copy")}
        near = near.merge(labelled.rename(columns=renamed), on=["block", f"words_{side}"])
    near["score"] -= near["copy_a"] | near["copy_b"]
    return near


def _join(frame: pd.DataFrame, labels: pd.Series, matches: pd.DataFrame) -> pd.Series:
    """Labels after joining the matches (label pairs, best first) that no evidence
    contradicts."""
    involved = set(matches["label_a"]) | set(matches["label_b"])
    evidence = _evidence(frame, labels, involved)
    parent = {label: label for label in involved}

    def root(label: int) -> int:
        while parent[label] != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for a, b in matches[["label_a", "label_b"]].itertuples(index=False):
        ra, rb = root(a), root(b)
        if ra == rb or _contradicts(evidence[ra], evidence[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        evidence[keep][0].update(evidence[gone][0])
        for key, ids in evidence[gone][1].items():
            evidence[keep][1].setdefault(key, set()).update(ids)
    roots = pd.Series({label: root(label) for label in involved}, dtype="int64")
    return labels.map(roots).fillna(labels).astype("int64")


def _evidence(frame: pd.DataFrame, labels: pd.Series, involved: set) -> dict:
    """label -> (its Hugging Face repos, {dataset: its records' own slugs}) for the labels a
    name match involves."""
    rows = labels.isin(involved).to_numpy()
    part = frame[rows].assign(label=labels[rows].to_numpy())
    repos = part[["label", "hf_repo_ids"]].explode("hf_repo_ids").dropna()
    repos["hf_repo_ids"] = repos["hf_repo_ids"].astype(str).str.strip().str.lower()
    dataset_key = part["source"] + "." + part["dataset"]
    evidence: dict[int, tuple[set, dict]] = {label: (set(), {}) for label in involved}
    # One pass each (not `groupby(...).agg(set)`: a Series sliced per label, issue #17).
    for label, repo in zip(repos["label"].tolist(), repos["hf_repo_ids"].tolist(), strict=True):
        evidence[label][0].add(repo)
    for label, dataset, model_id in zip(
        part["label"].tolist(), dataset_key.tolist(), part["model_id"].tolist(), strict=True
    ):
        if isinstance(dataset, str):  # groupby left out a missing key
            evidence[label][1].setdefault(dataset, set()).add(model_id)
    return evidence


def _contradicts(a: tuple[set, dict], b: tuple[set, dict]) -> bool:
    repos_a, listed_a = a
    repos_b, listed_b = b
    if repos_a and repos_b and repos_a.isdisjoint(repos_b):
        return True
    return any(listed_b[d] != ids for d, ids in listed_a.items() if d in listed_b)


def _base_models(keys: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """label -> the id of the base release its instruct/chat name points to, in the same
    organization (the smallest id if several match)."""
    wanted = keys.assign(base_key=base_keys(keys)).dropna(subset=["base_key"])
    found = wanted[["label", "org", "base_key"]].merge(
        keys[["label", "org", "key"]].rename(columns={"label": "base_label", "key": "base_key"}),
        on=["org", "base_key"],
    )
    found = found[found["label"] != found["base_label"]]
    found["base_model_id"] = found["base_label"].map(ids)
    return found.sort_values("base_model_id").groupby("label")["base_model_id"].first()
