"""An archive of the models.dev repository (tar.gz) -> one frame of model records. Pure.

One record per `models/<lab>/<id>.toml`, in path order, with every TOML key kept (tables and
arrays stay dicts and lists) and models.dev's own id (`<lab>/<id>`, from the path) added as
`id`. The rest of the repository (provider files, site code) is skipped.
"""

from __future__ import annotations

import io
import json
import tarfile
import tomllib
import zlib
from datetime import date, time

import pandas as pd

from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.modelsdev.constants import (
    ID,
    MODELS_FOLDER,
    OPEN_WEIGHTS,
    REQUIRED_KEYS,
    TOML_SUFFIX,
)

_GZIP_MAGIC = b"\x1f\x8b"


def parse_archive(body: bytes, dataset: str, origin: str) -> pd.DataFrame:
    files = model_files(body, origin)
    if not files:
        raise SourceSchemaError(
            f"{origin}: no {MODELS_FOLDER}/<lab>/*{TOML_SUFFIX} files in the archive"
        )
    records = [_record(path, text, origin) for path, text in sorted(files.items())]
    frame = pd.DataFrame(records, dtype=object)
    frame.insert(0, "_row", range(len(frame)))
    return frame


def model_files(body: bytes, origin: str) -> dict[str, bytes]:
    """`models/<lab>/<id>.toml` path (without the archive's root folder) -> file bytes."""
    if not body.startswith(_GZIP_MAGIC):
        # An HTML error page or a JSON error shows itself in its first bytes.
        raise SourceSchemaError(f"{origin}: not a gzip archive (begins {body[:40]!r})")
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
            for member in archive:
                path = _model_path(member.name)
                if path is not None and member.isfile():
                    files[path] = archive.extractfile(member).read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise SourceSchemaError(
            f"{origin}: unreadable archive ({exc}); truncated download?"
        ) from exc
    return files


def _model_path(name: str) -> str | None:
    """`<root>/models/<lab>/.../<id>.toml` -> `models/<lab>/.../<id>.toml`, else None."""
    parts = name.split("/")
    if len(parts) >= 4 and parts[1] == MODELS_FOLDER and parts[-1].endswith(TOML_SUFFIX):
        return "/".join(parts[1:])
    return None


def _record(path: str, text: bytes, origin: str) -> dict:
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceSchemaError(f"{origin}: {path} is not valid TOML ({exc})") from exc
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise SourceSchemaError(
            f"{origin}: {path} lacks required key {missing[0]!r}"
            + (f" (also {', '.join(map(repr, missing[1:]))})" if len(missing) > 1 else "")
        )
    if not isinstance(data[OPEN_WEIGHTS], bool):
        raise SourceSchemaError(
            f"{origin}: {path}: {OPEN_WEIGHTS} is {data[OPEN_WEIGHTS]!r}, not true or false"
        )
    model_id = path.removeprefix(MODELS_FOLDER + "/").removesuffix(TOML_SUFFIX)
    # TOML's own date and time values become ISO text, so every record is plain JSON.
    return {ID: model_id, **json.loads(json.dumps(data, default=_isoformat))}


def _isoformat(value: date | time) -> str:
    return value.isoformat()
