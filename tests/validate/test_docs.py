"""Data Docs share one GX page view: its Jinja templates compile once per process."""

from __future__ import annotations

import jinja2

from ai_landscape.validate.docs import write_data_docs
from tests.gate_frames import run_gate
from tests.real_frames import replay_tables


def test_gx_templates_compile_once_per_process(tmp_path, monkeypatch):
    result = run_gate(replay_tables())
    assert len(result.reports) == 5  # 3 Epoch record sets, models, models_country_codes
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    write_data_docs(tmp_path, "first", result)
    first = list(compiled)
    assert len(first) == len(set(first))  # each template at most once, however many pages
    write_data_docs(tmp_path, "second", result)
    assert compiled == first  # the second run's pages compile nothing
    for run in ("first", "second"):
        page = (tmp_path / "_docs" / run / "04-models_country_codes-models.html").read_text()
        assert "<title>Data documentation compiled by Great Expectations</title>" in page
