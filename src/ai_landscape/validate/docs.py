"""Data Docs for every run, and the Prefect artifacts that summarize a gate.

Data Docs: GX's own renderers turn each suite's validation result into a page
(`ValidationResultsPageRenderer` -> `DefaultJinjaPageView`); they need no Data Context, so
nothing here depends on GX's stores. `context.build_data_docs()` would not do: it renders
what the context's validation-results store holds, and `Batch.validate` stores nothing (only
Checkpoint runs do, through a file-backed store). The pages load GX's CSS and scripts from
public CDNs, so offline they show unstyled but complete. An index page written here lists
the suites, what blocked, what was quarantined and what warned.

Layout: `<warehouse>/_docs/<run_id>/index.html` and one page per validation.

A run's checks run in its worker process, and a GX result cannot cross to the run's process
(unpickling it imports GX), so the worker draws their pages. It draws them later than it
checks (`held`, then `drawn_pages`): drawing was a fifth of the checks' time, on the path
between resolution and the publish, while the worker is idle during the publish (#17). Until
then each of those pages is the report in plain text (`write_data_docs` without its page).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import html
import logging
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ai_landscape.validate.gate import GateResult
from ai_landscape.validate.outcome import ValidationReport

DOCS = "_docs"
ARTIFACT_KEY = "landscape-validation"
log = logging.getLogger(__name__)


def write_data_docs(
    warehouse: str | os.PathLike,
    run_id: str,
    result: GateResult,
    drawn: Mapping[tuple[str, str], str] | None = None,
) -> Path:
    """Write the run's Data Docs; returns the index page's path. `drawn`: `drawn_pages`' answer
    for reports whose GX result stayed where they were checked."""
    folder = Path(warehouse) / DOCS / run_id
    folder.mkdir(parents=True, exist_ok=True)
    pages = _page_files(result)
    for name, report in pages:
        page = (drawn or {}).get(page_key(report)) or _suite_page(report)
        (folder / name).write_text(page, encoding="utf-8")
    index = folder / "index.html"
    index.write_text(_index_page(run_id, result, pages), encoding="utf-8")
    return index


def write_drawn_pages(
    warehouse: str | os.PathLike,
    run_id: str,
    result: GateResult,
    drawn: Mapping[tuple[str, str], str],
) -> None:
    """Over the pages `write_data_docs` wrote, those `drawn` since (the others stay)."""
    folder = Path(warehouse) / DOCS / run_id
    for name, report in _page_files(result):
        if page_key(report) in drawn:
            (folder / name).write_text(drawn[page_key(report)], encoding="utf-8")


def _page_files(result: GateResult) -> list[tuple[str, ValidationReport]]:
    """(file name, report) of each page, in the reports' order."""
    return [
        (f"{number:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', f'{r.suite}-{r.target}')}.html", r)
        for number, r in enumerate(result.reports)
    ]


def markdown_summary(result: GateResult, docs: str | os.PathLike | None = None) -> str:
    """The gate in a few lines of Markdown (the flow's validation artifact)."""
    status = "passed" if result.publishable else "**FAILED: nothing published**"
    lines = [f"## Validation: {status}", ""]
    for table, rows in result.summary.get("rows", {}).items():
        lines.append(
            f"- {table}: {rows['in']} rows in, {rows['published']} published, "
            f"{rows['quarantined']} quarantined"
        )
    lines += [f"- BLOCKING: {_cell(m)}" for m in result.blocking]
    lines += [f"- warning: {_cell(m)}" for m in result.warnings]
    if docs:
        lines.append(f"- Data Docs: `{docs}`")
    return "\n".join(lines)


def failures_table(result: GateResult) -> list[dict]:
    """One row per failed expectation, for `create_table_artifact`."""
    return [
        {
            "target": report.target,
            "suite": report.suite,
            "expectation": failed.label,
            "severity": failed.severity,
            "unexpected": failed.unexpected_count,
            "observed": failed.observed,
            "sample": _cell(str(failed.sample_rows or failed.unexpected_sample)),
            "error": failed.error,
        }
        for report in result.reports
        for failed in report.failed
    ]


# GX results of the reports `held` in this process, until `drawn_pages` draws their pages.
_held: dict[tuple[str, str], Any] = {}
_held_lock = threading.Lock()


def page_key(report: ValidationReport) -> tuple[str, str]:
    """A report's page among a run's: one validation per suite and target."""
    return report.suite, report.target


