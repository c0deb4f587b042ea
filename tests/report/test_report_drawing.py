"""How the report draws (issue #17): stacked bars as one collection per series holding every
bar of the data, PNGs written as RGB, and no figure drawn that the page does not show."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from PIL import Image

from ai_landscape.pipeline.worker import RunWorker
from ai_landscape.publish.warehouse import open_warehouse
from ai_landscape.report import chartdata, charts, fidelity
from ai_landscape.report.build import REPORTS, build_report
from tests.real_frames import replay_tables

CREDITS = charts.Credits("Epoch AI, CC BY 4.0", "20260502T000000Z-000000", "2026-04-23")


@pytest.fixture
def drawn(monkeypatch):
    """The figures the charts close after saving, kept open to be inspected."""
    figures = []
    close = plt.close
    monkeypatch.setattr(charts.plt, "close", figures.append)
    yield figures
    for figure in figures:
        close(figure)


def _heights(collection: PolyCollection) -> np.ndarray:
    return np.array([np.ptp(path.vertices[:, 1]) for path in collection.get_paths()])


def test_chart_1_draws_every_bar_of_its_panels_as_one_collection_per_series(drawn, tmp_path):
    models = replay_tables()["models"]
    panels = {
        key: chartdata.large_scale_by_year(models, key) for key in chartdata.LARGE_SCALE_PANELS
    }
    derived = fidelity.derived_by_year(models)
    charts.large_scale_chart(panels, CREDITS, tmp_path / "large_scale.png", derived)
    (figure,) = drawn
    axes = figure.axes
    assert [len(ax.patches) for ax in axes] == [0, 0]  # no Rectangle per bar
    years = sorted({y for p in panels.values() for y in p["year"]})
    groups = 3  # US, China, rest of world: the replay's Epoch rows have no US+CN, no unknown
    for ax, (key, counts), dotted in zip(axes, panels.items(), (True, False), strict=True):
        bars = [c for c in ax.collections if isinstance(c, PolyCollection)]
        stacked = [c for c in bars if c.get_hatch() != "..."]
        # open, closed, unknown per group, every year's bar in each (empty ones too: an empty
        # segment still draws its edge, as `bar` does)
        assert len(stacked) == groups * 3, key
        assert {len(c.get_paths()) for c in stacked} == {len(years)}, key
        assert sum(_heights(c).sum() for c in stacked) == counts["models"].sum(), key
        fine_tunes = [c for c in bars if c.get_hatch() == "..."]
        if dotted:
            # The fine-tunes' part of a segment: only where there are fine-tunes (an empty
            # dotted bar draws nothing), one collection per (group, openness) that has any.
            assert len(fine_tunes) == len(derived[["country_group", "openness"]].drop_duplicates())
            assert sum(len(c.get_paths()) for c in fine_tunes) == len(derived)
            assert all((_heights(c) > 0).all() for c in fine_tunes)
            assert sum(_heights(c).sum() for c in fine_tunes) == derived["models"].sum()
        else:
            assert fine_tunes == []
        # The total above each stack is its top (each group's last segment: unknown access).
        tops = [int(path.vertices[:, 1].max()) for c in stacked[2::3] for path in c.get_paths()]
        shown = sorted(int(t.get_text()) for t in ax.texts)
        assert shown == sorted(t for t in tops if t), key
        totals = counts.groupby(["year", "country_group"])["models"].sum()
        assert shown == sorted(totals[totals > 0].tolist()), key


def test_the_licence_chart_keeps_its_bars_values_and_legend(drawn, tmp_path):
    models = replay_tables()["models"]
    licences = chartdata.licences_by_year(models)
    ranked = licences.groupby("licence")["models"].sum().sort_values(ascending=False, kind="stable")
    styles = charts.licence_styles(list(ranked.index))
    charts.stacked_by_year(licences, "licence", styles, "t", [], CREDITS, tmp_path / "l.png")
    (figure,) = drawn
    top, share = figure.axes
    assert len(top.patches) == len(share.patches) == 0
    assert len(top.collections) == len(share.collections) == 8  # one per licence class
    assert sum(_heights(c).sum() for c in top.collections) == 498  # every dated open model
    per_bar = np.sum([_heights(c) for c in share.collections], axis=0)
    assert np.allclose(per_bar[per_bar > 0], 100)
    legend = top.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "licence unknown",
        "other licences",
        "modified-mit",
        "llama2",
        "nvidia-open-model",
        "cc-by-nc",
        "MIT",
        "Apache-2.0",
    ]
    assert [h.get_hatch() for h in legend.legend_handles] == ["///", *[None] * 7]


def test_the_replay_report_draws_only_the_pages_images_as_rgb_pngs(full_replay, tmp_path):
    report = build_report(full_replay.root, "latest", tmp_path / "out")
    drawn_files = sorted(p.name for p in report.folder.glob("*.png"))
    # hub_licences.png was drawn and not shown: its numbers are the page's table and its CSV.
    assert drawn_files == [
        "hub_derivatives.png",
        "large_scale.png",
        "licences.png",
        "weights_access.png",
    ]
    page = report.page.read_text("utf-8")
    assert "hub_licences.png" not in page
    assert "The licence mix is the last table below (and hub_licence_mix.csv" in page
    inlined = [
        base64.b64decode(s.removeprefix("data:image/png;base64,"))
        for s in re.findall(r'src="(data:image/png;base64,[^"]*)"', page)
    ]
    assert inlined == [
        (report.folder / name).read_bytes()
        for name in (
            "large_scale.png",
            "weights_access.png",
            "licences.png",
            "hub_derivatives.png",
        )
    ]
    for name in drawn_files:
        with Image.open(report.folder / name) as image:
            assert image.mode == "RGB", name  # opaque charts: no alpha channel to encode
            dpi = 110 if name == "hub_derivatives.png" else 150
            assert tuple(round(d) for d in image.info["dpi"]) == (dpi, dpi), name


def test_the_charts_a_run_draws_in_its_worker_are_the_bytes_drawn_here(full_replay, tmp_path):
    # The replay run drew the large-scale and weights-access charts in its worker process
    # (pipeline/worker.py); `landscape report` draws everything in its own process.
    latest = full_replay.latest_id()
    in_the_run = open_warehouse(full_replay.root).work / REPORTS / latest
    here = build_report(full_replay.root, latest, tmp_path / "here")
    for name in ("weights_access.png", "licences.png", "large_scale.png"):
        assert (in_the_run / name).read_bytes() == (here.folder / name).read_bytes(), name


def test_a_report_given_a_worker_hands_it_two_charts(full_replay, tmp_path):
    handed = []
    with RunWorker() as worker:

        def submit(fn, *args):
            handed.append((fn.__name__, next(a.name for a in args if isinstance(a, Path))))
            return worker.submit(fn, *args)

        report = build_report(full_replay.root, "latest", tmp_path / "out", submit=submit)
    # About half the report's drawing (0.7 s of CPU), the other half drawn here meanwhile.
    assert handed == [
        ("large_scale_chart", "large_scale.png"),
        ("stacked_by_year", "weights_access.png"),
    ]
    for name in ("large_scale.png", "weights_access.png"):  # drawn by the worker, on disk
        assert (report.folder / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name
