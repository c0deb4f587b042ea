"""The candidate frame: the contract between a source's normalizer and resolution.

Every normalizer returns one candidate row per parsed record, in these columns and the
contract's names; resolution reads nothing else of a source.
"""

from __future__ import annotations

import pandas as pd

# The fields a source record can contribute to a model, in the contract's names, plus where
# the record came from. Every normalizer returns exactly these columns.
CANDIDATE_COLUMNS = {
    "source": "source name",
    "dataset": "dataset name",
    "row": "record position in its document (int)",
    "source_key": "the source's own id for the record (HF repo id, OpenRouter id, ...)",
    "model_id": "the `org/name` slug this record suggests (null: none)",
    "name": "display name",
    "organizations": "list of organization names as the source writes them",
    "country_codes": "list of ISO alpha-2 codes",
    "release_date": "datetime.date or None",
    "release_date_field": "which field gave release_date (`Publication date`, `createdAt`, ...)",
    "weights_access": "one of schema.WEIGHTS_ACCESS, or null when the source does not say",
    "license_raw": "licence text exactly as the source gives it (null: none)",
    "license_id": "normalized licence id (set by normalize/reference.py from license_raw)",
    "commercial_use": "one of schema.COMMERCIAL_USE, from the licence (null: not known)",
    "parameters": "float total parameters",
    "active_parameters": "float active parameters (mixture-of-experts)",
    "training_tokens": "float",
    "training_compute_flop": "float",
    "compute_confidence": "one of schema.COMPUTE_CONFIDENCE or null",
    "compute_method": "one of schema.COMPUTE_METHOD or null",
    "hf_repo_ids": "list of Hugging Face repo ids of the weights",
    "openrouter_ids": "list of OpenRouter model ids",
    "listed_large_scale": "bool: a curated large-scale list names this record",
    "quality_flags": "list of suspected unit errors (normalize/compute.py), values kept",
    "base_models": "list of the models this one was fine-tuned from, as the source names them "
    "(Epoch's `Base model`, the Hub's `base_model`): names or Hugging Face repo ids",
    "finetune_compute_flop": "float: the fine-tune's own training compute (Epoch's column)",
}
_LIST_COLUMNS = (
    "organizations",
    "country_codes",
    "hf_repo_ids",
    "openrouter_ids",
    "quality_flags",
    "base_models",
)
_FLOAT_COLUMNS = (
    "parameters",
    "active_parameters",
    "training_tokens",
    "training_compute_flop",
    "finetune_compute_flop",
)


def candidates(records: pd.DataFrame, source: str, dataset: str, **columns) -> pd.DataFrame:
    """One candidate row per record (same index, `row` from the record's `_row`): the given
    columns as passed, the others empty (null, [] or False), in CANDIDATE_COLUMNS order. An
    unknown column name is a programming error."""
    unknown = set(columns) - set(CANDIDATE_COLUMNS)
    if unknown:
        raise ValueError(f"not candidate columns: {sorted(unknown)}")
    index = records.index
    columns.update(source=source, dataset=dataset, row=records["_row"].astype("int64"))
    frame = pd.DataFrame(index=index)
    for name in CANDIDATE_COLUMNS:
        if name in columns:
            frame[name] = columns[name]
        elif name in _LIST_COLUMNS:
            frame[name] = pd.Series([[] for _ in range(len(index))], index=index, dtype=object)
        elif name in _FLOAT_COLUMNS:
            frame[name] = float("nan")
        elif name == "listed_large_scale":
            frame[name] = False
        else:
            frame[name] = None
    return frame
