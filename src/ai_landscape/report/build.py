"""`landscape report`: charts, their numbers as CSV, and one HTML page for a snapshot."""

from __future__ import annotations

import os
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ai_landscape.fsutil import write_atomic
from ai_landscape.publish.history import snapshot_changes
from ai_landscape.publish.warehouse import open_warehouse
from ai_landscape.report import chartdata, charts, fidelity, joins
from ai_landscape.report.coverage import access_unknown_note, attribution, coverage
from ai_landscape.report.csvsafe import neutralize
from ai_landscape.report.explorer import explorer_section
from ai_landscape.report.groups import GROUP_LABELS, GROUP_RULE
from ai_landscape.report.page import Section, render_page
from ai_landscape.resolve.events import count_by_type
from ai_landscape.schema import COUNTRY_GROUPS, OPENNESS, WEIGHTS_ACCESS
from ai_landscape.submit import Submit, here

REPORTS = "_reports"
ORDERS = {"country_group": COUNTRY_GROUPS, "openness": OPENNESS, "weights_access": WEIGHTS_ACCESS}
CHANGES_SHOWN = 200  # the page lists this many changes; changes.csv has them all


@dataclass(frozen=True)
class Report:
    snapshot_id: str
    folder: Path
    page: Path
    images: dict[str, Path]
    tables: dict[str, Path]


def has_report(warehouse: str | os.PathLike, snapshot_id: str) -> bool:
    """Whether the snapshot's default report was drawn to the end."""
    return (open_warehouse(warehouse).work / REPORTS / snapshot_id / "index.html").is_file()


def build_report(
    warehouse: str | os.PathLike | None,
    snapshot: str = "latest",
    out: str | os.PathLike | None = None,
    submit: Submit | None = None,
) -> Report:
    """Draw the charts of one snapshot into `out` (default `<warehouse>/_reports/<id>/`).

    `submit(fn, *args)` (a run's worker process, pipeline/worker.py) draws the large-scale
    chart and the weights-access chart while this process draws the licence chart and the
    rest of the page (about 0.8 s of CPU each): drawing is Python that holds the GIL, so a
    thread would not overlap it. The PNGs are the same bytes either way (a test compares
    them)."""
    opened = open_warehouse(warehouse)
    store = opened.store
    snapshot_id = store.resolve(snapshot)
    manifest = store.manifest(snapshot_id)
    models = store.read_table("models", snapshot_id)
    # Next to the data on disk; for an object-store warehouse, in its local work folder.
    folder = Path(out) if out is not None else opened.work / REPORTS / snapshot_id
    folder.mkdir(parents=True, exist_ok=True)
    credits = charts.Credits(attribution(manifest), snapshot_id, chartdata.latest_release(models))

    frames = {
        f"large_scale_{key}": chartdata.large_scale_by_year(models, key)
        for key in chartdata.LARGE_SCALE_PANELS
    }
    frames["weights_access"] = chartdata.access_by_year(models)
    frames["licences"] = chartdata.licences_by_year(models)
    frames["large_scale_derived"] = fidelity.derived_by_year(models)
    # The charts first: those sent to `submit` are drawn while this process does the rest.
    images, drawing = _draw(frames, models, credits, folder, submit or here)
    frames["licence_sources"] = fidelity.licence_coverage(models)
    held = manifest.get("validation", {}).get("quarantine", {}).get("source_records")
    frames["coverage"] = coverage(
        manifest,
        models,
        store.read_table("source_records", snapshot_id),
        pd.read_parquet(opened.work / held) if held else None,
    )
    frames["sources_per_model"] = joins.sources_per_model(models)
    if "conflicts" in manifest["tables"]:
        frames["conflicts_by_field"] = joins.conflicts_by_field(
            store.read_table("conflicts", snapshot_id)
        )
    changes = snapshot_changes(store, snapshot_id)
    if changes is not None:
        frames["changes"] = changes
    tables = {name: folder / f"{name}.csv" for name in frames}
    for name, frame in frames.items():
        neutralize(frame).to_csv(tables[name], index=False)  # no spreadsheet formulas

    sections = _sections(frames, images, models, manifest)
    sections.insert(1, explorer_section(store, snapshot_id, models))
    if "hub_repos" in manifest["tables"]:  # the Hub census (report/census.py)
        from ai_landscape.report.census import census_section

        section, hub_frames = census_section(store, snapshot_id, manifest, folder)
        sections.append(section)
        for name, frame in hub_frames.items():
            tables[name] = folder / f"{name}.csv"
            frame.to_csv(tables[name], index=False)
    for drawn in drawing:
        drawn.result()  # a chart that failed in the worker fails the report here
    page = folder / "index.html"
    meta = _meta(manifest, credits)
    # Written last and atomically: a report has a page only once all of it is drawn, so a run
    # can tell an interrupted report from a finished one (`has_report`).
    write_atomic(
        page, render_page(f"AI landscape: snapshot {snapshot_id}", meta, sections).encode()
    )
    return Report(snapshot_id, folder, page, images, tables)


