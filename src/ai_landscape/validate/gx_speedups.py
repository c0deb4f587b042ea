"""Four methods of GX's `Expectation` without their repeated configuration builds.

`Expectation.configuration` is a property that builds a new `ExpectationConfiguration` from
the pydantic model each time it is read (`self.dict()`, a class-name conversion, a pydantic
re-parse). GX 1.24's `_get_domain_kwargs` and `_get_success_kwargs` read it once per domain or
success key, `_get_success_kwarg` twice per call and `_get_runtime_kwargs` once per runtime
key: 3,773 builds for one validation of the models suite (28 expectations), 19,174 in a
replay run's gate, a third of its validation time (issue #17). The replacements below build
it once per call and return the same values in the same order: nothing else changes, and
`tests/validate/test_gx_speedups.py` compares whole validation results with and without them.

They replace GX's methods only on the version they were written against
(`great_expectations==1.24.*`, pinned in requirements.lock); on any other version GX's own
methods stay, which only loses the speed.
"""

from __future__ import annotations

from typing import Any

GX_VERSIONS = ("1.24.",)
_ORIGINALS: dict[str, Any] = {}


def install() -> bool:
    """Replace the four methods (once); whether GX's version allowed it."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation

    if not gx.__version__.startswith(GX_VERSIONS):
        return False
    if not _ORIGINALS:
        for name, method in _REPLACEMENTS.items():
            _ORIGINALS[name] = getattr(Expectation, name)
            setattr(Expectation, name, method)
    return True


def uninstall() -> None:
    """GX's own methods back (tests compare the two)."""
    from great_expectations.expectations.expectation import Expectation

    for name, method in _ORIGINALS.items():
        setattr(Expectation, name, method)
    _ORIGINALS.clear()


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
