"""Hugging Face records -> contract fields, one candidate row per repo (merging comes later).

- organization: the lab the reference table `data/reference/hf_organizations.csv` names for
  the repo's author (spelled as Epoch AI spells it, so model ids line up), else the author.
- release_date: `createdAt`, except the 2022-03-02 backfill stamp, which only says "older".
  A repo is usually created days before the announcement, so resolution should prefer an
  announcement date; `release_date_field` says where this one came from.
- license_raw: the model card's `license`; when that is `other`, the card's `license_name`
  (the Hub's model-card spec: "If license = other, specify an id for it here"); without a
  card (lists fetched with default fields), the Hub's own `license:` tags.
- parameters: `safetensors.total`, counted by the Hub from the weight files' headers.
- base_models: the `base_model:finetune|adapter|merge:` tags (a lineage a source states).
- weights_access: left null. A Hub repo with weights is open whether gated or not (gating is
  a click-through, recorded in the records' `gated`), but which open_* state it is depends on
  the licence, which licence normalization decides; and some repos hold no weights at all.
"""

from __future__ import annotations

import logging

import pandas as pd

from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.text import model_ids, none_for_missing, regroup, split_namespaced
from ai_landscape.sources.huggingface import constants as c

log = logging.getLogger(__name__)


def normalize_records(records: pd.DataFrame, dataset: str) -> pd.DataFrame:
    repo_id = records[c.ID].astype(str)
    namespace, repo_name = split_namespaced(repo_id)
    author = records[c.AUTHOR].where(records[c.AUTHOR].notna(), namespace)
    organization, country = _reference(author)

    release_date, release_date_field = release_dates(records[c.CREATED_AT], dataset)
    parameters = pd.to_numeric(records[c.PARAMETER_TOTAL], errors="coerce").astype("float64")
    return candidates(
        records,
        c.SOURCE,
        dataset,
        source_key=repo_id,
        model_id=model_ids(organization, repo_name),
        name=repo_name,
        organizations=regroup(organization.dropna(), records.index),
        country_codes=regroup(country[country.fillna("") != ""], records.index),
        release_date=release_date,
        release_date_field=release_date_field,
        license_raw=license_raw(records),
        parameters=parameters,
        hf_repo_ids=regroup(repo_id, records.index),
        base_models=base_models(records),
    )


def base_models(records: pd.DataFrame) -> pd.Series:
    """The repos a repo was fine-tuned from, by the Hub's `base_model:<relation>:` tags (a
    quantized copy is the same model, not a fine-tune of it)."""
    found = records[c.TAGS].astype(object).fillna("").str.findall(c.BASE_MODEL_TAG_PATTERN)
    return regroup(found.explode().dropna(), records.index)


def license_raw(records: pd.DataFrame) -> pd.Series:
    """The card's licence, its `license_name` when the licence is `other`, else the tags'."""
    tags = records[c.TAGS].astype(object).str.findall(c.LICENSE_TAG_PATTERN).str.join(", ")
    return choose_license(records[c.CARD_LICENSE], records[c.CARD_LICENSE_NAME], tags)


def choose_license(card: pd.Series, name: pd.Series, tags: pd.Series) -> pd.Series:
    """Per repo: the card's licence, its `license_name` when the licence is `other`, else
    the `license:` tags (joined text; blank or null when there are none)."""
    card, name = card.astype(object), name.astype(object)
    named = card.str.casefold().eq(c.LICENSE_OTHER).fillna(False) & name.notna()
    chosen = name.where(named, card).fillna(tags.where(tags != ""))
    return none_for_missing(chosen)


def release_dates(created_at: pd.Series, dataset: str) -> tuple[pd.Series, pd.Series]:
    """(datetime.date or None, "createdAt" or None) per row; the backfill stamp gives None."""
    created = pd.to_datetime(created_at, utc=True, format="ISO8601", errors="coerce")
    unreadable = created.isna() & created_at.notna()
    if unreadable.any():
        log.warning("huggingface.%s: %d unreadable createdAt left blank", dataset, unreadable.sum())
    start, end = c.CREATED_AT_SENTINEL
    known = created.notna() & ~((created >= start) & (created < end))
    dates = pd.Series([None] * len(created), index=created.index, dtype=object)
    fields = dates.copy()
    dates[known] = created[known].dt.date
    fields[known] = c.RELEASE_DATE_FIELD
    return dates, fields


def _reference(author: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(organization, ISO country or null) per row; unlisted authors stand for themselves."""
    table = c.reference_organizations()
    key = author.astype(object).str.casefold()
    organization = key.map({k: org for k, (org, _) in table.items()}).fillna(author)
    country = key.map({k: code for k, (_, code) in table.items()})
    return none_for_missing(organization), country
