"""models.dev records -> contract fields, one candidate row per `models/<lab>/<id>.toml`.

- `weights_access`: `open_weights = false` is `api`. models.dev catalogues models that
  providers serve through APIs (219 of the 231 recorded model files are the `base_model` of
  a provider's offering), so a model it says has no public weights is Epoch's "API access".
  `open_weights = true` is `open_unspecified`: the weights are public, but whether they are
  `open_unrestricted`, `open_restricted` or `open_noncommercial` is the licence's to decide,
  and models.dev names one for 4 of its 108 open models (`license_raw` carries it); a licence
  of any source that names the terms replaces it (precedence.PLACEHOLDERS).
- `release_date` is models.dev's "first public release date". A `YYYY-MM` value becomes the
  first of that month under the field name "release_date (month only)".
- `organizations` is the lab folder as models.dev names it (`alibaba` for Qwen, `zhipuai`).
- `hf_repo_ids` are the Hugging Face repos among the `weights` links, kept even where
  `open_weights` is false (`mistral/mistral-medium-latest` links Mistral-Medium-3.5-128B): the
  record says both, and the resolver sees both.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ai_landscape.normalize.access import OPEN_UNSPECIFIED
from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.text import hf_repos_in, model_ids, regroup
from ai_landscape.sources.modelsdev import constants as c

log = logging.getLogger(__name__)


def normalize_records(records: pd.DataFrame, dataset: str) -> pd.DataFrame:
    ids = records[c.ID].astype(str)
    parts = ids.str.partition("/")
    lab, model = parts[0], parts[2]
    release, release_field = release_dates(records[c.RELEASE_DATE].astype(str), dataset)
    license_raw = _column(records, c.LICENSE)
    closed = ~records[c.OPEN_WEIGHTS].astype(bool)  # parse checked every value is a bool
    name = records[c.NAME].astype(str)
    return candidates(
        records,
        c.SOURCE,
        dataset,
        source_key=ids,
        model_id=model_ids(lab, model),
        name=name.where(name != ""),
        organizations=regroup(lab[lab != ""], records.index),
        release_date=release,
        release_date_field=release_field,
        weights_access=pd.Series(
            np.where(closed, "api", OPEN_UNSPECIFIED), index=records.index, dtype=object
        ),
        license_raw=license_raw.where(license_raw.notna(), None),
        hf_repo_ids=hf_repo_ids(_column(records, c.WEIGHTS)),
    )


def release_dates(text: pd.Series, dataset: str) -> tuple[pd.Series, pd.Series]:
    """(dates, field names); `YYYY-MM` counts as the first of the month, under its own name."""
    day = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(text, format="%Y-%m", errors="coerce")
    unreadable = day.isna() & month.isna()
    if unreadable.any():
        log.warning(
            "modelsdev.%s: %d unreadable release dates left blank", dataset, unreadable.sum()
        )
    dates = day.fillna(month)
    field = np.select(
        [day.notna(), month.notna()], [c.RELEASE_DATE, c.MONTH_ONLY_FIELD], default=None
    )
    return (
        dates.dt.date.where(dates.notna(), None),
        pd.Series(field, index=text.index, dtype=object),
    )


def hf_repo_ids(weights: pd.Series) -> pd.Series:
    """`org/repo` of every Hugging Face repo among each record's `weights` links."""
    links = weights.explode()
    urls = links[links.map(lambda link: isinstance(link, dict))].str.get(c.WEIGHTS_URL)
    return hf_repos_in(urls, weights.index)


def _column(records: pd.DataFrame, key: str) -> pd.Series:
    """An optional key: absent from every file means no column at all."""
    if key in records.columns:
        return records[key]
    return pd.Series(None, index=records.index, dtype=object)
