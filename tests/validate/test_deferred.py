"""Modules GX imports but the gate never uses, loaded on first use (validate/deferred.py)."""

from __future__ import annotations

import subprocess
import sys

from ai_landscape.validate import deferred


def test_a_stand_in_loads_its_module_once_on_the_first_attribute_read(tmp_path, monkeypatch):
    (tmp_path / "deferred_probe.py").write_text(
        "import sys\nsys.modules.setdefault('deferred_probe_runs', []).append(1)\nVALUE = 42\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "deferred_probe", raising=False)
    monkeypatch.setitem(sys.modules, "deferred_probe_runs", [])
    assert deferred.stand_in("deferred_probe")
    import deferred_probe  # what GX's `import altair as alt` does

    assert isinstance(deferred_probe, deferred.DeferredModule)
    assert not deferred.is_loaded("deferred_probe")
    assert sys.modules["deferred_probe_runs"] == []
    assert deferred_probe.VALUE == 42
    assert deferred_probe.VALUE == 42
    assert sys.modules["deferred_probe_runs"] == [1]
    assert deferred.is_loaded("deferred_probe")
    assert not deferred.stand_in("deferred_probe")  # imported already: left alone
    monkeypatch.delitem(sys.modules, "deferred_probe")


def test_a_missing_module_gets_no_stand_in():
    assert not deferred.stand_in("no_such_module_for_ai_landscape")
    assert "no_such_module_for_ai_landscape" not in sys.modules


def test_gx_is_imported_without_altair_which_loads_when_a_chart_is_drawn():
    """In a fresh interpreter, as a run imports GX: a validation and its Data Docs page load
    no altair (~0.2 s CPU of the validate stage); GX's only user of it, the KL-divergence
    expectation, still validates (with scipy.stats, also deferred) and draws its chart."""
    script = """
import json, sys, tempfile
from pathlib import Path
import pandas as pd
from ai_landscape.validate import deferred
from ai_landscape.validate.docs import _suite_page
from ai_landscape.validate.gx_runner import validate_frame

report = validate_frame(pd.DataFrame({"x": [1]}), "records")
assert "<html" in _suite_page(report).lower()
print(report.evaluated, deferred.is_loaded("altair"), "altair.vegalite" in sys.modules)
kl = {"column": "x", "partition_object": {"values": ["a", "b"], "weights": [0.5, 0.5]},
      "threshold": 0.1}
suite = {"name": "kl", "meta": {}, "expectations": [
    {"type": "expect_column_kl_divergence_to_be_less_than", "kwargs": kl, "meta": {}}]}
folder = Path(tempfile.mkdtemp())
(folder / "kl.json").write_text(json.dumps(suite))
report = validate_frame(pd.DataFrame({"x": ["a", "b", "a", "b"]}), "kl", directory=folder)
page = _suite_page(report)
print(report.evaluated, report.success, "vega.github.io/schema/vega-lite/" in page,
      deferred.is_loaded("altair"))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split("\n")[:2] == ["2 False False", "1 True True True"]
