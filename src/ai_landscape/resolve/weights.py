"""A catalogue's model -> the lab's weights repo when no repo carries its exact name.

Epoch lists releases by the name a paper gives them ("DeepSeek Coder 33B", "Llama 3.3 70B",
"Mistral 7B"); the lab's Hub repos add a word that says which checkpoint a repo holds
(`deepseek-coder-33b-base`, `Llama-3.3-70B-Instruct`), a version (`Mistral-7B-v0.1`) or a
format (`CodeLlama-34b-hf`). Name keys (`name_keys.py`) keep such names apart, rightly where
both checkpoints are published: Qwen2.5-72B and its -Instruct are two models (the second
points at the first through `base_model_id`). Where the catalogue's name has no repo of its
own, which repo holds its weights is a judgement, made here only when one answer is left, in
this order:

1. the repo of the same name spelled together or apart (`CodeLlama-34b` for "Code Llama-34B"),
   or, when the lab published no other, its own transformers conversion (`-hf`);
2. the repo of the same name plus `base` (`deepseek-coder-33b-base` for "DeepSeek Coder
   33B"): an unmarked name is the pretrained release, as Epoch lists it;
3. the repo of the same name plus a modality word (`Llama-3.2-11B-Vision` for "Llama 3.2
   11B"): the lab published that size only with it, so the name can mean nothing else;
4. else the lab's only instruction-tuned repo of that name (`-Instruct`, `-Chat`, `-it`,
   with or without a modality word): the lab published no other checkpoint of the release
   ("Llama 3.3 70B" is Meta's Llama-3.3-70B-Instruct);
5. else the repo of the name plus a version or a year-month stamp (`Mistral-7B-v0.1`,
   `Mixtral-8x22B-v0.1`, `Ministral-8B-Instruct-2410`) created within MAX_DAYS of the
   catalogue's release date (so v0.3, a year later, is not "Mistral 7B"), the pretrained one
   before an instruction-tuned one, one answer only.

Nothing for a name without a number ("DeBERTa" is not `deberta-base`, where `base` is a size),
when two repos qualify (Qwen3-Next-80B-A3B-Instruct and -Thinking), when a repo adds any other
word (`Llama-Guard-3-11B-Vision`), or when the numbers differ otherwise (`Phi-3-medium-4k`
for "phi-3-medium 14B": versions and sizes must agree, as everywhere in resolution).

Format copies (`-AWQ`, `-MLX-8bit`) are never the repo chosen. The pairs returned go through
resolution's evidence checks like any name match (a dataset that lists both as two models,
repos none in common).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ai_landscape.resolve.name_keys import VARIANT_WORDS, name_keys, single_repo_names
from ai_landscape.resolve.releases import MAX_DAYS

HUB = "huggingface"
BASE_WORD = "base"
VERSION_WORD = "v"
# A word that says which inputs a checkpoint takes, where a lab publishes a size only so.
MODALITY_WORDS = frozenset({"vision"})
SCORE = 95.0  # below any exact name match (100, 99 through a copy)
# A lab's own conversion to the transformers format (`CodeLlama-34b-hf`): the weights
# themselves, unlike a quantized copy.
CONVERSION = r"(?i)-hf$"
_EMPTY = pd.DataFrame({"label_a": [], "label_b": [], "score": []}).astype({"score": float})


def release_repo_matches(
    frame: pd.DataFrame, labels: pd.Series, keys: pd.DataFrame, attached: np.ndarray
) -> pd.DataFrame:
    """(label_a, label_b, score): a catalogue model without a Hub record, and the one model
    with a Hub record (other catalogues may list it too) whose repo holds its weights by the
    rules above. `keys` as resolution's `_name_keys` (positions into `frame`); `attached`
    marks feed records (they name no model). A loop over the few matching names, not rows."""
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
    wanted = keys[keys["label"].isin(catalogue)].assign(compact=lambda k: _compact(k))
    offered = _repo_keys(frame, labels, hub_record)
    chosen = _named(wanted, offered)
    done = {label for label, _ in chosen}
    dates = _catalogue_dates(frame, labels, hub_record | attached)
    chosen += _versioned(wanted[~wanted["label"].isin(done)], offered, dates)
    if not chosen:
        return _EMPTY
    found = pd.DataFrame(chosen, columns=["label_a", "label_b"]).drop_duplicates()
    # A model that two of its names would give two different repos gets none.
    found = found[found.groupby("label_a")["label_b"].transform("nunique") == 1]
    low, high = found.min(axis=1), found.max(axis=1)
    return pd.DataFrame({"label_a": low, "label_b": high, "score": SCORE}).drop_duplicates()


def _named(wanted: pd.DataFrame, offered: pd.DataFrame) -> list[tuple[int, int]]:
    """Rules 1-4: repos of the same numbers whose name is the catalogue's, or adds only
    `base`, modality or instruction words."""
    pairs = wanted.merge(offered, on=["org", "numbers"], suffixes=("_a", "_b"))
    if pairs.empty:
        return []
    same = pairs["compact_a"].eq(pairs["compact_b"])
    extra = [
        set(b.split()) - set(a.split()) if wa == wb and set(a.split()) < set(b.split()) else None
        for a, b, wa, wb in zip(
            pairs["qualifiers_a"],
            pairs["qualifiers_b"],
            pairs["words_a"],
            pairs["words_b"],
            strict=True,
        )
    ]
    pairs["extra"] = [set() if s else e for s, e in zip(same, extra, strict=True)]
    pairs = pairs[pairs["extra"].notna()]
    # Conversions take part only as rule 1's last resort.
    pairs = pairs[~pairs["conversion"] | pairs["extra"].map(len).eq(0)]
    is_same = pairs["extra"].map(len).eq(0)
    is_base = pairs["extra"].map(lambda words: words == {BASE_WORD})
    is_modal = pairs["extra"].map(lambda words: bool(words) and words <= MODALITY_WORDS)
    is_variant = pairs["extra"].map(lambda words: words <= VARIANT_WORDS | MODALITY_WORDS)
    pairs = pairs.assign(variant=is_variant)
    # Rules 1-4 in order (a tier per pair, at most one): the first tier a name has decides,
    # if its repos there are one model.
    tier = pd.Series(np.nan, index=pairs.index)
    for number, rule in enumerate(
        (is_same & ~pairs["conversion"], is_same & pairs["conversion"], is_base, is_modal)
    ):
        tier = tier.mask(rule & tier.isna(), number)
    by = ["label_a", "key_a"]
    picked = _unique_in_first_tier(pairs, by, tier)
    # Else rule 4: every repo an instruction-tuned or modal variant of one model, and no
    # versioned base repo that rule 5 may choose.
    groups = pairs.groupby(by, sort=True)
    first = groups.head(1).set_index(by).reindex(groups.size().index)
    variant = (
        groups["variant"].all()
        & groups["label_b"].nunique().eq(1)
        & ~_versioned_base(first, offered)
        & ~first.index.isin(picked.index)
    )
    found = picked.reindex(first.index).fillna(first["label_b"].where(variant))
    found = found[found.notna()].astype("int64")
    return list(zip(found.index.get_level_values("label_a"), found.to_numpy(), strict=True))


def _unique_in_first_tier(pairs: pd.DataFrame, by: list[str], tier: pd.Series) -> pd.Series:
    """Per group of `by`: the one `label_b` of the group's first (lowest) tier, where that
    tier has exactly one; groups without a tier or with two models in it are left out."""
    ranked = pairs.assign(_tier=tier)[tier.notna()]
    top = ranked[ranked["_tier"].eq(ranked.groupby(by)["_tier"].transform("min"))]
    grouped = top.groupby(by, sort=True)["label_b"]
    return grouped.first()[grouped.nunique().eq(1)]


def _versioned(
    wanted: pd.DataFrame, offered: pd.DataFrame, dates: pd.Series
) -> list[tuple[int, int]]:
    """Rule 5: the repo of the name plus a version (`v0.1`) or a `YYMM` stamp, created within
    MAX_DAYS of the catalogue's release date; the pretrained repo before an instruction-tuned
    one, one answer only."""
    pairs = wanted.merge(offered, on=["org", "words"], suffixes=("_a", "_b"))
    if pairs.empty:
        return []
    prefix = pairs["numbers_a"] + " "
    longer = zip(prefix, pairs["numbers_b"], strict=True)
    tail = pd.Series(
        [b[len(p) :] if b.startswith(p) else None for p, b in longer],
        index=pairs.index,
        dtype=object,
    )
    q_a = pairs["qualifiers_a"].str.split().map(set)
    q_b = pairs["qualifiers_b"].str.split().map(set)
    extra = [b - a if a <= b else None for a, b in zip(q_a, q_b, strict=True)]
    pairs = pairs.assign(tail=tail, extra=extra).dropna(subset=["tail", "extra"])
    versioned = pairs["extra"].map(lambda e: VERSION_WORD in e) & pairs["tail"].str.fullmatch(
        r"\d+(?: \d+)*"
    )
    stamped = pairs["tail"].str.fullmatch(r"\d{4}") & pairs["extra"].map(
        lambda e: VERSION_WORD not in e
    )
    allowed = pairs["extra"].map(lambda e: e <= VARIANT_WORDS | {VERSION_WORD})
    days = (pairs["created"] - pairs["label_a"].map(dates)).abs().dt.days
    pairs = pairs[(versioned | stamped) & allowed & days.le(MAX_DAYS)]
    # The pretrained repo (no variant word) first, else any: one model only.
    plain = pairs["extra"].map(lambda e: VARIANT_WORDS.isdisjoint(e))
    picked = _unique_in_first_tier(pairs, ["label_a"], plain.map({True: 0, False: 1}))
    return list(zip(picked.index, picked.to_numpy(), strict=True))


def _compact(keys: pd.DataFrame) -> pd.Series:
    """The name's words, qualifiers included, sorted and written together: "Code Llama" and
    `CodeLlama` agree."""
    words = (keys["qualifiers"] + " " + keys["words"]).str.split()
    return words.map(lambda w: "".join(sorted(w)))


def _catalogue_dates(frame: pd.DataFrame, labels: pd.Series, excluded: np.ndarray) -> pd.Series:
    """label -> the earliest release date its catalogue records give (not the Hub's)."""
    dated = pd.to_datetime(frame["release_date"], errors="coerce", utc=True)
    rows = ~excluded & dated.notna().to_numpy()
    return dated[rows].groupby(labels[rows].to_numpy()).min()


def _repo_keys(frame: pd.DataFrame, labels: pd.Series, hub_record: np.ndarray) -> pd.DataFrame:
    """Name keys of the Hub records' own repo names, with their labels and creation dates:
    only a repo's own name says what the repo holds (not another catalogue's slug in the same
    model). `conversion`: the lab's own `-hf` conversion, the only copy kept."""
    names = single_repo_names(frame["hf_repo_ids"][hub_record]).dropna().astype(str)
    orgs = frame["organizations"].str[0].fillna("").astype(str).loc[names.index]
    keys = name_keys(names, orgs)
    keys["org"] = orgs.str.lower()
    keys["label"] = labels.loc[names.index].to_numpy()
    keys["created"] = pd.to_datetime(frame["release_date"], errors="coerce", utc=True).loc[
        names.index
    ]
    keys["conversion"] = names.str.contains(CONVERSION) & keys["copy"]
    kept = keys[(~keys["copy"] | keys["conversion"]) & keys["numbers"].ne("")]
    return kept.assign(compact=_compact(kept))


def _versioned_base(pairs: pd.DataFrame, offered: pd.DataFrame) -> pd.Series:
    """Per pair: whether the lab has a repo of the name with a longer version and no variant
    word (`Mixtral-8x22B-v0.1` for "Mixtral 8x22B"): then the unmarked name may be that base,
    and its -Instruct is not the only checkpoint (rule 5 decides). A set of the plain repos'
    (org, words, version prefix), not a scan of every repo per pair (issue #17)."""
    plain = offered[offered["qualifiers"].map(lambda q: VARIANT_WORDS.isdisjoint(q.split()))]
    prefixes = {
        (org, words, numbers[:cut])
        for org, words, numbers in zip(plain["org"], plain["words"], plain["numbers"], strict=True)
        for cut, char in enumerate(numbers)
        if char == " "
    }
    return pd.Series(
        [
            (org, words, numbers) in prefixes
            for org, words, numbers in zip(
                pairs["org"], pairs["words_a"], pairs["numbers"], strict=True
            )
        ],
        index=pairs.index,
        dtype=bool,
    )