def _draw(
    frames: dict, models: pd.DataFrame, credits: charts.Credits, folder: Path, submit: Submit
) -> tuple[dict[str, Path], list[Future]]:
    """(chart name -> its PNG, the drawings still under way): the large-scale and the
    weights-access charts go to `submit` first, so they are drawn while this process draws
    the licence chart and the page's other sections."""
    panels = {key: frames[f"large_scale_{key}"] for key in chartdata.LARGE_SCALE_PANELS}
    charted = fidelity.charted_models(models)
    own = {k: fidelity.chart_credits(m, credits.snapshot_id) for k, m in charted.items()}
    licences = frames["licences"]
    ranked = licences.groupby("licence")["models"].sum().sort_values(ascending=False, kind="stable")
    open_models = int(licences["models"].sum())
    unknown = int(licences.loc[licences["licence"] == chartdata.UNKNOWN_LICENCE, "models"].sum())
    licence_note = f"{unknown} of {open_models} open-weights models have no licence id yet."
    images = {
        name: folder / f"{name}.png" for name in ("large_scale", "weights_access", "licences")
    }
    drawing = [
        submit(
            charts.large_scale_chart,
            panels,
            own["large_scale"],
            images["large_scale"],
            frames["large_scale_derived"],
            fidelity.headline_notes(models),
        ),
        submit(
            charts.stacked_by_year,
            frames["weights_access"],
            "weights_access",
            charts.access_styles(),
            f"All tracked models per year by weights access ({len(models)} models)",
            [_undated_note(models), access_unknown_note(models)],
            own["weights_access"],
            images["weights_access"],
        ),
    ]
    charts.stacked_by_year(
        licences,
        "licence",
        charts.licence_styles(list(ranked.index)),
        f"Open-weights models per year by licence ({open_models} models)",
        [licence_note],
        own["licences"],
        images["licences"],
    )
    return images, drawing


def _undated_note(models: pd.DataFrame) -> str:
    undated = int(models["release_date"].isna().sum())
    return f"{undated} models without a release date are not shown."


