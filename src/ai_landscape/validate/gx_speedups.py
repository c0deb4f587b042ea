"""GX made cheaper where it costs and we gain nothing: its import, and four methods of its
`Expectation` without their repeated configuration builds.

`import_gx()`: GX's package import loads every built-in expectation, and one of them
(`expect_column_kl_divergence_to_be_less_than`, which no suite here uses) imports `scipy.stats`
at module level: ~490 scipy modules, 1.1 s of the 4.5 s CPU the import takes. `scipy.stats` is
registered as a lazy module first (`importlib.util.LazyLoader`), so it loads on first use
instead, if ever. The same expectation's renderer imports `altair` (~0.2 s CPU in a run):
a stand-in module (`validate/deferred.py`) defers it the same way. A third of what remains is
pydantic v1 deep-copying each base class's fields for every model class GX creates;
`validate/field_copies.py` makes those copies cheaper while GX is imported.

`Expectation.configuration` is a property that builds a new `ExpectationConfiguration` from
the pydantic model each time it is read (`self.dict()`, a class-name conversion, a pydantic
re-parse). GX 1.24's `_get_domain_kwargs` and `_get_success_kwargs` read it once per domain or
success key, `_get_success_kwarg` twice per call and `_get_runtime_kwargs` once per runtime
key: 3,773 builds for one validation of the models suite (28 expectations), 19,174 in a
replay run's gate, a third of its validation time (issue #17). The replacements below build
it once per call and return the same values in the same order: nothing else changes, and
`tests/validate/test_gx_speedups.py` compares whole validation results with and without them.

`IDDict.to_id` names every metric configuration GX builds (two ids per `MetricConfiguration`,
16,000 ids in a replay gate) by passing its kwargs through `convert_to_json_serializable`, which
tries a dozen numpy and pandas type tests on each value before it reaches `None`, the commonest
value there: 96,690 `np.issubdtype` calls, a fifth of a warm replay gate's CPU (issue #17).
The replacement converts kwargs made only of str, int, float, bool, None, dict, list, tuple
and set itself, with GX's rules for those (NaN becomes None, keys become str, sequences become
lists), and leaves anything else (dates, numpy values, GX objects) to GX: the same id.

`get_metric_kwargs` (GX's registry, as `expectation.py` calls it) rebuilds the expectation from
the configuration it is handed (`to_domain_obj`, a pydantic parse) and asks it for its runtime
kwargs, once per metric an expectation depends on: 1,652 rebuilds for the 236 expectations of
a replay gate, a seventh of its CPU (issue #17). Those runtime kwargs depend only on the
expectation's type, its kwargs and the runtime configuration, so the replacement computes them
once per distinct triple of plain values (the cache key keeps types apart: 1, 1.0 and True
differ) and hands each caller its own copy; a configuration holding anything else (a GX
object, a numpy value) goes through GX's own function.

They replace GX's methods only on the version they were written against
(`great_expectations==1.24.*`, pinned in requirements.lock); on any other version GX's own
methods stay, which only loses the speed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import math
import sys
from types import ModuleType
from typing import Any

from ai_landscape.validate import deferred, field_copies

GX_VERSIONS = ("1.24.",)
_ORIGINALS: dict[str, Any] = {}


def import_gx() -> ModuleType:
    """`great_expectations`, imported (the first time) with `scipy.stats` and `altair`
    deferred to their first use (`validate/deferred.py` says why altair needs a stand-in) and
    pydantic's field copies made cheaper (`validate/field_copies.py`)."""
    if "great_expectations" not in sys.modules:
        if "scipy.stats" not in sys.modules:
            _defer("scipy", "stats")
        deferred.stand_in("altair")
        with field_copies.fast_field_copies():
            importlib.import_module("great_expectations")
    return sys.modules["great_expectations"]


def _defer(package: str, name: str) -> None:
    """`package.name` as a module that loads on its first attribute access. It is set as the
    package's attribute too: `from scipy import stats` then finds it there, where going through
    the import system would read its `__spec__` and load it at once."""
    try:
        parent = importlib.import_module(package)
        spec = importlib.util.find_spec(f"{package}.{name}")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    setattr(parent, name, module)


