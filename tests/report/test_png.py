"""Charts are written as PNG with unfiltered rows (report/png.py, issue #17): the same pixels
as the canvas drew, the dpi and Software note as before, one filter byte 0 per row."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from ai_landscape.report import chartdata, charts
from ai_landscape.report.png import scanlines, write_png
from tests.real_frames import replay_tables

CREDITS = charts.Credits("Epoch AI, CC BY 4.0", "20260502T000000Z-000000", "2026-04-23")


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, body) of every chunk, each one's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def _filters(path: Path) -> set[int]:
    """The filter byte of every row of an 8-bit PNG."""
    chunks = _chunks(path.read_bytes())
    width, height, _, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    rows = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + width * {2: 3, 6: 4}[colour]
    assert len(rows) == height * stride
    return set(rows[::stride])


def _canvas(count: int = 1) -> np.ndarray:
    rng = np.random.default_rng(17)
    return rng.integers(0, 256, size=(count * 7, 5, 4), dtype=np.uint8)


def test_scanlines_drop_the_alpha_channel_only_when_every_pixel_is_opaque():
    rgba = _canvas()
    rgba[:, :, 3] = 255
    rows, colour = scanlines(rgba)
    assert colour == 2
    assert rows.shape == (7, 1 + 5 * 3)
    assert (rows[:, 0] == 0).all()
    assert np.array_equal(rows[:, 1:].reshape(7, 5, 3), rgba[:, :, :3])
    rgba[3, 2, 3] = 254
    rows, colour = scanlines(rgba)
    assert colour == 6
    assert np.array_equal(rows[:, 1:].reshape(7, 5, 4), rgba)


@pytest.mark.parametrize("alpha", [255, 128])
def test_a_written_png_decodes_to_its_pixels_dpi_and_note(tmp_path, alpha):
    rgba = _canvas(3)
    rgba[:, :, 3] = alpha
    path = tmp_path / "c.png"
    write_png(path, rgba, 150, {"Software": "Matplotlib version3.11.2, https://matplotlib.org/"})
    with Image.open(path) as image:
        assert image.mode == ("RGB" if alpha == 255 else "RGBA")
        assert image.size == (5, 21)
        expected = rgba[:, :, :3] if alpha == 255 else rgba
        assert np.array_equal(np.asarray(image), expected)
        assert tuple(round(d) for d in image.info["dpi"]) == (150, 150)
        assert image.info["Software"] == "Matplotlib version3.11.2, https://matplotlib.org/"
    assert [kind for kind, _ in _chunks(path.read_bytes())] == [
        b"IHDR",
        b"tEXt",
        b"pHYs",
        b"IDAT",
        b"IEND",
    ]
    assert _filters(path) == {0}


def test_a_chart_is_saved_unfiltered_with_the_pixels_its_canvas_drew(tmp_path, monkeypatch):
    drawn = []
    draw = charts.FigureCanvasAgg.draw

    def keep(canvas):  # the pixels as Agg drew them, before the PNG is written
        draw(canvas)
        drawn.append(np.asarray(canvas.buffer_rgba()).copy())

    monkeypatch.setattr(charts.FigureCanvasAgg, "draw", keep)
    models = replay_tables()["models"]
    path = charts.stacked_by_year(
        chartdata.access_by_year(models),
        "weights_access",
        charts.access_styles(),
        "t",
        [],
        CREDITS,
        tmp_path / "a.png",
    )
    (rgba,) = drawn
    assert (rgba[:, :, 3] == 255).all()
    assert _filters(path) == {0}  # Pillow's adaptive filters picked 1-4 for most rows
    with Image.open(path) as image:
        assert image.mode == "RGB"
        assert image.size == (1950, 1275)
        assert np.array_equal(np.asarray(image), rgba[:, :, :3])
        assert image.info["Software"] == (
            f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
        )
