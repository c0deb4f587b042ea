"""pydantic v1's field copies while GX is imported (validate/field_copies.py): the same copies
as `copy.deepcopy` makes, object for object, and none through its generic path."""

from __future__ import annotations

import copy
import copyreg
import re
import subprocess
import sys
from typing import Any

from pydantic.v1 import BaseModel
from pydantic.v1.class_validators import Validator
from pydantic.v1.fields import FieldInfo, ModelField

from ai_landscape.validate import field_copies, gx_speedups

_CONTAINERS = (dict, list, tuple, set, frozenset)


def _walk(value: Any, known: dict[int, int], out: list, keep: list) -> None:
    """`value`'s object graph as tokens: an object of `known` (the original's graph) by its
    number, a new object by its type and then its parts (a field's slots, a container's
    items; anything else by its repr), an object met again by its number."""
    if id(value) in known:
        out.append(("known", known[id(value)]))
        return
    known[id(value)] = len(known)
    keep.append(value)  # ids stay unique while the walk runs
    kind = type(value)
    out.append(("new", kind.__module__, kind.__qualname__))
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(key, known, out, keep)
            _walk(item, known, out, keep)
    elif isinstance(value, set | frozenset):
        out.append(("set", sorted(map(repr, value))))
    elif isinstance(value, _CONTAINERS):
        for item in value:
            _walk(item, known, out, keep)
    elif isinstance(value, ModelField | FieldInfo | Validator):
        for name in copyreg._slotnames(kind):
            if hasattr(value, name):
                out.append(("slot", name))
                _walk(getattr(value, name), known, out, keep)
        for name, item in sorted(getattr(value, "__dict__", {}).items()):
            out.append(("attribute", name))
            _walk(item, known, out, keep)
    else:  # a class, a function, a typing construct, a value: its repr, without addresses
        out.append(("repr", re.sub(r" at 0x[0-9a-f]+", "", repr(value))))


def _shape(copied: Any, original: Any) -> list:
    """The copy's graph, its objects shared with the original named by their place there."""
    known: dict[int, int] = {}
    keep: list = []
    _walk(original, known, [], keep)
    out: list = []
    _walk(copied, known, out, keep)
    return out


def _models() -> list[type]:
    gx_speedups.import_gx()
    found, stack = [], [BaseModel]
    while stack:
        for cls in stack.pop().__subclasses__():
            found.append(cls)
            stack.append(cls)
    return found


def test_both_classes_are_copied_by_deepcopys_generic_slot_path():
    assert field_copies.generic_copy_applies(ModelField)
    assert field_copies.generic_copy_applies(FieldInfo)


def test_every_gx_models_fields_copy_the_same_as_deepcopy_copies_them():
    models = [cls for cls in _models() if cls.__fields__]
    assert len(models) > 300  # GX's models, and any other pydantic v1 model imported
    for cls in models:
        plain = copy.deepcopy(cls.__fields__)
        with field_copies.fast_field_copies():
            assert ModelField in copy._deepcopy_dispatch
            fast = copy.deepcopy(cls.__fields__)
        assert ModelField not in copy._deepcopy_dispatch
        assert FieldInfo not in copy._deepcopy_dispatch
        assert _shape(fast, cls.__fields__) == _shape(plain, cls.__fields__), cls


def test_gx_is_imported_without_copying_fields_through_deepcopys_generic_path():
    """In a fresh interpreter: GX's ~530 model classes copied 3,838 `ModelField`s and 3,851
    `FieldInfo`s through `copy._reconstruct` (a third of GX's import); now none, and the
    dispatch table is as it was after the import."""
    script = """
import copy, sys
from pydantic.v1.fields import FieldInfo, ModelField
generic = copy._reconstruct
count = [0]
def counting(x, memo, *args, **kwargs):
    count[0] += isinstance(x, (ModelField, FieldInfo)) and memo is not None  # deep copies
    return generic(x, memo, *args, **kwargs)
copy._reconstruct = counting
from ai_landscape.validate.gx_speedups import import_gx
import_gx()
print(count[0], ModelField in copy._deepcopy_dispatch, FieldInfo in copy._deepcopy_dispatch)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split("\n")[0] == "0 False False"
