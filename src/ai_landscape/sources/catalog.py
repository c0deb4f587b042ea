"""Every source, by name, in order of precedence: where to fetch each dataset and how to parse it.

A source is wired here from its own parts (constants, fetch, parse) so that those modules
never import each other through a package `__init__`. Order matters: where sources disagree,
the earlier one wins (curated Epoch data first; models.dev before OpenRouter because its
dates are release dates, OpenRouter's are listing dates). The pipeline's registry pairs each
with its normalizer.
"""

from ai_landscape.schema import DATING_SOURCES
from ai_landscape.sources.base import SourceSpec, rebase_host
from ai_landscape.sources.epoch import constants as epoch
from ai_landscape.sources.epoch.parse import parse_csv as parse_epoch
from ai_landscape.sources.feeds import constants as feeds
from ai_landscape.sources.feeds.parse import parse_feed
from ai_landscape.sources.huggingface import census_constants as census
from ai_landscape.sources.huggingface import constants as huggingface
from ai_landscape.sources.huggingface.fetch import fetch as fetch_huggingface
from ai_landscape.sources.huggingface.parse import parse_json as parse_huggingface
from ai_landscape.sources.modelsdev import constants as modelsdev
from ai_landscape.sources.modelsdev.parse import parse_archive as parse_modelsdev
from ai_landscape.sources.openrouter import constants as openrouter
from ai_landscape.sources.openrouter.fetch import fetch_pages as fetch_openrouter
from ai_landscape.sources.openrouter.parse import parse_models as parse_openrouter

_SPECS = (
    SourceSpec(epoch.SOURCE, urls=epoch.URLS, parse=parse_epoch),
    SourceSpec(modelsdev.SOURCE, urls=modelsdev.URLS, parse=parse_modelsdev),
    SourceSpec(
        huggingface.SOURCE,
        urls={**huggingface.URLS, census.DATASET: census.CENSUS_URL},  # census: census/
        parse=parse_huggingface,
        fetch=fetch_huggingface,
        rebase=rebase_host,
        live_only=huggingface.LIVE_ONLY,
    ),
    SourceSpec(
        openrouter.SOURCE,
        urls=openrouter.URLS,
        parse=parse_openrouter,
        fetch=fetch_openrouter,
        rebase=rebase_host,
    ),
    SourceSpec(
        feeds.SOURCE,
        urls=feeds.URLS,
        parse=parse_feed,
        rebase=rebase_host,
        creates_models=feeds.SOURCE not in DATING_SOURCES,
    ),
)
SPECS: dict[str, SourceSpec] = {spec.name: spec for spec in _SPECS}