def install() -> bool:
    """Replace the four methods and `IDDict.to_id` (once); whether GX's version allowed it."""
    gx = import_gx()
    from great_expectations.expectations.expectation import Expectation

    if not gx.__version__.startswith(GX_VERSIONS):
        return False
    from great_expectations.core.id_dict import IDDict
    from great_expectations.expectations import expectation as expectation_module

    if not _ORIGINALS:
        for name, method in _REPLACEMENTS.items():
            _ORIGINALS[name] = getattr(Expectation, name)
            setattr(Expectation, name, method)
        _ORIGINALS["to_id"] = IDDict.to_id
        IDDict.to_id = _to_id
        _ORIGINALS["get_metric_kwargs"] = expectation_module.get_metric_kwargs
        expectation_module.get_metric_kwargs = _get_metric_kwargs
        global _DICTS
        _DICTS = (dict, IDDict)
    return True


def uninstall() -> None:
    """GX's own methods back (tests compare the two)."""
    from great_expectations.core.id_dict import IDDict
    from great_expectations.expectations import expectation as expectation_module
    from great_expectations.expectations.expectation import Expectation

    owners = {"to_id": IDDict, "get_metric_kwargs": expectation_module}
    for name, method in _ORIGINALS.items():
        setattr(owners.get(name, Expectation), name, method)
    _ORIGINALS.clear()
    _RUNTIME_KWARGS.clear()


class _NotPlain(Exception):
    """A value outside plain JSON types: GX's own conversion handles it."""


_PLAIN_SCALARS = (str, int, bool)
_SEQUENCES = (list, tuple, set)
_DICTS: tuple[type, ...] = (dict,)  # and GX's IDDict, once installed


def _plain(value: Any) -> Any:
    """`convert_to_json_serializable(value)` for plain values (exact types only: a str enum
    or a dict subclass with its own serialization goes to GX); `_NotPlain` otherwise."""
    kind = type(value)
    if value is None or kind in _PLAIN_SCALARS:
        return value
    if kind is float:
        return None if math.isnan(value) else value
    if kind in _DICTS:
        return {str(key): _plain(item) for key, item in value.items()}
    if kind in _SEQUENCES:
        return [_plain(item) for item in value]
    raise _NotPlain


def _to_id(self, id_keys=None, id_ignore_keys=None):
    """GX 1.24's `IDDict.to_id`, with `_plain` before GX's conversion."""
    if id_keys is None:
        id_keys = self.keys()
    if id_ignore_keys is None:
        id_ignore_keys = self._id_ignore_keys
    id_keys = set(id_keys) - set(id_ignore_keys)
    if len(id_keys) == 0:
        return ()
    if len(id_keys) == 1:
        key = next(iter(id_keys))
        return f"{key}={self[key]!s}"
    data = {k: self[k] for k in id_keys}
    try:
        converted = _plain(data)
    except _NotPlain:
        from great_expectations.core import id_dict

        converted = id_dict.convert_to_json_serializable(data=data)
    text = json.dumps(converted, sort_keys=True).encode("utf-8")
    return hashlib.md5(text, usedforsecurity=False).hexdigest()


def _get_success_kwarg(self, key: str, default: Any = None) -> Any:
    return _kwarg(self, self.configuration.kwargs, key, default)


def _kwarg(self, kwargs: dict, key: str, default: Any = None) -> Any:
    """GX's `_get_success_kwarg` on kwargs already built."""
    if key in kwargs:
        return kwargs[key]
    field = self.__fields__.get(key)
    if field is not None:
        return field.default if not field.required else default
    from great_expectations.expectations.expectation import logger

    logger.warning(
        f'_get_success_kwarg called with key "{key}", '
        f"but it is not a known field of {type(self).__name__}"
    )
    return default


