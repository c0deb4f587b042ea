"""The report's HTML page: one self-contained file (images inlined) that opens offline."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
.meta td { text-align: left; } .note { color: #555; font-size: 0.9rem; }
code, pre { background: #f6f6f6; padding: 0.1rem 0.3rem; }
"""


@dataclass
class Section:
    title: str
    notes: list[str] = field(default_factory=list)
    image: Path | None = None
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    code: str | None = None
    html: str | None = None  # markup of our own (the model explorer), inserted as it is


def render_page(title: str, meta: dict[str, str], sections: list[Section]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        '<table class="meta">',
        *(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in meta.items()),
        "</table>",
    ]
    for section in sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        parts += [f'<p class="note">{html.escape(n)}</p>' for n in section.notes]
        if section.image is not None:
            data = base64.b64encode(section.image.read_bytes()).decode("ascii")
            alt = html.escape(section.title)
            parts.append(f'<img alt="{alt}" src="data:image/png;base64,{data}">')
        for caption, frame in section.tables:
            if caption:
                parts.append(f"<h3>{html.escape(caption)}</h3>")
            blank = frame.astype("object").where(frame.notna(), "")  # None and NaN alike
            parts.append(blank.to_html(index=False, border=0, escape=True))
        if section.code:
            parts.append(f"<pre><code>{html.escape(section.code)}</code></pre>")
        if section.html:
            parts.append(section.html)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
