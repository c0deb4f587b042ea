"""Every source the pipeline knows, by name, in order of precedence.

A source is wired here from its parts (constants, fetch, parse, normalize) so that those
modules never import each other through a package `__init__`.
"""

from ai_landscape.normalize.epoch import normalize_records as normalize_epoch
from ai_landscape.sources.base import SourceSpec
from ai_landscape.sources.epoch import constants as epoch
from ai_landscape.sources.epoch.parse import parse_csv as parse_epoch

_SPECS = (
    SourceSpec(
        epoch.SOURCE,
        urls=epoch.URLS,
        parse=parse_epoch,
        normalize=normalize_epoch,
        in_models=True,
    ),
)
SOURCES: dict[str, SourceSpec] = {spec.name: spec for spec in _SPECS}
