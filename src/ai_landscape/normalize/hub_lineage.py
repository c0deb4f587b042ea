"""Who a base's root repo belongs to, for `hub_lineage`. Pure; vectorized over repo ids.

`models` says it best (a model listing the repo among its `hf_repo_ids`), but it names few of
the Hub's bases, and its `family` column is mostly empty. So each field falls back:
- family: the model's family, else the repo's name cut before its size or variant
  (`meta-llama/Llama-2-7b-chat-hf` -> `llama-2`, `Qwen/Qwen2.5-7B-Instruct` -> `qwen2.5`,
  `google/gemma-7b` -> `gemma`, `deepseek-ai/DeepSeek-R1` -> `deepseek-r1`);
- organization and countries: the model's, else the lab the reference table
  `data/reference/hf_organizations.csv` names for the repo's namespace.
"""

from __future__ import annotations

import pandas as pd

from ai_landscape.normalize.text import split_namespaced
from ai_landscape.sources.huggingface.constants import reference_organizations

# The first size (`7b`, `1.5b`, `8x7b`, `17b`, `350m`) or variant word ends the family name.
_CUT = (
    r"[-_. ](?:\d+(?:\.\d+)?[bmk]|\d+x\d+(?:\.\d+)?b|instruct|chat|base|it|hf|gguf|awq|gptq|"
    r"fp8|int4|int8|bnb|distill|preview)(?=[-_.]|$).*$"
)


def family_from_repo(repo_ids: pd.Series) -> pd.Series:
    """The family a base repo's name suggests (lower-case), same index."""
    _, name = split_namespaced(repo_ids.astype(object).str.casefold())
    family = name.str.replace(_CUT, "", regex=True).str.strip("-_. ")
    return family.where(family != "", name)


def reference_owner(repo_ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(organization or None, [country] or []) from the repo's namespace in the reference."""
    namespace, _ = split_namespaced(repo_ids.astype(object))
    key = namespace.str.casefold()
    table = reference_organizations()
    organization = key.map({k: org for k, (org, _) in table.items()})
    country = key.map({k: [code] if code else [] for k, (_, code) in table.items()})
    return organization, country.map(lambda codes: codes if isinstance(codes, list) else [])


def attribute_bases(lineage: pd.DataFrame) -> pd.DataFrame:
    """Fill `base_family`, `base_organization`, `base_country_codes` where `models` left
    them empty (see the module docstring)."""
    repos = lineage["root_repo_id"]
    organization, country = reference_owner(repos)
    linked = lineage["base_country_codes"].map(len) > 0
    return lineage.assign(
        base_family=lineage["base_family"].fillna(family_from_repo(repos)),
        base_organization=lineage["base_organization"].fillna(organization),
        base_country_codes=lineage["base_country_codes"].where(linked, country),
    )
