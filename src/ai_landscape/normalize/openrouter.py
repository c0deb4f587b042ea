"""OpenRouter records -> contract fields, one candidate row per listed model.

What OpenRouter can and cannot say:

- `weights_access` stays null. Being listed proves API access, but Epoch's `api` state means
  "weights not released", which OpenRouter does not say: open-weights models are listed with
  no `hugging_face_id` (`deepcogito/cogito-v2.1-671b`, `minimax/minimax-m1`,
  `cohere/command-r-08-2024` in the 2026-08 list). A `hugging_face_id` does show the weights
  are published, but which open state (unrestricted, restricted, non-commercial) depends on
  a licence OpenRouter does not give; the repo goes to `hf_repo_ids` so the Hugging Face
  source and licence normalization can decide.
- `release_date` is `created`, the day OpenRouter listed the model, under the field name
  "created (listing date)" so the resolver ranks it below any announcement or publication.
- `organizations` is the id's prefix (`meta-llama`, `x-ai`): OpenRouter's author slug, present
  on every id, where the "Meta: " name prefix is missing or a brand on some.
- `~anthropic/claude-opus-latest` style ids are aliases of whichever model is newest: they
  keep their record and OpenRouter id but suggest no model of their own.
"""

from __future__ import annotations

import logging

import pandas as pd

from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.text import model_ids, regroup
from ai_landscape.sources.openrouter import constants as c

log = logging.getLogger(__name__)


def normalize_records(records: pd.DataFrame, dataset: str) -> pd.DataFrame:
    ids = records[c.ID].astype(str)
    alias = ids.str.startswith(c.ALIAS_PREFIX)
    # `author/slug`; an id without "/" would give no slug, hence no model_id.
    parts = ids.str.removeprefix(c.ALIAS_PREFIX).str.partition("/")
    author, model = parts[0], parts[2].str.replace(c.VARIANT_SUFFIX, "", regex=True)

    created = pd.to_numeric(records[c.CREATED], errors="coerce")
    listed = pd.to_datetime(created, unit="s", utc=True)
    if listed.isna().any():
        log.warning("openrouter.%s: %d unreadable `created` values", dataset, listed.isna().sum())

    name = records[c.NAME].astype(str)  # verbatim: "DeepSeek: R1" would lose its maker as "R1"
    hf_id = records.get(c.HUGGING_FACE_ID, pd.Series(None, index=records.index, dtype=object))
    hf_id = hf_id.fillna("").astype(str).str.strip()  # null and "" both mean no repo
    return candidates(
        records,
        c.SOURCE,
        dataset,
        source_key=ids,
        model_id=model_ids(author, model).where(~alias),
        name=name.where(name != ""),
        organizations=regroup(author[author != ""], records.index),
        release_date=listed.dt.date.where(listed.notna(), None),
        release_date_field=pd.Series(c.RELEASE_DATE_FIELD, index=records.index).where(
            listed.notna(), None
        ),
        hf_repo_ids=regroup(hf_id[hf_id != ""], records.index),
        openrouter_ids=regroup(ids, records.index),
    )