def _get_runtime_kwargs(self, runtime_configuration: dict | None = None) -> dict:
    from great_expectations.expectations.expectation import parse_result_format

    runtime_configuration = runtime_configuration or {}
    kwargs = self.configuration.kwargs
    success_kwargs = _success_kwargs(self, kwargs)
    runtime_kwargs = {
        key: runtime_configuration.get(key, _kwarg(self, kwargs, key)) for key in self.runtime_keys
    }
    runtime_kwargs.update(success_kwargs)
    runtime_kwargs["result_format"] = parse_result_format(runtime_kwargs["result_format"])
    return runtime_kwargs


def _get_domain_kwargs(self) -> dict[str, Any]:
    kwargs = self.configuration.kwargs
    return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}


def _get_success_kwargs(self) -> dict[str, Any]:
    return _success_kwargs(self, self.configuration.kwargs)


def _success_kwargs(self, kwargs: dict) -> dict[str, Any]:
    out = {key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys}
    out.update({key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys})
    return out


_REPLACEMENTS = {
    "_get_success_kwarg": _get_success_kwarg,
    "_get_domain_kwargs": _get_domain_kwargs,
    "_get_success_kwargs": _get_success_kwargs,
    "_get_runtime_kwargs": _get_runtime_kwargs,
}


_RUNTIME_KWARGS: dict[tuple, dict] = {}  # (type, kwargs, runtime configuration) -> kwargs
_CACHE_LIMIT = 4_096  # distinct expectations x parameters of a process; cleared when full
_IMMUTABLE = (str, int, float, bool, dt.date, dt.datetime, type(None))


def _get_metric_kwargs(metric_name: str, configuration=None, runtime_configuration=None) -> dict:
    """GX 1.24's `get_metric_kwargs`, with the configuration's runtime kwargs from the cache."""
    from great_expectations.core.id_dict import IDDict
    from great_expectations.expectations import registry

    definition = registry._registered_metrics.get(metric_name)
    if definition is None or not configuration:
        return _ORIGINALS["get_metric_kwargs"](metric_name, configuration, runtime_configuration)
    domain_keys = definition["metric_domain_keys"]
    value_keys = definition["metric_value_keys"]
    defaults = definition["default_kwarg_values"]
    kwargs = _runtime_kwargs(configuration, runtime_configuration)
    if "batch_id" in domain_keys and kwargs.get("batch_id") is None:
        kwargs["batch_id"] = configuration.kwargs.get("batch_id")
    domain = {k: kwargs.get(k) or defaults.get(k) for k in domain_keys}
    values = {
        k: kwargs.get(k) if kwargs.get(k) is not None else defaults.get(k) for k in value_keys
    }
    return {
        "metric_domain_keys": domain_keys,
        "metric_value_keys": value_keys,
        "metric_domain_kwargs": IDDict(domain) if domain_keys else IDDict(),
        "metric_value_kwargs": IDDict(values) if value_keys else IDDict(),
    }


def _runtime_kwargs(configuration, runtime_configuration) -> dict:
    """`configuration.to_domain_obj()._get_runtime_kwargs(runtime_configuration)`, computed
    once per distinct plain (type, kwargs, runtime configuration); a fresh copy each call."""
    try:
        key = (
            configuration.type,
            _frozen(configuration.kwargs),
            _frozen(runtime_configuration or {}),
        )
    except _NotPlain:
        key = None
    made = _RUNTIME_KWARGS.get(key) if key is not None else None
    if made is None:
        made = configuration.to_domain_obj()._get_runtime_kwargs(
            runtime_configuration=runtime_configuration
        )
        try:
            _frozen(made)
        except _NotPlain:
            return made
        if key is not None:
            if len(_RUNTIME_KWARGS) >= _CACHE_LIMIT:
                _RUNTIME_KWARGS.clear()
            _RUNTIME_KWARGS[key] = made
    return _copied(made)


def _frozen(value: Any) -> Any:
    """A hashable key that tells apart every plain value (types included); `_NotPlain` for
    anything else."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return (kind, value)
    if kind is dict:
        return (dict, tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    if kind in _SEQUENCES:
        return (kind, tuple(_frozen(item) for item in value))
    raise _NotPlain


def _copied(value: Any) -> Any:
    """A copy of a plain value (`_frozen` accepted it): new containers, shared immutables."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind in _SEQUENCES:
        return kind(_copied(item) for item in value)
    return value