def held(report: ValidationReport) -> ValidationReport:
    """The report without its GX result, which this process keeps for `drawn_pages`: what can
    cross to a process that never imported GX."""
    if report.gx_result is not None:
        with _held_lock:
            _held[page_key(report)] = report.gx_result
    return dataclasses.replace(report, gx_result=None)


def drawn_pages() -> dict[tuple[str, str], str]:
    """GX's Data Docs page of every report `held` here (by `page_key`); they are held no more.
    A page GX cannot render is left out (logged): its report's plain page stays."""
    with _held_lock:
        results = dict(_held)
        _held.clear()
    pages = {}
    for (suite, target), result in results.items():
        try:
            pages[suite, target] = _gx_page(result)
        except Exception as exc:  # a rendering bug must not lose the run's record
            log.warning("GX could not render %s on %s: %s", suite, target, exc)
    return pages


def _suite_page(report: ValidationReport) -> str:
    if report.page is not None:
        return report.page
    if report.gx_result is not None:
        try:
            return _gx_page(report.gx_result)
        except Exception as exc:  # a rendering bug must not lose the run's record
            log.warning("GX could not render %s: %s", report.suite, exc)
            note = f"<p>GX's renderer failed ({html.escape(str(exc))}); plain report:</p>"
            return _page(report.suite, note + _pre(report.describe()))
    return _page(report.suite, _pre(report.describe()))


def _gx_page(gx_result) -> str:
    # GX's templates insert values unescaped: data (an unexpected value such as `<script>...`)
    # is escaped here, before it reaches them.
    renderer, view = _gx_page_renderers()
    return view.render(renderer.render(escaped_result(gx_result)))


@functools.cache
def _gx_page_renderers():
    """One GX page renderer and one Jinja page view per process. Each `DefaultJinjaPageView`
    builds its own template environment, so a view per page compiled GX's templates again
    for every page: 429 compiles for a run's 25 pages, 3.1 s against 0.32 s (issue #17)."""
    from ai_landscape.validate.gx_speedups import import_gx

    import_gx()
    from great_expectations.render.renderer import ValidationResultsPageRenderer
    from great_expectations.render.view import DefaultJinjaPageView

    return ValidationResultsPageRenderer(), DefaultJinjaPageView()


def escaped_result(gx_result):
    """A copy of a GX validation result whose every string value (observed and unexpected
    values, sample rows, exception text, expectation arguments) is HTML-escaped."""
    safe = copy.deepcopy(gx_result)
    for outcome in safe.results:
        outcome.result = _escape_all(outcome.result)
        outcome.exception_info = _escape_all(outcome.exception_info)
        config = outcome.expectation_config
        if config is not None:
            config.kwargs = _escape_all(config.kwargs)
    return safe


def _escape_all(value):
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {k: _escape_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_escape_all(v) for v in value)
    return value


def _index_page(run_id: str, result: GateResult, pages: list) -> str:
    status = "passed" if result.publishable else "FAILED: nothing published"
    parts = [f"<h1>Validation of run {html.escape(run_id)}: {status}</h1>"]
    for title, items in (("Blocking", result.blocking), ("Warnings", result.warnings)):
        if items:
            parts.append(f"<h2>{title}</h2><ul>")
            parts += [f"<li>{html.escape(m)}</li>" for m in items]
            parts.append("</ul>")
    parts.append("<h2>Rows</h2><table><tr><th>table</th><th>in</th><th>published</th>")
    parts.append("<th>quarantined</th></tr>")
    for table, rows in result.summary.get("rows", {}).items():
        cells = "".join(f"<td>{rows[k]}</td>" for k in ("in", "published", "quarantined"))
        parts.append(f"<tr><td>{html.escape(table)}</td>{cells}</tr>")
    parts.append("</table><h2>Suites</h2><table><tr><th>suite</th><th>on</th><th>rows</th>")
    parts.append("<th>result</th><th>failed</th></tr>")
    for name, report in pages:
        failed = ", ".join(f"{f.label} ({f.severity})" for f in report.failed)
        parts.append(
            f'<tr><td><a href="{name}">{html.escape(report.suite)}</a></td>'
            f"<td>{html.escape(report.target)}</td><td>{report.rows}</td>"
            f"<td>{'passed' if report.success else 'failed'}</td>"
            f"<td>{html.escape(failed)}</td></tr>"
        )
    parts.append("</table>")
    return _page(f"Validation {run_id}", "\n".join(parts))


def _page(title: str, body: str) -> str:
    style = "body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px}"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{body}</body></html>\n"
    )


def _pre(text: str) -> str:
    return f"<pre>{html.escape(text)}</pre>"


def _cell(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
