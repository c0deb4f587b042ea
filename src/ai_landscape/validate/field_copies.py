"""pydantic v1's field copies made cheaper while GX is imported (issue #17).

Each pydantic v1 model class deep-copies its base class's fields when it is created
(`ModelMetaclass.__new__`: `fields.update(smart_deepcopy(base.__fields__))`). GX defines ~530
such classes on import, so `copy.deepcopy` copies 3,838 `ModelField`s and 3,851 `FieldInfo`s
(sub-fields included): 0.45-0.6 s CPU, about a third of GX's import in a replay run.

Both classes have `__slots__` and no copy hooks of their own, so `copy.deepcopy` copies them
the generic way: `__reduce_ex__(4)` gives `(copyreg.__newobj__, (cls,), (None, slots))`, and
`copy._reconstruct` makes `cls.__new__(cls)`, records it in the memo, deep-copies the state
tuple and dict and sets each slot. `slot_copier` does the same steps without building and
copying the state tuple and dict: the same new object, the same slot values deep-copied in
the same order with the same memo (`tests/validate/test_field_copies.py` compares every field
of every GX model both ways). It is registered in `copy`'s dispatch table only for the
duration of GX's import, and only for a class whose copying it is known to match.
"""

from __future__ import annotations

import contextlib
import copy
import copyreg
from collections.abc import Callable, Iterator
from typing import Any


def generic_copy_applies(cls: type) -> bool:
    """Whether `copy.deepcopy` copies `cls` by its generic slot path: slots, no `__dict__`,
    and none of the hooks (`__deepcopy__`, `__reduce_ex__`, `__reduce__`, `__getstate__`,
    `__setstate__`, attribute access) that would change what it does."""
    return (
        cls.__dictoffset__ == 0
        and copyreg.dispatch_table.get(cls) is None
        and not hasattr(cls, "__deepcopy__")
        and not hasattr(cls, "__setstate__")
        and not hasattr(cls, "__getattr__")
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and cls.__getstate__ is object.__getstate__
        and cls.__getattribute__ is object.__getattribute__
    )


def slot_copier(cls: type) -> Callable[[Any, dict], Any]:
    """`copy.deepcopy` of a `cls` instance (`generic_copy_applies(cls)`), step by step."""
    names = tuple(copyreg._slotnames(cls))
    deepcopy = copy.deepcopy
    atomic = _atomic_types()

    def copied(value: Any, memo: dict) -> Any:
        made = cls.__new__(cls)
        memo[id(value)] = made
        for name in names:
            try:
                item = getattr(value, name)
            except AttributeError:  # an unset slot is left out of the state, and unset
                continue
            setattr(made, name, item if type(item) in atomic else deepcopy(item, memo))
        return made

    return copied


def _atomic_types() -> frozenset[type]:
    """The types `copy.deepcopy` returns as they are, found by exact type as it finds them
    (None, bool, int, str, classes' own types, functions...): a slot holding one is set
    without the call (most of a field's 25 slots hold None, a bool or a str)."""
    return frozenset(
        kind for kind, copier in copy._deepcopy_dispatch.items() if copier is copy._deepcopy_atomic
    )


@contextlib.contextmanager
def fast_field_copies() -> Iterator[None]:
    """`copy.deepcopy` of pydantic v1's `ModelField` and `FieldInfo` through `slot_copier`
    within the block (nothing changes if pydantic v1 is absent or its classes have hooks)."""
    try:
        from pydantic.v1.fields import FieldInfo, ModelField
    except ImportError:
        yield
        return
    added = [
        cls
        for cls in (ModelField, FieldInfo)
        if cls not in copy._deepcopy_dispatch and generic_copy_applies(cls)
    ]
    for cls in added:
        copy._deepcopy_dispatch[cls] = slot_copier(cls)
    try:
        yield
    finally:
        for cls in added:
            copy._deepcopy_dispatch.pop(cls, None)
