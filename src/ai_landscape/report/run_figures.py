"""The fidelity figures a run prints and keeps in its manifest: how many models more than one
catalogue lists (before and after joining one release's dated ids, aliases and nicknames),
and where the licences of open models come from."""

from __future__ import annotations

import pandas as pd

from ai_landscape.report.fidelity import licence_coverage, listed_labs_licences
from ai_landscape.report.licence_gap import listing_date


def run_figures(models: pd.DataFrame, multi_catalogue: dict, sources: dict | None = None) -> dict:
    """`sources`: the run's dataset entries (the Hub listing's date comes from its pages)."""
    coverage = licence_coverage(models)
    return {
        "multi_catalogue": dict(multi_catalogue),
        "open_models": int(coverage["open_models"].sum()),
        "licence_sources": dict(
            zip(coverage["licence_source"], coverage["open_models"].astype(int), strict=True)
        ),
        "listed_labs": listed_labs_licences(models, listing_date(sources or {})),
    }


def figure_lines(figures: dict) -> list[str]:
    """The figures as the run summary prints them."""
    lines = []
    multi = figures.get("multi_catalogue") or {}
    if multi:
        lines.append(
            f"models listed by more than one catalogue: {multi['before_release_joins']} "
            f"before joining one release's dated ids, aliases and nicknames, {multi['after']} after"
        )
    if "licence_sources" in figures:
        total = max(figures["open_models"], 1)
        parts = ", ".join(
            f"{source} {n} ({n / total:.1%})" for source, n in figures["licence_sources"].items()
        )
        lines.append(f"licences of {figures['open_models']} open models, by source: {parts}")
    labs = figures.get("listed_labs")
    if labs:
        n = max(labs["open_models"], 1)
        lines.append(
            f"open models of the seven listed labs in a catalogue: {labs['open_models']}; "
            f"name a weights repo {labs['name_a_repo']} ({labs['name_a_repo'] / n:.1%}), "
            f"licence from it {labs['licence_from_repo']} ({labs['licence_from_repo'] / n:.1%}), "
            f"any licence {labs['any_licence']} ({labs['any_licence'] / n:.1%})"
        )
        gap = labs.get("not_from_repo") or {}
        if gap:
            parts = "; ".join(f"{reason} {count}" for reason, count in gap.items())
            lines.append(f"why {sum(gap.values())} of them take no licence from a repo: {parts}")
    return lines
