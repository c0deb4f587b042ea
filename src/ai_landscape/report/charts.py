"""Draw the report's charts as PNG files from the frames of `chartdata`.

Every figure carries its title, axis labels, the data attribution and the snapshot id in
the figure itself, so a PNG copied into a slide or an issue still says where it came from.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: reports are drawn in flows and CI

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ai_landscape.report.bars import segments
from ai_landscape.report.chartdata import (
    LARGE_SCALE_PANELS,
    OTHER_LICENCES,
    UNKNOWN_LICENCE,
)
from ai_landscape.report.groups import GROUP_LABELS, GROUP_RULE
from ai_landscape.report.png import write_png
from ai_landscape.schema import COUNTRY_GROUPS, WEIGHTS_ACCESS

DPI = 150
FIRST_SINGLE_YEAR = 2010  # earlier years are few models each: one bar holds them all
GROUP_COLORS = {
    "US": "#1f5fa8",
    "CN": "#c8102e",
    "US+CN": "#7b3f9e",
    "rest_of_world": "#2e8b57",
    "unknown": "#7f7f7f",
}
ACCESS_STYLE = {  # state -> (label, colour)
    "open_unrestricted": ("Open weights, unrestricted", "#1b7837"),
    "open_restricted": ("Open weights, restricted use", "#5aae61"),
    "open_noncommercial": ("Open weights, non-commercial", "#a6dba0"),
    "open_unspecified": ("Open weights, terms unknown", "#d9f0d3"),
    "api": ("API access", "#b2182b"),
    "hosted": ("Hosted access (no API)", "#ef8a62"),
    "unreleased": ("Unreleased", "#fddbc7"),
    "unknown": ("Unknown", "#bababa"),
}
LICENCE_COLORS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3")


@dataclass(frozen=True)
class Credits:
    """What every chart says about itself: data sources, snapshot and its newest release."""

    attribution: str
    snapshot_id: str
    latest_release: str | None


def _footer(fig: Figure, credits: Credits, notes: list[str]) -> float:
    """Notes, then the attribution line, wrapped to the figure's width, at its bottom.

    Returns the fraction of the figure's height they take, for the layout to keep free.
    """
    width = int(fig.get_figwidth() * 15)
    lines = [line for note in notes for line in textwrap.wrap(note, width)]
    lines.append(f"Data: {credits.attribution}. Snapshot {credits.snapshot_id}.")
    fig.text(0.01, 0.01, "\n".join(lines), fontsize=8, va="bottom", ha="left", color="#333333")
    return 0.02 + len(lines) * 8 * 1.3 / (fig.get_figheight() * 72)


def _year_labels(years: list[int], latest_release: str | None) -> list[str]:
    """A star on the last year when it is partial (newest release before 31 December)."""
    labels = [str(y) for y in years]
    if years and latest_release and latest_release < f"{years[-1]}-12-31":
        labels[-1] += "*"
    return labels


def _partial_note(years: list[int], latest_release: str | None) -> list[str]:
    if years and latest_release and latest_release < f"{years[-1]}-12-31":
        return [
            f"* {years[-1]} is partial: the newest release date in this snapshot is "
            f"{latest_release}."
        ]
    return []


def large_scale_chart(
    panels: dict[str, pd.DataFrame],
    credits: Credits,
    path: Path,
    derived: pd.DataFrame | None = None,
    headline: Sequence[str] = (),
) -> Path:
    """Chart 1: per year, one bar per country group, stacked open / closed / unknown; in the
    confirmed panel, the fine-tunes whose compute includes their base's (`derived`, same
    keys) are dotted, and `headline` notes go under the chart."""
    fig, axes = plt.subplots(len(panels), 1, figsize=(11, 4.2 * len(panels) + 1.6), dpi=DPI)
    axes = np.atleast_1d(axes)
    present = [
        g for g in COUNTRY_GROUPS if any((p["country_group"] == g).any() for p in panels.values())
    ]
    years = sorted({y for p in panels.values() for y in p["year"]})
    for ax, (key, counts) in zip(axes, panels.items(), strict=True):
        _grouped_stacked(ax, counts, years, present, derived if key == "confirmed" else None)
        subtitle = LARGE_SCALE_PANELS[key][1]
        ax.set_title(
            f"Large-scale models: {subtitle} ({counts['models'].sum()} models)",
            fontsize=11,
            loc="left",
        )
        ax.set_ylabel("Models released")
        ax.set_xticks(range(len(years)), _year_labels(years, credits.latest_release))
    axes[-1].set_xlabel("Release year")
    fig.suptitle(
        "Large-scale AI models (≥ 1e23 FLOP) per year: open vs closed weights, by country",
        fontsize=13,
        x=0.01,
        ha="left",
    )
    group_handles = [Patch(color=GROUP_COLORS[g], label=GROUP_LABELS[g]) for g in present]
    shade_handles = [
        Patch(facecolor="#555555", label="open weights (dark)"),
        Patch(facecolor="#555555", alpha=0.35, label="closed (light)"),
        Patch(facecolor="white", edgecolor="#555555", hatch="///", label="access unknown"),
    ]
    if derived is not None:
        shade_handles.append(
            Patch(
                facecolor="white", edgecolor="#555555", hatch="...", label="fine-tune (base incl.)"
            )
        )
    fig.legend(
        handles=group_handles + shade_handles,
        ncol=len(present) + 3,
        fontsize=9,
        loc="upper left",
        bbox_to_anchor=(0.005, 0.965),
        frameon=False,
    )
    empty = [GROUP_LABELS[g] for g in COUNTRY_GROUPS if g not in present]
    notes = [*headline, GROUP_RULE]
    if empty:
        notes.append(f"Empty groups, not drawn: {', '.join(empty)}.")
    notes += _partial_note(years, credits.latest_release)
    fig.tight_layout(rect=(0, _footer(fig, credits, notes), 1, 0.945))
    return save(fig, path)


def _no_models(ax) -> None:
    """An empty chart says so rather than showing blank axes."""
    ax.text(0.5, 0.5, "no models", transform=ax.transAxes, ha="center", va="center")


def _by_group(counts: pd.DataFrame) -> pd.DataFrame:
    return counts.pivot_table(
        index=["year", "country_group"],
        columns="openness",
        values="models",
        aggfunc="sum",
        fill_value=0,
    )


def _grouped_stacked(
    ax,
    counts: pd.DataFrame,
    years: list[int],
    groups: list[str],
    derived: pd.DataFrame | None = None,
) -> None:
    if counts.empty:
        _no_models(ax)
        return
    table = _by_group(counts)
    dotted = _by_group(derived) if derived is not None and len(derived) else None
    width = 0.8 / len(groups)
    for j, group in enumerate(groups):
        x = np.arange(len(years)) + (j - (len(groups) - 1) / 2) * width
        keys = [(y, group) for y in years]
        rows = table.reindex(keys, fill_value=0)
        # The derived counts of this group, looked up once for its three segments.
        part = dotted.reindex(keys, fill_value=0) if dotted is not None else None
        bottom = np.zeros(len(years))
        for openness, alpha, hatch in (
            ("open", 1.0, None),
            ("closed", 0.35, None),
            ("unknown", 1.0, "///"),
        ):
            values = rows.get(openness, pd.Series(0, index=rows.index)).to_numpy()
            if part is not None:  # the derived part of each segment, at its bottom
                shown = part.get(openness, pd.Series(0, index=part.index)).to_numpy()
                # Only the bars with fine-tunes: an empty dotted bar draws no pixel (no fill,
                # no edge) yet Agg renders its hatch tile all the same, ~1 ms a bar.
                drawn = shown > 0
                if drawn.any():
                    segments(
                        ax,
                        x[drawn],
                        shown[drawn],
                        width,
                        bottom[drawn],
                        facecolor="none",
                        hatch="...",
                        linewidth=0,
                        edgecolor="white" if hatch is None and alpha == 1.0 else "#333333",
                        zorder=3,
                    )
            face = "white" if hatch else GROUP_COLORS[group]
            segments(
                ax,
                x,
                values,
                width,
                bottom.copy(),
                facecolor=face,
                alpha=alpha,
                hatch=hatch,
                edgecolor=GROUP_COLORS[group],
                linewidth=0.6,
            )
            bottom += values
        for xi, total in zip(x, bottom, strict=True):
            if total:
                ax.text(xi, total, str(int(total)), ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, max(1, ax.get_ylim()[1]) * 1.1)  # room for the totals above the bars
    ax.spines[["top", "right"]].set_visible(False)


def stacked_by_year(
    counts: pd.DataFrame,
    column: str,
    styles: dict[str, tuple[str, str]],
    title: str,
    notes: list[str],
    credits: Credits,
    path: Path,
) -> Path:
    """Charts 2 and 3: one stacked bar per year (early years in one bar), counts and shares."""
    binned, bins = _bin_years(counts)
    table = binned.pivot_table(
        index="bin", columns=column, values="models", aggfunc="sum", fill_value=0
    )
    table = table.reindex(
        index=bins, columns=[c for c in styles if c in table.columns], fill_value=0
    )
    years = [int(b) for b in bins if b.isdigit()]
    early = bins[: len(bins) - len(years)]
    labels = early + _year_labels(years, credits.latest_release)
    fig, (top, share) = plt.subplots(
        2, 1, figsize=(13, 8.5), dpi=DPI, sharex=True, height_ratios=(3, 2)
    )
    shares = (table.div(table.sum(axis=1), axis=0) * 100).fillna(0)
    looks = {
        category: {
            "facecolor": styles[category][1],
            "hatch": "///" if category in ("unknown", UNKNOWN_LICENCE) else None,
            "edgecolor": "white",
            "linewidth": 0.3,
        }
        for category in table.columns
    }
    for ax, frame in ((top, table), (share, shares)):
        bottom = np.zeros(len(frame))
        for category in frame.columns:
            values = frame[category].to_numpy(dtype=float)
            segments(ax, range(len(frame)), values, 0.8, bottom.copy(), **looks[category])
            bottom += values
        ax.spines[["top", "right"]].set_visible(False)
    top.set_ylabel("Models released")
    share.set_ylabel("Share of the year's models (%)")
    share.set_ylim(0, 100)
    share.set_xlabel("Release year")
    share.set_xticks(range(len(labels)), labels, fontsize=8)
    top.set_title(title, fontsize=13, loc="left")
    if table.empty:
        _no_models(top)
    else:
        handles = [Patch(label=styles[c][0], **looks[c]) for c in table.columns]
        top.legend(
            handles=handles[::-1],
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=9,
            frameon=False,
        )
    if early:
        first = early[0].split("–")[0]
        notes = [
            *notes,
            f"The first bar holds every release from {first} to {FIRST_SINGLE_YEAR - 1}.",
        ]
    notes = notes + _partial_note(years, credits.latest_release)
    fig.tight_layout(rect=(0, _footer(fig, credits, notes), 1, 1))
    return save(fig, path)


def _bin_years(counts: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Years before FIRST_SINGLE_YEAR share one bar labelled with its span; later years get a
    bar each, empty ones included, so the axis has no silent gaps. Returns the bar labels."""
    early = counts["year"] < FIRST_SINGLE_YEAR
    labels = counts["year"].astype(str)
    bins: list[str] = []
    if early.any():
        span = f"{int(counts.loc[early, 'year'].min())}–\n{FIRST_SINGLE_YEAR - 1}"
        labels = labels.where(~early, span)
        bins.append(span)
    later = counts.loc[~early, "year"]
    if len(later):
        start = FIRST_SINGLE_YEAR if bins else int(later.min())
        bins += [str(y) for y in range(start, int(later.max()) + 1)]
    return counts.assign(bin=labels), bins


def access_styles() -> dict[str, tuple[str, str]]:
    return {state: ACCESS_STYLE[state] for state in WEIGHTS_ACCESS}


def licence_styles(licences: list[str]) -> dict[str, tuple[str, str]]:
    """Named licences by size first, then the grouped rest, then unknown (grey)."""
    named = [lic for lic in licences if lic not in (OTHER_LICENCES, UNKNOWN_LICENCE)]
    styles = {lic: (lic, LICENCE_COLORS[i % len(LICENCE_COLORS)]) for i, lic in enumerate(named)}
    styles[OTHER_LICENCES] = ("other licences", "#dddddd")
    styles[UNKNOWN_LICENCE] = ("licence unknown", "#bababa")
    return styles


def save(fig: Figure, path: Path) -> Path:
    """Draw `fig` at its own dpi and write it as PNG, as RGB when it is opaque (all of ours are).

    What `savefig` writes, minus the alpha channel every pixel of which is 255: the same
    pixels, the same dpi and Software note. Three bytes a pixel instead of four (issue #17),
    and rows left unfiltered (`report/png.py`): smaller files for less CPU than Pillow's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
    write_png(path, np.asarray(canvas.buffer_rgba()), fig.dpi, {"Software": software})
    plt.close(fig)
    return path
