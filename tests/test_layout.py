"""The shape a newcomer can walk: small modules and a flow that only wires. (The import walls
are `lint-imports` contracts in `make lint`.)"""

from __future__ import annotations

import ast

from tests.conftest import PROJECT_ROOT

SRC = PROJECT_ROOT / "src" / "ai_landscape"
MAX_MODULE_LINES = 400
MAX_FLOW_LINES = 50


def test_no_module_is_over_400_lines():
    sizes = {
        path.relative_to(SRC).as_posix(): len(path.read_text("utf-8").splitlines())
        for path in SRC.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_the_flow_only_wires_the_stages():
    tree = ast.parse((SRC / "flow.py").read_text("utf-8"))
    flow = next(n for n in tree.body if getattr(n, "name", None) == "refresh_landscape")
    assert flow.end_lineno - flow.lineno + 1 < MAX_FLOW_LINES


def test_every_task_is_one_call_into_the_pipeline():
    tree = ast.parse((SRC / "tasks.py").read_text("utf-8"))
    assert not [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    tasks = [n.targets[0].id for n in tree.body if isinstance(n, ast.Assign)]
    assert tasks == [
        "ingest_source",
        "census_dataset",
        "build_tables",
        "validate_tables",
        "publish_snapshot",
        "draw_report",
    ]
