"""Every source the pipeline runs: its fetch and parse (`sources/catalog.py`) with its normalizer.

`DATASET_RANK` is the default precedence of datasets where sources disagree: sources in
catalogue order, each source's datasets in the order it names them (`SourceSpec.urls`).
Fields that trust another source more are declared in `resolve/precedence.py`.
"""

from dataclasses import replace

from ai_landscape.normalize.announcement_table import normalize_records as normalize_feeds
from ai_landscape.normalize.epoch import normalize_records as normalize_epoch
from ai_landscape.normalize.huggingface import normalize_records as normalize_huggingface
from ai_landscape.normalize.modelsdev import normalize_records as normalize_modelsdev
from ai_landscape.normalize.openrouter import normalize_records as normalize_openrouter
from ai_landscape.sources.base import SourceSpec
from ai_landscape.sources.catalog import SPECS
from ai_landscape.sources.huggingface.census_constants import KEY as CENSUS_KEY

NORMALIZERS = {
    "epoch": normalize_epoch,
    "modelsdev": normalize_modelsdev,
    "huggingface": normalize_huggingface,
    "openrouter": normalize_openrouter,
    "feeds": normalize_feeds,
}
SOURCES: dict[str, SourceSpec] = {
    name: replace(spec, normalize=NORMALIZERS[name]) for name, spec in SPECS.items()
}
# The Hub census makes no model candidates (docs/census.md): it takes no rank.
DATASET_RANK = tuple(
    f"{name}.{dataset}"
    for name, spec in SOURCES.items()
    for dataset in spec.urls
    if f"{name}.{dataset}" != CENSUS_KEY
)
# Sources whose records never make a model on their own (they date one a catalogue lists).
ATTACH_ONLY = tuple(name for name, spec in SOURCES.items() if not spec.creates_models)
