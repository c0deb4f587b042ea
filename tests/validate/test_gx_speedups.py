"""GX's kwargs lookups without one configuration build per key (validate/gx_speedups.py):
fewer builds, and the same validation outcome to the last value."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from great_expectations.expectations.expectation import Expectation

from ai_landscape.validate import gx_speedups
from ai_landscape.validate.gx_runner import validate_frame
from tests.validate_frames import models_frame


@pytest.fixture
def builds(monkeypatch):
    """How many times `Expectation.configuration` is built."""
    count = [0]
    built = Expectation.configuration

    def counting(self):
        count[0] += 1
        return built.fget(self)

    monkeypatch.setattr(Expectation, "configuration", property(counting))
    return count


def _outcome(report) -> tuple:
    """Everything a validation says, GX's per-expectation results included (the merged GX
    result also carries the run's time and id, which differ between any two runs)."""
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(report)}
    fields.pop("gx_result")
    results = [r.to_json_dict() for r in report.gx_result.results]
    return fields, results


def test_a_models_validation_builds_each_configuration_a_few_times_not_dozens(builds):
    frame = models_frame(model_ids=())  # the 1,355 real Epoch models
    validate_frame(frame.head(2), "models")  # GX imported, the speed-ups installed
    builds[0] = 0
    report = validate_frame(frame, "models")
    assert report.evaluated == 28
    # GX 1.24 as shipped: 3,773 builds for these 28 expectations (135 each); with the
    # speed-ups 800.
    assert builds[0] <= 1_000, builds[0]


def test_the_speedups_change_no_outcome():
    frame = models_frame(model_ids=())
    frame.loc[3, "model_id"] = None  # one row-level failure among the real rows
    assert gx_speedups.install()
    faster = validate_frame(frame, "models")
    gx_speedups.uninstall()
    try:
        plain = validate_frame(frame, "models")
    finally:
        assert gx_speedups.install()
    assert any(f.rows for f in faster.failed)
    assert _outcome(faster) == _outcome(plain)


def test_gx_is_imported_without_scipy_stats_which_loads_on_first_use():
    """In a fresh interpreter, as a run imports GX: a validation and a Data Docs page load no
    `scipy.stats` (1.1 s of GX's 4.5 s import); a caller that uses it still gets all of it."""
    script = """
import sys
import pandas as pd
from ai_landscape.validate.docs import _suite_page
from ai_landscape.validate.gx_runner import validate_frame

report = validate_frame(pd.DataFrame({"x": [1]}), "records")
assert "<html" in _suite_page(report).lower()
print(report.evaluated, "scipy.stats._stats_py" in sys.modules)
from scipy import stats
print(round(float(stats.entropy([0.5, 0.5], base=2)), 3), "scipy.stats._stats_py" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split("\n")[:2] == ["2 False", "1.0 True"]


@pytest.fixture
def gx_conversions(monkeypatch):
    """Metric ids GX's own `convert_to_json_serializable` converted, and every id checked
    against GX's `IDDict.to_id` as it was before the speed-ups."""
    from great_expectations.core import id_dict

    assert gx_speedups.install()
    converted, checked = [0], [0]
    convert = id_dict.convert_to_json_serializable

    def counting(*args, **kwargs):
        converted[0] += 1
        return convert(*args, **kwargs)

    fast = id_dict.IDDict.to_id
    original = gx_speedups._ORIGINALS.get("to_id", fast)

    def compared(self, *args, **kwargs):
        made = fast(self, *args, **kwargs)
        monkeypatch.setattr(id_dict, "convert_to_json_serializable", convert)
        assert made == original(self, *args, **kwargs), dict(self)
        monkeypatch.setattr(id_dict, "convert_to_json_serializable", counting)
        checked[0] += 1
        return made

    monkeypatch.setattr(id_dict, "convert_to_json_serializable", counting)
    monkeypatch.setattr(id_dict.IDDict, "to_id", compared)
    return converted, checked


def test_metric_ids_of_plain_kwargs_skip_gxs_conversion_and_stay_the_same(gx_conversions):
    converted, checked = gx_conversions
    frame = models_frame(model_ids=())  # the 1,355 real Epoch models
    frame.loc[3, "model_id"] = None
    report = validate_frame(frame, "models")
    assert report.evaluated == 28
    # GX 1.24 as shipped converts every id of two or more keys: 1,702 for this validation.
    # Only kwargs holding something else than plain JSON values (the date bounds of
    # `release_date_in_range`) still go through GX's conversion: 12 of them.
    assert checked[0] > 1_000
    assert converted[0] <= 20, converted[0]


@pytest.fixture
def metric_kwargs(monkeypatch):
    """Every `get_metric_kwargs` answer checked against GX's own; how many expectations GX
    rebuilt from a configuration on the way."""
    from great_expectations.expectations import expectation as expectation_module
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    assert gx_speedups.install()
    fast = expectation_module.get_metric_kwargs
    original = gx_speedups._ORIGINALS["get_metric_kwargs"]
    rebuilt, checked = [0], [0]
    rebuild = ExpectationConfiguration.to_domain_obj

    def counting(self):
        rebuilt[0] += 1
        return rebuild(self)

    def compared(metric_name, configuration=None, runtime_configuration=None):
        made = fast(metric_name, configuration, runtime_configuration)
        monkeypatch.setattr(ExpectationConfiguration, "to_domain_obj", rebuild)
        gxs = original(metric_name, configuration, runtime_configuration)
        monkeypatch.setattr(ExpectationConfiguration, "to_domain_obj", counting)
        assert made == gxs, metric_name
        for kind in ("metric_domain_kwargs", "metric_value_kwargs"):
            assert made[kind].to_id() == gxs[kind].to_id(), (metric_name, kind)
        checked[0] += 1
        return made

    monkeypatch.setattr(ExpectationConfiguration, "to_domain_obj", counting)
    monkeypatch.setattr(expectation_module, "get_metric_kwargs", compared)
    return rebuilt, checked


def test_metric_kwargs_come_from_one_rebuild_per_expectation_and_equal_gxs(metric_kwargs):
    rebuilt, checked = metric_kwargs
    frame = models_frame(model_ids=())  # the 1,355 real Epoch models
    frame.loc[3, "model_id"] = None
    report = validate_frame(frame, "models")
    assert report.evaluated == 28
    assert any(f.rows for f in report.failed)
    # GX 1.24 as shipped rebuilds an expectation from its configuration once per metric
    # kwargs lookup (336 here) besides the 84 rebuilds it makes anyway: 420. With the
    # speed-up each distinct (expectation, runtime configuration) is rebuilt once more: 112
    # with a cold cache.
    assert checked[0] == 336, checked[0]
    assert rebuilt[0] <= 112, rebuilt[0]
