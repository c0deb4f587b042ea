"""Report section 7: the Hugging Face Hub census (`hub_repos`, `hub_lineage`).

- Derivatives per base family per quarter, split by the base's country group: which open
  families the Hub builds on, and whose.
- The licence mix of the whole Hub by quarter of repo creation (a table and its CSV; no
  chart: one was drawn beside the page, never shown on it).

`hub_repos` is read by DuckDB straight from its part (a pyarrow dataset on an object store),
aggregated to a few hundred rows: the report never loads the census.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyarrow.dataset as ds
from matplotlib.patches import Patch

from ai_landscape.publish.store import SnapshotStore, part_key
from ai_landscape.report.bars import segments
from ai_landscape.report.charts import save
from ai_landscape.report.groups import GROUP_LABELS, GROUP_RULE, country_group
from ai_landscape.report.page import Section

TOP_LICENCES = 8
TOP_FAMILIES = 12
UNDATED = "undated"
OTHER = "other licences"
NONE = "no licence recognised"

LICENCE_MIX_SQL = f"""
SELECT coalesce(strftime(date_trunc('quarter', created_at), '%Y-Q') ||
                CAST(quarter(created_at) AS VARCHAR), '{UNDATED}') AS quarter,
       coalesce(license_id, '{NONE}') AS licence, count(*) AS repos
FROM hub_repos GROUP BY ALL ORDER BY quarter, licence
"""


def repos_dataset(store: SnapshotStore, snapshot_id: str) -> ds.Dataset:
    if hasattr(store, "fs"):
        return ds.dataset(store.key(part_key("hub_repos", snapshot_id)), filesystem=store.fs)
    return ds.dataset(store.table_path("hub_repos", snapshot_id))


def licence_mix(repos: ds.Dataset) -> pd.DataFrame:
    """quarter, licence, repos: the top licences by repos, the rest as `other licences`."""
    con = duckdb.connect()
    con.register("hub_repos", repos)
    counts = con.execute(LICENCE_MIX_SQL).df()
    con.close()
    totals = counts.groupby("licence")["repos"].sum().sort_values(ascending=False, kind="stable")
    keep = [*[k for k in totals.index if k != NONE][:TOP_LICENCES], NONE]
    counts["licence"] = counts["licence"].where(counts["licence"].isin(keep), OTHER)
    return counts.groupby(["quarter", "licence"], as_index=False)["repos"].sum()


def derivatives_by_family(lineage: pd.DataFrame) -> pd.DataFrame:
    """quarter, base_family, country_group, repos (derivatives created that quarter)."""
    frame = lineage.assign(
        quarter=pd.PeriodIndex(pd.to_datetime(lineage["month"]), freq="Q").astype(str),
        base_family=lineage["base_family"].fillna(lineage["base_repo_id"]),  # never dropped
        country_group=country_group(lineage["base_country_codes"]),
    )
    frame.loc[lineage["month"].isna(), "quarter"] = UNDATED
    return frame.groupby(["quarter", "base_family", "country_group"], as_index=False)["repos"].sum()


def _stacked(table: pd.DataFrame, title: str, ylabel: str, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(13, 6), dpi=110)
    bottom = np.zeros(len(table))
    colors = plt.get_cmap("tab20").colors
    handles = []
    for i, column in enumerate(table.columns):
        values = table[column].to_numpy(dtype=float)
        segments(ax, range(len(table)), values, 0.8, bottom.copy(), facecolor=colors[i % 20])
        handles.append(Patch(facecolor=colors[i % 20], label=column))
        bottom += values
    ax.set_xticks(range(len(table)), list(table.index), rotation=90, fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if len(table.columns):
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
        )
    fig.tight_layout()
    return save(fig, path)


def census_section(
    store: SnapshotStore, snapshot_id: str, manifest: dict, folder: Path
) -> tuple[Section, dict[str, pd.DataFrame]]:
    """The section, and its frames (written as CSV by the caller)."""
    lineage = store.read_table("hub_lineage", snapshot_id)
    mix = licence_mix(repos_dataset(store, snapshot_id))
    derived = derivatives_by_family(lineage)
    by_country = derived.pivot_table(
        index="quarter", columns="country_group", values="repos", aggfunc="sum", fill_value=0
    ).rename(columns=GROUP_LABELS)
    mix_wide = mix.pivot_table(
        index="quarter", columns="licence", values="repos", aggfunc="sum", fill_value=0
    )
    image = _stacked(
        by_country,
        "Hub repos derived from a base model, per quarter, by the base's country",
        "Derivative repos",
        folder / "hub_derivatives.png",
    )
    families = (
        derived.groupby(["base_family", "country_group"], as_index=False)["repos"]
        .sum()
        .sort_values("repos", ascending=False, kind="stable")
        .head(TOP_FAMILIES)
    )
    info = manifest["sources"].get("huggingface.census", {})
    rows = manifest["tables"]["hub_repos"]["rows"]
    notes = [
        f"{rows} repos in this census ({info.get('status', '?')}; {info.get('pages', '?')} "
        "pages). A derivative is a repo whose `base_model:` tags or card name a base; it counts "
        "for its root (the earliest ancestor the census lists), whose family and country "
        "come from `models` when a model lists the root repo, else from its name and the "
        "reference table of Hub organizations.",
        GROUP_RULE,
        "Undated: repos without a creation time (the Hub's 2022-03-02 backfill stamp, or a "
        "listing without `createdAt`). The licence mix is the last table below (and "
        "hub_licence_mix.csv beside this page).",
    ]
    frames = {"hub_derivatives": derived, "hub_licence_mix": mix}
    section = Section(
        "7. The Hugging Face Hub census: derivatives and licences",
        notes,
        image,
        [
            ("Derivatives per quarter by the base's country group", by_country.reset_index()),
            (f"Top {TOP_FAMILIES} base families", families),
            ("Licence mix per quarter created", mix_wide.reset_index()),
        ],
    )
    return section, frames
