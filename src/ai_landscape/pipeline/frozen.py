"""A stage's garbage collection kept to the stage's own objects (`gc.freeze`).

Every object alive when a stage starts (modules, the previous stages' frames) outlives it, yet
each full collection inside the stage walks them all: importing Great Expectations in
`validate` triggered one over the whole run's data, and at a hundred copies of the replay a
stage's collections walk millions of objects the stage never made. Frozen for the stage, they
are not walked; the stage's own cycles are still collected, and the frozen objects rejoin the
oldest generation when it ends. Time in collections of a replay run (two interleaved pairs):
fetch_parse_normalize 0.89 / 0.81 -> 0.20 / 0.17 s, validate 0.41 / 0.34 -> 0.19 / 0.15 s
(docs/performance.md). `Run.stage` and `bench/scale.py` time each stage inside one.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def frozen_before() -> Iterator[None]:
    """What exists now is left out of the collector's walks until the block ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
