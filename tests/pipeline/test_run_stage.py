"""`Run.stage`: what exists before a stage is frozen out of the garbage collector's walks."""

from __future__ import annotations

import gc
import weakref

import pytest

from ai_landscape.pipeline.run import Run


class Node:
    """An object that can sit in a reference cycle and be watched by a weak reference."""

    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> tuple[Node, weakref.ref]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return a, weakref.ref(a)


def test_a_stage_freezes_what_came_before_and_collects_its_own_cycles(tmp_path):
    run = Run("replay", ["epoch.frontier"], None, str(tmp_path / "warehouse"))
    assert gc.get_freeze_count() == 0
    old, old_alive = cycle()
    with run.stage("resolve"):
        assert gc.get_freeze_count() > 0
        new, new_alive = cycle()
        del old, new
        gc.collect()
        # The stage's own garbage goes; what came before waits for the stage to end.
        assert new_alive() is None
        assert old_alive() is not None
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert old_alive() is None
    assert set(run.summary.seconds) == {"resolve"}


def test_a_failing_stage_unfreezes_too(tmp_path):
    run = Run("replay", ["epoch.frontier"], None, str(tmp_path / "warehouse"))
    with pytest.raises(RuntimeError, match="the stage failed"), run.stage("validate"):
        raise RuntimeError("the stage failed")
    assert gc.get_freeze_count() == 0
    assert run.summary.seconds == {}
