"""Epoch records -> contract fields, one candidate row per record (merging comes later)."""

from __future__ import annotations

import logging

import pandas as pd

from ai_landscape.normalize.candidates import candidates
from ai_landscape.normalize.countries import country_codes
from ai_landscape.normalize.numbers import to_float
from ai_landscape.normalize.quantities import active_parameters
from ai_landscape.normalize.text import hf_repos_in, model_ids, split_list
from ai_landscape.normalize.vocabulary import epoch_labels
from ai_landscape.sources.epoch import constants as c

log = logging.getLogger(__name__)


def normalize_records(records: pd.DataFrame, dataset: str) -> pd.DataFrame:
    organizations = split_list(records[c.ORGANIZATION], c.ORGANIZATION_SEPARATOR)
    codes, _unresolved = country_codes(split_list(records[c.COUNTRY], c.COUNTRY_SEPARATOR))
    compute, bad_compute = to_float(records[c.TRAINING_COMPUTE])
    finetune_compute, _ = to_float(_optional(records, c.FINETUNE_COMPUTE))
    parameters, bad_parameters = to_float(records[c.PARAMETERS])
    release = pd.to_datetime(records[c.PUBLICATION_DATE], format="%Y-%m-%d", errors="coerce")
    bad_dates = release.isna() & (records[c.PUBLICATION_DATE] != "")
    for label, mask in (
        ("compute", bad_compute),
        ("parameters", bad_parameters),
        ("date", bad_dates),
    ):
        if mask.any():
            log.warning("epoch.%s: %d unparseable %s values left blank", dataset, mask.sum(), label)

    # An access label Epoch has not used before is kept verbatim, so the validation gate
    # stops it (and names it) instead of this code guessing its meaning.
    access = records[c.ACCESSIBILITY]
    weights_access = access.map(epoch_labels("weights_access")).fillna(access)
    confidence = records[c.CONFIDENCE]
    compute_confidence = confidence.map(epoch_labels("compute_confidence")).fillna(confidence)

    name = records[c.MODEL].where(records[c.MODEL] != "")
    return candidates(
        records,
        c.SOURCE,
        dataset,
        source_key=records[c.MODEL],
        model_id=model_ids(organizations.str[0], records[c.MODEL]),
        name=name,
        organizations=organizations,
        country_codes=codes,
        release_date=release.dt.date.where(release.notna(), None),
        release_date_field=pd.Series(c.PUBLICATION_DATE, index=records.index).where(
            release.notna()
        ),
        weights_access=weights_access,
        parameters=parameters,
        active_parameters=active_parameters(_optional(records, c.PARAMETERS_NOTES), parameters),
        license_raw=_optional(records, c.ACCESSIBILITY_NOTES),
        training_compute_flop=compute,
        compute_confidence=compute_confidence.where(compute.notna(), None),
        compute_method=pd.Series("source", index=records.index).where(compute.notna()),
        # Epoch's `Link` names the model's Hugging Face repo for some open models: the
        # deterministic link to the other sources' records of it.
        hf_repo_ids=hf_repos_in(_optional(records, c.LINK)),
        listed_large_scale=dataset == "large_scale",
        base_models=split_list(_optional(records, c.BASE_MODEL), c.ORGANIZATION_SEPARATOR),
        finetune_compute_flop=finetune_compute,
    )


def _optional(records: pd.DataFrame, column: str) -> pd.Series:
    """A text column some vintages lack: blank cells and a missing column read as null."""
    if column not in records:
        return pd.Series(None, index=records.index, dtype=object)
    return records[column].where(records[column] != "", None)
