"""Model names as comparable keys: the third, last-resort step of cross-source resolution.

Sources spell one model differently (`Gemini 1.5 Pro`, `google/gemini-pro-1.5`,
`Meta-Llama-3-70B` vs `Llama 3-70B`), and a loose matcher merges different models (two Claude
Opus versions become one). So a name is cut into three parts that are compared differently:

- its numbers, in order (`4.6`, `70b`, `0324`, `2507`): versions, sizes and revision stamps
  must be equal, so Claude Opus 4.6 != 4.8, Llama 3.1 8B != 70B, DeepSeek-V3 != V3-0324;
- its qualifiers (`mini`, `pro`, `instruct`, `thinking`, a month, ...): words that name
  another tier or variant of the same release, which must be equal as a set;
- the rest (`gemini`, `codellama`): brand words, which may differ in order and spelling
  (rapidfuzz ratio >= FUZZY_THRESHOLD) but not in substance.

Words of the organization's own name (`meta`, `deepseek`, `mistral`) are dropped first: one
source writes them into the model name, another does not.
"""

from __future__ import annotations

import re

import pandas as pd

from ai_landscape.normalize.text import split_namespaced
from ai_landscape.normalize.vocabulary import name_words

FUZZY_THRESHOLD = 90
# Reviewed word lists (data/reference/name_words.csv): instruction-tuned variants of a base
# release (linked to it as `base_model_id`, never merged); qualifiers that name another tier
# or variant of one release (`mini`, `pro`, `thinking`, a month); noise that only says where
# or how a file is published.
VARIANT_WORDS = name_words("variant")
QUALIFIER_WORDS = VARIANT_WORDS | name_words("qualifier")
NOISE_WORDS = name_words("noise")
# Number formats of the same weights (`...-30B-A3B-BF16`): cut before digits are split off.
WEIGHT_FORMATS = (
    r"\b(?:bf16|fp16|fp32|fp8|fp4|nvfp4|mxfp4|int4|int8|w4a16|awq|gptq|gguf|mlx|exl2|\d+bit)\b"
)
# A repo named for a format or a conversion (`Qwen3-14B-MLX-bf16`, `gemma-7b-AWQ`,
# `Llama-2-7b-hf`) is a copy of the weights its name without those words names.
COPY_WORDS = WEIGHT_FORMATS + r"|\bhf\b"


_FORMATS = re.compile(WEIGHT_FORMATS)
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_COPY = re.compile(COPY_WORDS)


def tokens(names: pd.Series) -> pd.Series:
    """Lists of lower-case tokens; letters and digits are split apart (`qwen2.5-72b` ->
    qwen 2 5 72 b) so that `qwen2-5` and `qwen-2.5` agree."""
    cache: dict[str, list[str]] = {}
    return pd.Series(
        [_tokens_of(name, cache) for name in names.fillna("").astype(str).tolist()],
        index=names.index,
        dtype=object,
    )


def name_keys(names: pd.Series, organizations: pd.Series) -> pd.DataFrame:
    """One row per name: `numbers`, `qualifiers`, `words` (space-joined strings; the last two
    sorted) and `key`, all three together: names with equal keys are the same model's names.
    `copy`: the name is a format copy's (COPY_WORDS), whose key drops those words.
    `organizations` (same index) gives the words to drop.

    A loop over names with compiled expressions and a cache of each distinct name's and
    organization's tokens: the same keys as exploding the tokens into a pandas column and
    joining them back by group, 5x faster at 427,200 names (issue #17)."""
    texts = names.fillna("").astype(str).tolist()
    orgs = organizations.reindex(names.index).fillna("").astype(str).tolist()
    name_cache: dict[str, list[str]] = {}
    org_cache: dict[str, frozenset[str]] = {}
    columns: tuple[list, ...] = ([], [], [], [], [])
    for text, org in zip(texts, orgs, strict=True):
        dropped = org_cache.get(org)
        if dropped is None:
            dropped = org_cache[org] = frozenset(_tokens_of(org, name_cache)) | NOISE_WORDS
        kept = [t for t in _tokens_of(text, name_cache) if t not in dropped]
        words = {t for t in kept if not t.isdigit()}
        numbers = " ".join(t for t in kept if t.isdigit())
        qualifiers = " ".join(sorted(words & QUALIFIER_WORDS))
        rest = " ".join(sorted(words - QUALIFIER_WORDS))
        for column, value in zip(
            columns,
            (numbers, qualifiers, rest, f"{numbers}|{qualifiers}|{rest}", _is_copy(text)),
            strict=True,
        ):
            column.append(value)
    keys = pd.DataFrame(
        {
            name: pd.Series(column, index=names.index, dtype=dtype)
            for name, column, dtype in zip(
                ("numbers", "qualifiers", "words", "key", "copy"),
                columns,
                (object, object, object, object, bool),
                strict=True,
            )
        }
    )
    return keys


def _tokens_of(name: str, cache: dict[str, list[str]]) -> list[str]:
    found = cache.get(name)
    if found is None:
        text = _FORMATS.sub(" ", name.lower().replace("+", " plus "))
        found = cache[name] = _NOT_ALNUM.sub(" ", _LETTER_DIGIT.sub(" ", text)).split()
    return found


def _is_copy(name: str) -> bool:
    return _COPY.search(name.lower()) is not None


def base_keys(keys: pd.DataFrame) -> pd.Series:
    """The key of the base release a name's instruction-tuned variant words point to
    (`llama 3 70b instruct` -> `llama 3 70b`); null where the name has no such word."""
    parts = keys["qualifiers"].str.split()
    exploded = parts.explode()
    base = exploded[~exploded.isin(VARIANT_WORDS) & exploded.notna()]
    reduced = _sorted_join(base).reindex(keys.index).fillna("")
    has_variant = exploded.isin(VARIANT_WORDS).groupby(level=0).any().reindex(keys.index)
    key = keys["numbers"] + "|" + reduced + "|" + keys["words"]
    return key.where(has_variant.fillna(False).astype(bool))


def _sorted_join(words: pd.Series) -> pd.Series:
    """Per index label: its distinct words, sorted, space-joined (a vectorized group sum)."""
    if words.empty:
        return pd.Series(dtype=object)
    frame = words.rename("w").rename_axis("i").reset_index()
    frame = frame.drop_duplicates().sort_values(["i", "w"])
    return _joined(frame["w"], frame["i"])


def _joined(words: pd.Series, groups: pd.Series) -> pd.Series:
    """Words space-joined per group, in the order given."""
    return (words.astype(object) + " ").groupby(groups.to_numpy()).sum().str.rstrip()


def single_repo_names(hf_repo_ids: pd.Series) -> pd.Series:
    """The name part of a record's Hugging Face repo (`Qwen/Qwen3-32B` -> `Qwen3-32B`) where
    it lists exactly one; null where it lists none or several (base and instruct)."""
    single = hf_repo_ids.str.len() == 1
    return split_namespaced(hf_repo_ids.str[0])[1].where(single)
