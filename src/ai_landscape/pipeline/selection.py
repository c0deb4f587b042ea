"""Which datasets a run fetches, and from where: the `--sources` and `--source-url` options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ai_landscape.http.client import is_local
from ai_landscape.pipeline.registry import SOURCES


class UsageError(ValueError):
    """The run was asked for something that does not exist: exit code 2, nothing fetched."""


@dataclass(frozen=True)
class DatasetRequest:
    source: str
    dataset: str
    url: str
    # Given by the operator (`--source-url`): a failure there is the run's failure, never
    # carried over as stale, since the operator asked for exactly that data.
    explicit: bool = False

    @property
    def key(self) -> str:
        return f"{self.source}.{self.dataset}"


def all_dataset_keys() -> list[str]:
    return [f"{name}.{dataset}" for name, spec in SOURCES.items() for dataset in spec.urls]


def _expand(name: str) -> list[str]:
    name = name.strip()
    source, _, dataset = name.partition(".")
    if source not in SOURCES:
        raise UsageError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    datasets = SOURCES[source].urls
    if dataset and dataset not in datasets:
        raise UsageError(f"unknown dataset {name!r}; {source} has: {', '.join(datasets)}")
    return [f"{source}.{d}" for d in ([dataset] if dataset else datasets)]


def select_datasets(
    sources: Iterable[str] | None = None,
    source_urls: Mapping[str, str] | None = None,
    mode: str = "live",
) -> list[DatasetRequest]:
    """`sources` holds names like `epoch` or `epoch.large_scale`; None or empty means all.

    `source_urls` keys are a dataset (`epoch.large_scale`: that file) or a source (`epoch`: a
    base URL or folder where every dataset's file name is looked up). In replay mode, datasets
    that were never recorded (`SourceSpec.live_only`) are left out unless read from a file.
    """
    names = [n for n in (sources or []) if n.strip()]
    keys = (
        all_dataset_keys()
        if not names
        else list(dict.fromkeys(k for n in names for k in _expand(n)))
    )
    overrides = dict(source_urls or {})
    for key in overrides:
        if key not in SOURCES and key not in all_dataset_keys():
            raise UsageError(
                f"--source-url {key}=...: expected a source ({', '.join(SOURCES)}) "
                f"or one of {', '.join(all_dataset_keys())}"
            )
    requests = []
    for key in keys:
        source, dataset = key.split(".", 1)
        default = SOURCES[source].urls[dataset]
        if key in overrides:
            url = overrides[key]
        elif source in overrides:
            url = SOURCES[source].rebase(overrides[source], default)
        else:
            url = default
        if mode == "replay" and dataset in SOURCES[source].live_only and not is_local(url):
            continue
        explicit = key in overrides or source in overrides
        requests.append(DatasetRequest(source, dataset, url, explicit=explicit))
    return requests


def skip_reasons(requests: Iterable[DatasetRequest], mode: str) -> dict[str, str]:
    """Why each known dataset not in `requests` was not fetched."""
    chosen = {r.key for r in requests}
    reasons = {}
    for key in all_dataset_keys():
        if key in chosen:
            continue
        source, dataset = key.split(".", 1)
        live_only = mode == "replay" and dataset in SOURCES[source].live_only
        reasons[key] = "live only: nothing recorded to replay" if live_only else "not selected"
    return reasons


def parse_source_urls(pairs: Iterable[str]) -> dict[str, str]:
    """`KEY=URL` strings -> mapping; a pair without `=` is a usage error."""
    out = {}
    for pair in pairs:
        key, sep, url = pair.partition("=")
        if not sep or not key.strip() or not url.strip():
            raise UsageError(f"--source-url expects KEY=URL, got {pair!r}")
        out[key.strip()] = url.strip()
    return out
