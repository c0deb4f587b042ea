"""Pack the recorded models.dev `models/` tree into `models.dev-dev.tar.gz`, deterministically.

    cd data/replay/modelsdev && python make_bundle.py SOURCE_DIR models.dev-dev.tar.gz

SOURCE_DIR holds `models/<lab>/<id>.toml` (a models.dev checkout, or the recorded copy). The
archive has the layout of GitHub's archive of the repository's `dev` branch
(`models.dev-dev/models/<lab>/<id>.toml`), so the parser reads the replay copy and the live
download alike. Every file's bytes are copied unchanged. Members are sorted and their times,
owners and modes fixed, so the same files always give the same tar (gzip's own output may
still differ between zlib versions; compare the uncompressed tar).
"""

from __future__ import annotations

import gzip
import io
import sys
import tarfile
from pathlib import Path

ROOT = "models.dev-dev"
# 2026-07-02T00:00:00Z, the day the files were recorded.
MTIME = 1782950400


def bundle(source: Path) -> bytes:
    """The uncompressed tar of `source/models/**/*.toml` under ROOT."""
    files = sorted(p.relative_to(source).as_posix() for p in (source / "models").rglob("*.toml"))
    folders = sorted({f.rsplit("/", i)[0] for f in files for i in range(1, f.count("/") + 1)})
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_entry(ROOT, tarfile.DIRTYPE, 0o755))
        for folder in folders:
            tar.addfile(_entry(f"{ROOT}/{folder}", tarfile.DIRTYPE, 0o755))
        for name in files:
            data = (source / name).read_bytes()
            entry = _entry(f"{ROOT}/{name}", tarfile.REGTYPE, 0o644)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    return out.getvalue()


def _entry(name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
    entry = tarfile.TarInfo(name)
    entry.type = kind
    entry.mode = mode
    entry.mtime = MTIME
    entry.uid = entry.gid = 0
    entry.uname = entry.gname = ""
    return entry


def main(argv: list[str]) -> None:
    source, output = Path(argv[1]), Path(argv[2])
    output.write_bytes(gzip.compress(bundle(source), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main(sys.argv)
