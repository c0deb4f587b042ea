"""The report page's model explorer: every model in one searchable, sortable, filterable table,
each row opening the model's fields with their sources, conflicts and history.

The page must open offline (no CDN) and stay quick with 100,000 models, so the data goes in
as one columnar JSON block: repeated text (organizations, access states, licences, the raw
objects of provenance locators) is stored once per distinct value and referenced by number,
and the script (explorer.js, inlined) draws only the rows in view.
"""

from __future__ import annotations

import io
import json
from importlib import resources

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import json as pa_json

from ai_landscape.plain import cell
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
    conflicts keyed by row position. Encoded column-wise in Arrow: no step per row."""
    models = models.reset_index(drop=True)
    table = pa.Table.from_pandas(models.drop(columns=list(HIDDEN)), preserve_index=False)
    columns = {name: _encode(table[name], name in NUMERIC) for name in table.column_names}
    columns["organization"] = _encode(pc.list_element(_nonempty(table["organizations"]), 0))
    columns["country"] = columns["country_codes"]
    columns["country_group"] = _encode(pa.array(country_group(models["country_codes"])))
    position = pd.Series(range(len(models)), index=models["model_id"])
    return {
        "shown": [list(pair) for pair in SHOWN],
        "numeric": list(NUMERIC),
        "rows": len(models),
        "columns": columns,
        "provenance": _provenance(models["provenance"]),
        "history": _by_model(events, position, HISTORY_COLUMNS),
        "conflicts": _by_model(conflicts, position, ["field", "source", "value", "chosen"]),
    }


def _nonempty(lists: pa.ChunkedArray) -> pa.ChunkedArray:
    """Empty lists as null, so taking the first element never fails."""
    return pc.if_else(
        pc.greater(pc.list_value_length(lists), 0), lists, pa.scalar(None, lists.type)
    )


def _text(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Any column as display text: lists joined by `, `, dates and times in ISO form."""
    kind = values.type
    if pa.types.is_list(kind):
        values = pc.binary_join(pc.cast(values, pa.list_(pa.string())), ", ")
    elif pa.types.is_timestamp(kind):
        values = pc.utf8_slice_codeunits(pc.strftime(values, format="%Y-%m-%dT%H:%M:%S"), 0, 19)
    elif not pa.types.is_string(kind):
        values = pc.cast(values, pa.string())
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _encode(values: pa.ChunkedArray | pa.Array, numeric: bool = False) -> dict:
    """Numbers as they are; text with few distinct values as a dictionary and codes (-1:
    missing), other text as a list."""
    if numeric:
        return {"values": pc.cast(values, pa.float64()).to_pylist()}
    text = _text(values)
    encoded = text.dictionary_encode()
    if len(encoded.dictionary) > DICTIONARY_SHARE * max(len(text), 1):
        return {"values": text.to_pylist()}
    codes = pc.fill_null(encoded.indices, -1)
    return {"dict": encoded.dictionary.to_pylist(), "codes": codes.to_pylist()}


LOCATOR = r"^(?P<prefix>.*?)(?:#row=(?P<row>\d+))?$"


def _provenance(provenance: pd.Series) -> dict:
    """field -> {dict: distinct `source.dataset:<raw object>` prefixes, codes, rows}: every
    record of a document shares the prefix; only `#row=N` differs. Arrow's JSON reader parses
    all rows at once (one object per line), RE2 splits the locators column by column."""
    lines = "\n".join(provenance.fillna("{}").tolist()).encode("utf-8")
    parsed = pa_json.read_json(
        io.BytesIO(lines), parse_options=pa_json.ParseOptions(newlines_in_values=False)
    )
    out = {}
    for name in sorted(parsed.column_names):
        located = pc.extract_regex(pc.cast(parsed[name], pa.string()), LOCATOR).combine_chunks()
        prefix = pc.struct_field(located, "prefix").dictionary_encode()
        row = pc.struct_field(located, "row")
        row = pc.if_else(pc.equal(row, ""), pa.scalar(None, pa.string()), row)
        out[name] = {
            "dict": prefix.dictionary.to_pylist(),
            "codes": pc.fill_null(prefix.indices, -1).to_pylist(),
            "rows": pc.cast(row, pa.int64()).to_pylist(),
        }
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
        conflicts = store.read_table("conflicts", snapshot_id)
    except TableNotFound:
        return pd.DataFrame()
    return conflicts.assign(chosen=conflicts["chosen"].map({True: "chosen", False: ""}))


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