def _wide(counts: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Year rows, one column per category: the chart's numbers laid out as a reader expects.

    Categories with a contract order keep it; others (licences) go by size.
    """
    table = counts.pivot_table(
        index="year", columns=columns, values="models", aggfunc="sum", fill_value=0
    )
    keys = [col if isinstance(col, tuple) else (col,) for col in table.columns]
    totals = table.sum().to_numpy()

    def rank(i: int) -> tuple:
        return tuple(
            (0, ORDERS[c].index(v), 0) if v in ORDERS.get(c, ()) else (1, -totals[i], str(v))
            for c, v in zip(columns, keys[i], strict=True)
        )

    ordered = sorted(range(len(keys)), key=rank)
    table = table.iloc[:, ordered]
    table.columns = [
        " · ".join(
            GROUP_LABELS[v] if c == "country_group" else str(v)
            for c, v in zip(columns, keys[i], strict=True)
        )
        for i in ordered
    ]
    return table.reset_index()


def _sections(frames: dict, images: dict, models: pd.DataFrame, manifest: dict) -> list[Section]:
    large = [
        (
            f"{key}: {chartdata.LARGE_SCALE_PANELS[key][1]}",
            _wide(frames[f"large_scale_{key}"], ["country_group", "openness"]),
        )
        for key in chartdata.LARGE_SCALE_PANELS
    ]
    changes = frames.get("changes")
    if changes is None:
        change_notes = [
            "No previous snapshot: this is the first one in the store, so there is "
            "nothing to compare with."
        ]
        change_tables = []
    else:
        change_notes = [
            f"Compared with the parent snapshot {manifest['parent_id']}: its models table "
            "against this one's."
        ]
        counts = pd.DataFrame(list(count_by_type(changes).items()), columns=["change", "models"])
        change_tables = [
            ("", counts),
            (f"First {CHANGES_SHOWN} changes (all in changes.csv)", changes.head(CHANGES_SHOWN)),
        ]
    return [
        Section(
            "1. Large-scale models per year: open vs closed, by country",
            [*fidelity.headline_notes(models), GROUP_RULE],
            images["large_scale"],
            [*large, ("What each class and column means", fidelity.classes_table())],
            chartdata.LARGE_SCALE_SQL,
        ),
        Section(
            "3. All tracked models per year by weights access",
            [_undated_note(models), access_unknown_note(models)],
            images["weights_access"],
            [("", _wide(frames["weights_access"], ["weights_access"]))],
        ),
        Section(
            "4. Licences of open-weights models per year",
            [
                "Licence ids are normalized from each source's licence text "
                "(data/reference/licenses.csv); an open-weights model whose sources name no "
                "licence, or only an unrecognised one, counts as unknown."
            ],
            images["licences"],
            [
                ("", _wide(frames["licences"], ["licence"])),
                ("Open models by the source of their licence", frames["licence_sources"]),
            ],
        ),
        Section("5. Changes since the previous snapshot", change_notes, None, change_tables),
        Section(
            "6. Data coverage",
            [
                "Age: days between the data's recorded-at (or retrieval) time and the "
                "snapshot. Quarantined: the dataset's records that validation set aside "
                "(see the manifest's validation section and Data Docs)."
            ],
            None,
            [("", frames["coverage"])],
        ),
        Section(
            "7. One model across sources",
            [
                joins.multi_source_note(models),
                "Sources disagree on these fields (every value is in the snapshot's "
                "`conflicts` table; `models` publishes the one precedence.py prefers).",
            ],
            None,
            [
                ("Models by the sources that list them", frames["sources_per_model"]),
                ("Disagreements by field", frames.get("conflicts_by_field", pd.DataFrame())),
            ],
        ),
    ]


def _meta(manifest: dict, credits: charts.Credits) -> dict[str, str]:
    validation = manifest.get("validation") or {}
    if "publishable" in validation:
        held = sum(r["quarantined"] for r in validation.get("rows", {}).values())
        verdict = (
            f"passed ({len(validation.get('warnings', []))} warnings, {held} rows quarantined)"
        )
    else:  # older snapshots: one summary ({"success": ...}) or one report per table
        reports = [validation] if "success" in validation else list(validation.values())
        passed = all(bool(r.get("success")) for r in reports) if reports else None
        verdict = {True: "passed", False: "failed", None: "not recorded"}[passed]
    return {
        "Snapshot": manifest["snapshot_id"],
        "Created": manifest["created_at"],
        "Mode": str(manifest.get("mode", "?")),
        "Parent": manifest.get("parent_id") or "none (first snapshot)",
        "Code version": str(manifest.get("code_version", "?")),
        "Validation": verdict,
        "Newest release date": credits.latest_release or "none",
        "Data": credits.attribution,
    }
