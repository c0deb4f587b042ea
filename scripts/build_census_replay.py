"""Build the replay copy of `huggingface.census` from the real recorded Hub dumps.

Run once by hand (it reads `../shared/data/recorded/huggingface/`, which users do not have):

    .venv/bin/python scripts/build_census_replay.py /path/to/recorded/huggingface

Every record is a real repo as one of the dumps recorded it; only the shape changes, to what
`GET /api/models?expand[]=...` returns (see data/replay/huggingface/census/PROVENANCE.md for
what each dump holds and what it lacks). Where a repo is in several dumps, the dump listed
first in SOURCES gives the whole record (fields are never mixed across vintages).
"""

from __future__ import annotations

import ast
import csv
import gzip
import json
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "replay" / "huggingface"
PAGE_SIZE = 1000


def census_url() -> str:
    from ai_landscape.sources.huggingface.census_constants import CENSUS_URL

    return CENSUS_URL


def _iso(text: str | None) -> str | None:
    """`2025-09-29 13:02:39+00:00` -> `2025-09-29T13:02:39.000Z`, the API's spelling."""
    if not text or text in ("None", ""):
        return None
    text = text.replace(" ", "T").replace("+00:00", "")
    return (text if "." in text else text + ".000") + "Z"


def _card(text: str | None) -> dict | None:
    if not text or text == "None":
        return None
    try:
        card = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return card if isinstance(card, dict) else None


def _gated(value) -> bool | str:
    return False if value in (None, False, "False", "None") else value


def _number(value) -> int | None:
    return None if value in (None, "", "None") else int(value)


def _clean(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None}


def modelinfo(row: dict) -> dict:
    """A huggingface_hub ModelInfo as re-serialized by a dump (JSON or Python-repr values)."""
    tags = row["tags"]
    if isinstance(tags, str):
        tags = ast.literal_eval(tags)
    return _clean(
        {
            "id": row["id"],
            "author": row.get("author") or None,
            "cardData": _card(row.get("card_data")),
            "createdAt": _iso(row.get("created_at")),
            "downloads": _number(row.get("downloads")),
            "gated": _gated(row.get("gated")),
            "lastModified": _iso(row.get("last_modified")),
            "library_name": None
            if row.get("library_name") in (None, "None")
            else row["library_name"],
            "likes": _number(row.get("likes")),
            "pipeline_tag": None
            if row.get("pipeline_tag") in (None, "None")
            else row["pipeline_tag"],
            "sha": row.get("sha"),
            "tags": list(tags),
        }
    )


def from_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield modelinfo(json.loads(line))


def from_trees(folder: Path) -> Iterator[dict]:
    for path in sorted(folder.glob("*.json")):
        for model in json.loads(path.read_text("utf-8"))["models"]:
            if model["metadata"].startswith("{"):  # some entries say "N/A": no record
                yield modelinfo(json.loads(model["metadata"]))


def _csv_record(repo_id, author, pipeline, license_, created, modified, downloads, sha=None):
    # The dumps' `license` column: the repo's declared licence; `UNKNOWN` is the dumper's
    # placeholder for none. It is given as the card's licence (see PROVENANCE.md).
    license_ = None if license_ in ("", "UNKNOWN") else license_
    return _clean(
        {
            "id": repo_id,
            "author": author or None,
            "cardData": {"license": license_} if license_ else None,
            "createdAt": _iso(created),
            "downloads": _number(downloads),
            "lastModified": _iso(modified),
            "pipeline_tag": pipeline or None,
            "sha": sha,
        }
    )


def from_by_author(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            yield _csv_record(
                r["repo_id"], r["owner"], r["pipeline_tag"], r["license"],
                r["created_at"], r["last_modified"], r["downloads"], r["sha"],
            )  # fmt: skip


def from_open_raw(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            yield _csv_record(
                r["id"], r["author"], r["model_type"], r["license"],
                r["date_released"], r["date_last_modified"], r["downloads"],
            )  # fmt: skip


def from_scrape_2022(path: Path) -> Iterator[dict]:
    with tarfile.open(path) as tar:
        for member in tar:
            if not member.name.endswith("/infos.json"):
                continue
            info = json.load(tar.extractfile(member))
            repo_id = info["modelId"]
            yield _clean(
                {
                    "id": repo_id,
                    "author": repo_id.split("/", 1)[0] if "/" in repo_id else None,
                    "downloads": info.get("downloads"),
                    "lastModified": info.get("lastModified"),
                    "library_name": info.get("library_name"),
                    "likes": info.get("likes"),
                    "pipeline_tag": info.get("pipeline_tag"),
                    "sha": info.get("sha"),
                    "tags": info.get("tags"),
                }
            )


def sources(recorded: Path) -> list[tuple[str, str, Iterator[dict]]]:
    dumps = recorded / "dumps"
    gabtos = dumps / "gabtos_open-source-ai-discovery__hf_models"
    scrape = dumps / "saranscript_huggingface-models__infos_json_2022-02-21.tar.gz"
    return [
        ("modelinfo_jsonl", "2025-10-03", from_jsonl(Path(f"{gabtos}_open_source_raw.jsonl"))),
        ("modelinfo_trees", "2025-04-26", from_trees(recorded / "modelinfo_trees")),
        ("by_author_csv", "2025-10-03", from_by_author(Path(f"{gabtos}_by_author.csv"))),
        ("open_raw_csv", "2025-10-03", from_open_raw(Path(f"{gabtos}_open_raw.csv"))),
        ("scrape_2022", "2022-02-21", from_scrape_2022(scrape)),
    ]


def main(recorded: Path) -> None:
    seen: set[str] = set()
    records: list[tuple[str, dict]] = []
    counts: dict[str, list[int]] = {}
    for name, recorded_at, rows in sources(recorded):
        read = kept = 0
        for record in rows:
            read += 1
            if record["id"] in seen:
                continue
            seen.add(record["id"])
            records.append((recorded_at, record))
            kept += 1
        counts[name] = [read, kept]
    folder = OUT / "census"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.json.gz"):
        old.unlink()
    url = census_url()
    pages = [records[i : i + PAGE_SIZE] for i in range(0, len(records), PAGE_SIZE)]
    entries = []
    for number, page in enumerate(pages):
        name = f"page-{number:03d}.json.gz"
        body = json.dumps([r for _, r in page], ensure_ascii=False, separators=(",", ":"))
        (folder / name).write_bytes(gzip.compress(body.encode(), mtime=0))
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if number + 1 < len(pages):
            headers["Link"] = f'<{url}&cursor=replay-{number + 1:03d}>; rel="next"'
        entries.append(
            {
                "url": url if number == 0 else f"{url}&cursor=replay-{number:03d}",
                "path": f"census/{name}",
                "stored_as": "gzip",
                "status": 200,
                "headers": headers,
                "recorded_at": f"{max(d for d, _ in page)}T00:00:00+00:00",
            }
        )
    index_path = OUT / "index.json"
    index = json.loads(index_path.read_text("utf-8"))
    index["responses"] = [e for e in index["responses"] if not e["path"].startswith("census/")]
    index["responses"] += entries
    index_path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps({"repos": len(records), "pages": len(pages), "by_source": counts}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
