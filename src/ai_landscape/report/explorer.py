"""The report page's model explorer: every model in one searchable, sortable, filterable table,
each row opening the model's fields with their sources, conflicts and history.

The page must open offline (no CDN) and stay quick with 100,000 models, so the data goes in
as one columnar JSON block: repeated text (organizations, access states, licences, the raw
objects of provenance locators) is stored once per distinct value and referenced by number,
and the script (explorer.js, inlined) draws only the rows in view.
"""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

from ai_landscape.plain import cell, plain
from ai_landscape.publish.store import SnapshotStore, TableNotFound
from ai_landscape.report.groups import country_group

# Columns of the table, in order: (key, header). The detail panel shows every field.
SHOWN = (
    ("name", "Name"),
    ("organization", "Organization"),
    ("country", "Country"),
    ("release_date", "Released"),
    ("weights_access", "Access"),
    ("license_id", "Licence"),
    ("parameters", "Parameters"),
    ("training_compute_flop", "Compute (FLOP)"),
    ("large_scale", "Large-scale"),
    ("sources", "Sources"),
)
NUMERIC = ("parameters", "active_parameters", "training_tokens", "training_compute_flop")
HIDDEN = ("provenance",)
HISTORY_COLUMNS = ["detected_at", "event_type", "field", "old", "new"]
# Dictionary-encode a text column when it has at most this share of distinct values.
DICTIONARY_SHARE = 0.5


def model_data(models: pd.DataFrame, events: pd.DataFrame, conflicts: pd.DataFrame) -> dict:
    """The explorer's JSON: `columns` (per column `values`, or `dict` + `codes`), the
    provenance per field (locator object dictionary, codes, row numbers), and history and
    conflicts keyed by row position."""
    models = models.reset_index(drop=True)
    derived = pd.DataFrame(
        {
            "organization": models["organizations"].map(_first, na_action="ignore"),
            "country": models["country_codes"].map(_joined, na_action="ignore"),
            "country_group": country_group(models["country_codes"]),
        }
    )
    frame = pd.concat([models.drop(columns=list(HIDDEN)), derived], axis=1)
    for column in ("organizations", "country_codes", "hf_repo_ids", "openrouter_ids", "sources"):
        frame[column] = frame[column].map(_joined, na_action="ignore")
    columns = {name: _encode(frame[name], name in NUMERIC) for name in frame.columns}
    position = pd.Series(range(len(models)), index=models["model_id"])
    return {
        "shown": [list(pair) for pair in SHOWN],
        "numeric": list(NUMERIC),
        "rows": len(models),
        "columns": columns,
        "provenance": _provenance(models["provenance"]),
        "history": _by_model(
            events, position, ["detected_at", "event_type", "field", "old", "new"]
        ),
        "conflicts": _by_model(conflicts, position, ["field", "source", "value", "chosen"]),
    }


def _first(values) -> str | None:
    return values[0] if len(values) else None


def _joined(values) -> str:
    return ", ".join(str(v) for v in values)


def _encode(values: pd.Series, numeric: bool) -> dict:
    if numeric:
        return {"values": [plain(v) for v in values.astype("float64").tolist()]}
    text = [cell(v) or None for v in values.tolist()]  # empty text shows as missing
    distinct = list(dict.fromkeys(t for t in text if t is not None))
    if len(distinct) > DICTIONARY_SHARE * max(len(text), 1):
        return {"values": text}
    codes = {v: i for i, v in enumerate(distinct)}
    return {"dict": distinct, "codes": [-1 if t is None else codes[t] for t in text]}


def _provenance(provenance: pd.Series) -> dict:
    """field -> {dict: distinct locator prefixes, codes, rows}: `source.dataset:<object>` is
    shared by every record of a document; only `#row=N` differs."""
    parsed = [json.loads(p) if p else {} for p in provenance.tolist()]
    fields = sorted({f for entry in parsed for f in entry})
    out = {}
    for name in fields:
        prefixes: dict[str, int] = {}
        codes, rows = [], []
        for entry in parsed:
            locator = entry.get(name)
            if locator is None:
                codes.append(-1)
                rows.append(None)
                continue
            prefix, sep, row = str(locator).rpartition("#row=")
            if not sep:
                prefix, row = str(locator), None
            codes.append(prefixes.setdefault(prefix, len(prefixes)))
            rows.append(int(row) if row is not None and row.isdigit() else row)
        out[name] = {"dict": list(prefixes), "codes": codes, "rows": rows}
    return out


def _by_model(frame: pd.DataFrame, position: pd.Series, columns: list[str]) -> dict:
    if frame is None or frame.empty:
        return {}
    frame = frame[frame["model_id"].isin(position.index)]
    out: dict[str, list] = {}
    keys = position.loc[frame["model_id"]].tolist()
    for key, row in zip(keys, frame[columns].itertuples(index=False), strict=True):
        out.setdefault(str(key), []).append([cell(v) for v in row])
    return out


def history_until(store: SnapshotStore, snapshot_id: str) -> pd.DataFrame:
    """Every event recorded by the committed snapshots up to and including this one."""
    frames = []
    for manifest in store.list_snapshots():
        if "events" in manifest["tables"]:
            frames.append(store.read_table("events", manifest["snapshot_id"]))
        if manifest["snapshot_id"] == snapshot_id:
            break
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def snapshot_conflicts(store: SnapshotStore, snapshot_id: str) -> pd.DataFrame:
    try:
        return store.read_table("conflicts", snapshot_id)
    except TableNotFound:
        return pd.DataFrame()


def explorer_html(data: dict) -> str:
    """The section's markup, its data block and its script: no external resource."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    payload = payload.replace("</", "<\\/")  # never closes the script element early
    files = resources.files("ai_landscape.report")
    script = files.joinpath("explorer.js").read_text("utf-8")
    markup = files.joinpath("explorer.html").read_text("utf-8")
    return markup.replace(
        "<!--DATA-->",
        f'<script type="application/json" id="explorer-data">{payload}</script>\n'
        f"<script>{script}</script>",
    )


def explorer_section(store: SnapshotStore, snapshot_id: str, models: pd.DataFrame):
    """The report's "every model" section, after the headline chart."""
    from ai_landscape.report.page import Section

    data = model_data(
        models, history_until(store, snapshot_id), snapshot_conflicts(store, snapshot_id)
    )
    return Section(
        "2. Every model: search, sort, filter, open one",
        [
            f"All {len(models):,} models of this snapshot. Type to search (every word must "
            "match the id, name, organization, licence or sources), pick filters, click a "
            "heading to sort, click a row (or Enter) for its fields with the record each "
            "came from, where its sources disagree, and its history. Nothing is fetched: "
            "the data is in this page."
        ],
        html=explorer_html(data),
    )
