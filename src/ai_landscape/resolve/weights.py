"""A catalogue's model -> the lab's weights repo when no repo carries its exact name.

Epoch lists releases by the name a paper gives them ("DeepSeek Coder 33B", "Llama 3.3 70B",
"Qwen2.5-VL-72B"); the lab's Hub repos add a word that says which checkpoint a repo holds
(`deepseek-coder-33b-base`, `Llama-3.3-70B-Instruct`). Name keys (`name_keys.py`) keep such
names apart, rightly where both checkpoints are published: Qwen2.5-72B and its -Instruct are
two models (the second points at the first through `base_model_id`). Where the catalogue's
name has no repo of its own, which repo holds its weights is a judgement, made here only when
one answer is left:

- the repo of the same name plus `base` (`deepseek-coder-33b-base` for "DeepSeek Coder 33B"):
  an unmarked name is the pretrained release, as Epoch lists it;
- else the lab's only instruction-tuned repo of that name (`-Instruct`, `-Chat`, `-it`): the
  lab published no other checkpoint of the release ("Llama 3.3 70B" is Meta's
  Llama-3.3-70B-Instruct);
- nothing for a name without a number ("DeBERTa" is not `deberta-base`, where `base` is a
  size), and nothing when two repos qualify (Qwen3-Next-80B-A3B-Instruct and -Thinking), when a repo
  adds any other word (`Llama-3.2-11B-Vision` for "Llama 3.2 11B": a word that might name
  another model), or when the numbers differ in any way (`Mistral-7B-v0.1` for "Mistral 7B":
  versions and sizes must agree exactly, as everywhere in resolution).

Format copies (`-AWQ`, `-MLX-8bit`) are never the repo chosen. The pairs returned go through
resolution's evidence checks like any name match (a dataset that lists both as two models,
repos none in common).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.resolve.name_keys import VARIANT_WORDS, name_keys, single_repo_names

HUB = "huggingface"
BASE_WORD = "base"
SCORE = 95.0  # below any exact name match (100, 99 through a copy)


def release_repo_matches(
    frame: pd.DataFrame, labels: pd.Series, keys: pd.DataFrame, attached: np.ndarray
) -> pd.DataFrame:
    """(label_a, label_b, score): a catalogue model without a Hub record, and the one model
    with a Hub record (other catalogues may list it too) whose repo holds its weights by the
    rules above. `keys` as resolution's `_name_keys` (positions into `frame`); `attached`
    marks feed records (they name no model). A loop over the few matching names, not rows."""
    empty = pd.DataFrame({"label_a": [], "label_b": [], "score": []}).astype({"score": float})
    own = ~attached
    hub_record = frame["source"].eq(HUB).to_numpy()
    per_label = (
        pd.DataFrame(
            {"label": labels.to_numpy(), "hub": hub_record & own, "other": ~hub_record & own}
        )
        .groupby("label")[["hub", "other"]]
        .any()
    )
    catalogue = per_label.index[per_label["other"] & ~per_label["hub"]]
    keys = keys.assign(label=labels.iloc[keys["pos"]].to_numpy())
    # A name with no number (size, version) is too vague to choose a checkpoint for:
    # "DeBERTa" is not `deberta-base` (there `base` is a size).
    keys = keys[~keys["copy"] & keys["numbers"].ne("")]
    wanted = keys[keys["label"].isin(catalogue)]
    offered = _repo_keys(frame, labels, hub_record)
    pairs = wanted.merge(offered, on=["org", "numbers", "words"], suffixes=("_a", "_b"))
    if pairs.empty:
        return empty
    extra = [
        set(b.split()) - set(a.split()) if set(a.split()) < set(b.split()) else None
        for a, b in zip(pairs["qualifiers_a"], pairs["qualifiers_b"], strict=True)
    ]
    pairs["extra"] = extra
    pairs = pairs[pairs["extra"].notna()]
    pairs["is_base"] = pairs["extra"].map(lambda words: words == {BASE_WORD})
    pairs["is_variant"] = pairs["extra"].map(lambda words: words <= VARIANT_WORDS)
    chosen = []
    for (label, _key), group in pairs.groupby(["label_a", "key_a"], sort=True):
        base = group.loc[group["is_base"], "label_b"].unique()
        if len(base):
            if len(base) == 1:
                chosen.append((label, base[0]))
            continue
        if (
            group["is_variant"].all()
            and group["label_b"].nunique() == 1
            and not _versioned_base(group.iloc[0], offered)
        ):
            chosen.append((label, group["label_b"].iloc[0]))
    if not chosen:
        return empty
    found = pd.DataFrame(chosen, columns=["label_a", "label_b"]).drop_duplicates()
    # A model that two of its names would give two different repos gets none.
    found = found[found.groupby("label_a")["label_b"].transform("nunique") == 1]
    low, high = found.min(axis=1), found.max(axis=1)
    return pd.DataFrame({"label_a": low, "label_b": high, "score": SCORE}).drop_duplicates()


def _repo_keys(frame: pd.DataFrame, labels: pd.Series, hub_record: np.ndarray) -> pd.DataFrame:
    """Name keys of the Hub records' own repo names, with their labels: only a repo's own
    name says what the repo holds (not another catalogue's slug in the same model)."""
    names = single_repo_names(frame["hf_repo_ids"][hub_record]).dropna()
    orgs = frame["organizations"].str[0].fillna("").astype(str).loc[names.index]
    keys = name_keys(names, orgs)
    keys["org"] = orgs.str.lower()
    keys["label"] = labels.loc[names.index].to_numpy()
    return keys[~keys["copy"] & keys["numbers"].ne("")]


def _versioned_base(pair: pd.Series, offered: pd.DataFrame) -> bool:
    """Whether the lab has a repo of the name with a longer version and no variant word
    (`Mixtral-8x22B-v0.1` for "Mixtral 8x22B"): then the unmarked name may be that base, and
    its -Instruct is not the only checkpoint."""
    same = offered[(offered["org"] == pair["org"]) & (offered["words"] == pair["words"])]
    longer = same["numbers"].str.startswith(pair["numbers"] + " ")
    plain = same["qualifiers"].map(lambda q: VARIANT_WORDS.isdisjoint(q.split()))
    return bool((longer & plain).any())
