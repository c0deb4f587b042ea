"""`json_lines`: pandas' JSON of each row, stored by Arrow a block at a time: the same text as
the whole-frame build on every source's real parsed records (models' `provenance` is built by
it too; the replay run's tables were compared before and after, docs/performance.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from ai_landscape.normalize import json_lines as module
from ai_landscape.normalize.json_lines import json_lines
from tests.real_frames import replay_models
from tests.replay_values import replay_frames


def old_lines(frame: pd.DataFrame, force_ascii: bool) -> list[str]:
    """The build this replaced: the whole frame's text, one Python string per row (#17)."""
    text = frame.to_json(orient="records", lines=True, force_ascii=force_ascii)
    return [line.replace("\\/", "/") for line in text.splitlines()]


@pytest.mark.parametrize("force_ascii", [True, False])
@pytest.mark.parametrize("source", ["epoch", "openrouter", "modelsdev", "huggingface"])
def test_same_text_as_the_whole_frame_build(source, force_ascii, monkeypatch):
    monkeypatch.setattr(module, "BLOCK_ROWS", 61)
    for records, _ in replay_frames(source).values():
        frame = records.drop(columns=["_raw_locator", "_retrieved_at"]).set_axis(records.index + 5)
        lines = json_lines(frame, force_ascii=force_ascii)
        assert lines.tolist() == old_lines(frame, force_ascii)
        assert lines.index.equals(frame.index)
        assert type(lines.array).__name__ == "ArrowStringArray"


def test_an_empty_frame_has_no_lines():
    frame = replay_models().iloc[:0]
    assert json_lines(frame).tolist() == []
