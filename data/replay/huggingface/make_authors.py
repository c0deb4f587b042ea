"""Re-serialize the recorded per-lab Hub listing (a CSV) into the list API's shape, for replay.

    python data/replay/huggingface/make_authors.py SOURCE_CSV data/replay/huggingface

SOURCE_CSV is `hf_models_by_author.csv` (columns owner, repo_id, model_name, pipeline_tag,
license, created_at, last_modified, downloads, private, sha; see PROVENANCE.md). For each
owner it writes `authors/<owner>_page-<n>.json`, pages of 100 models newest first, exactly as
`GET /api/models?author=<owner>&sort=createdAt&direction=-1&limit=100&expand[]=...` pages
them, and adds one `index.json` entry per page, the pages chained by `Link: <...>; rel="next"`
headers (the cursor values are ours: `replay-page-<n>`). Each model object holds only what the
CSV recorded, under the API's own names: `id`, `author`, `sha`, `createdAt`, `lastModified`
(`...T..:..:..000Z`), `private`, `downloads`, `pipeline_tag` (when recorded) and
`cardData.license` (when recorded, i.e. not `UNKNOWN`). Deterministic: the same CSV gives the
same bytes.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "src"))

from ai_landscape.sources.huggingface.constants import AUTHOR_PLACEHOLDER, URLS

PAGE = 100
RECORDED_AT = "2025-10-11T00:00:00+00:00"  # the day after the newest lastModified in the CSV
UNKNOWN = "UNKNOWN"  # the dump's word for "no licence found"


def api_time(value: str) -> str:
    """`2024-04-17T09:35:12+00:00` -> `2024-04-17T09:35:12.000Z`, as the Hub writes times."""
    return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def model(row: dict) -> dict:
    item = {
        "id": row["repo_id"],
        "author": row["owner"],
        "sha": row["sha"],
        "createdAt": api_time(row["created_at"]),
        "lastModified": api_time(row["last_modified"]),
        "private": row["private"] == "True",
        "downloads": int(row["downloads"] or 0),
    }
    if row["pipeline_tag"]:
        item["pipeline_tag"] = row["pipeline_tag"]
    if row["license"] and row["license"] != UNKNOWN:
        item["cardData"] = {"license": row["license"]}
    return item


def main(source: Path, folder: Path) -> None:
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    owners = list(dict.fromkeys(row["owner"] for row in rows))
    index_path = folder / "index.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["responses"] = [e for e in index["responses"] if not e["path"].startswith("authors/")]
    for owner in owners:
        models = sorted(
            (model(r) for r in rows if r["owner"] == owner),
            key=lambda m: (m["createdAt"], m["id"]),
            reverse=True,
        )
        first = URLS["authors"].replace(AUTHOR_PLACEHOLDER, quote(owner, safe=""))
        pages = [models[i : i + PAGE] for i in range(0, len(models), PAGE)]
        for n, page in enumerate(pages, start=1):
            path = f"authors/{owner}_page-{n}.json"
            text = json.dumps(page, ensure_ascii=False, indent=1) + "\n"
            (folder / path).write_text(text, encoding="utf-8")
            url = first if n == 1 else f"{first}&cursor=replay-page-{n}"
            headers = {"Content-Type": "application/json; charset=utf-8"}
            if n < len(pages):
                headers["Link"] = f'<{first}&cursor=replay-page-{n + 1}>; rel="next"'
            index["responses"].append(
                {
                    "url": url,
                    "path": path,
                    "status": 200,
                    "headers": headers,
                    "recorded_at": RECORDED_AT,
                }
            )
    index_path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
