"""A top-level module that GX imports but never uses here, loaded on its first use instead.

GX's import loads `altair` (and with it `narwhals` and altair's generated Vega-Lite schema
classes: ~0.2 s CPU of a replay run's validate stage, issue #17) for one built-in expectation,
`expect_column_kl_divergence_to_be_less_than`, whose renderer draws a chart; no suite here runs
it. `importlib.util.LazyLoader` cannot defer a top-level module: `import altair` reads the
module's `__spec__` to see whether it is still initializing, and that first attribute read
loads it. The stand-in below answers `__spec__` itself (a module spec that is not
initializing) and loads the real module on the first other attribute read, then takes on its
contents, so `alt.Chart` in GX's renderer works as before, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


class DeferredModule(ModuleType):
    """Stands in `sys.modules[name]` for a module that is not loaded yet."""

    def __getattr__(self, attribute: str):  # only for attributes the stand-in lacks
        return getattr(load(self), attribute)


def stand_in(name: str) -> bool:
    """Register a stand-in for the top-level module `name` unless it is imported already or
    not installed; whether one was registered."""
    if name in sys.modules or "." in name:
        return False
    spec = importlib.util.find_spec(name)
    if spec is None:
        return False
    module = DeferredModule(name)
    module.__spec__ = spec
    sys.modules[name] = module
    return True


def load(module: DeferredModule) -> ModuleType:
    """The real module behind a stand-in, imported the first time (once, under a lock); the
    stand-in then holds the real module's attributes, so those who imported it see them."""
    with _LOCK:
        real = sys.modules.get(module.__name__)
        if real is module or real is None:
            del sys.modules[module.__name__]
            try:
                real = importlib.import_module(module.__name__)
            except BaseException:
                sys.modules[module.__name__] = module
                raise
            module.__dict__.update(real.__dict__)
        return real


def is_loaded(name: str) -> bool:
    """Whether `name` is imported for real (not a stand-in still waiting for its first use)."""
    return name in sys.modules and not isinstance(sys.modules[name], DeferredModule)
