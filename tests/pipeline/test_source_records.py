"""`source_records`' `record` column, built by Arrow from pandas' JSON, on the real replay
records of every source: the same text as the old per-row build, stored as Arrow strings."""

from __future__ import annotations

import pandas as pd
import pytest

from ai_landscape.normalize import json_lines
from ai_landscape.pipeline.registry import SOURCES
from ai_landscape.pipeline.source_records import (
    INTERNAL_COLUMNS,
    source_records_of,
    source_records_table,
)
from ai_landscape.publish.fingerprint import contract_table
from ai_landscape.schema import to_arrow
from tests.replay_values import replay_frames

REPLAY = [
    (f"{source}.{dataset}", records.assign(_stale=False), candidates)
    for source in SOURCES
    for dataset, (records, candidates) in replay_frames(source).items()
]


def old_record_json(records: pd.DataFrame) -> list[str]:
    """The build this replaced: one Python string per record (issue #17)."""
    fields = records.drop(columns=INTERNAL_COLUMNS)
    text = fields.to_json(orient="records", lines=True, force_ascii=False)
    return [line.replace("\\/", "/") for line in text.splitlines()]


@pytest.mark.parametrize(("key", "records", "candidates"), REPLAY, ids=[r[0] for r in REPLAY])
def test_record_text_is_the_old_per_row_json(key, records, candidates, monkeypatch):
    # Small blocks, so every dataset of more than 97 records crosses block boundaries.
    monkeypatch.setattr(json_lines, "BLOCK_ROWS", 97)
    built = source_records_of(records, candidates)
    assert built["record"].tolist() == old_record_json(records)
    assert type(built["record"].array).__name__ == "ArrowStringArray"
    assert built["record"].array._pa_array.type == "large_string"


def test_every_replay_record_is_kept():
    built = pd.concat([source_records_of(r, c) for _, r, c in REPLAY], ignore_index=True)
    assert len(built) == sum(len(r) for _, r, _ in REPLAY)
    assert built["record"].str.startswith("{").all()
    assert not built["record"].str.contains("\\/", regex=False).any()


def test_a_line_separator_inside_a_field_stays_in_its_record():
    # A real feed item's title with U+2028 inserted: pandas writes it raw, and the old
    # `str.splitlines()` cut the record in two ("Length of values does not match").
    records, candidates = replay_frames("feeds")["openai_news"]
    records = records.head(3).assign(_stale=False)
    title = records.at[1, "title"]
    records.at[1, "title"] = title + "\u2028second line"
    built = source_records_of(records, candidates.head(3))
    assert len(built) == 3
    assert built.at[1, "record"].count("\u2028") == 1
    assert f'"title":"{title}\u2028second line"' in built.at[1, "record"]


def test_every_dataset_in_one_chunk_that_publishing_does_not_copy(monkeypatch):
    # Before (#17) the column was one Arrow chunk per 1,000 records and per dataset, and the
    # publish's chunk merge (`contract_table`) copied it whole, twice (hash, then write).
    monkeypatch.setattr(json_lines, "BLOCK_ROWS", 97)
    built = source_records_table((r, c) for _, r, c in REPLAY)
    assert built["record"].tolist() == [line for _, r, _ in REPLAY for line in old_record_json(r)]
    assert built.index.equals(pd.RangeIndex(sum(len(r) for _, r, _ in REPLAY)))
    stored = built["record"].array._pa_array
    published = contract_table(to_arrow("source_records", built)).column("record")
    assert (stored.num_chunks, published.num_chunks) == (1, 1)
    assert published.type == "string"
    # The text bytes are the frame's own buffer: no copy of the records at publish.
    assert published.chunk(0).buffers()[2].address == stored.chunk(0).buffers()[2].address
