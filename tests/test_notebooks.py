"""The committed notebooks: every graph shows without trust (a PNG beside its SVG), fits a column,
speaks one notation, and no progress bar lands on stderr."""

from __future__ import annotations

import base64
import json
import re
import struct
from pathlib import Path

import pytest

from autograd.draw import COLUMN_INCHES

EVERY = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
NOTEBOOKS = [path for path in EVERY if path.name[:2] in ("01", "02", "03", "04")]  # the first hour's
OLD_NOTATION = re.compile(r"\b[WBw]\[\d|[⁰¹²³⁴⁵⁶⁷⁸⁹]|\bw2_\d|\bo\d\b|W\^\{|B\^")


def outputs(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [out for cell in cells for out in cell.get("outputs", [])]


def text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


@pytest.mark.parametrize("path", EVERY, ids=lambda p: p.stem)
def test_every_graph_carries_a_png_that_fits_a_column(path: Path) -> None:
    graphs = [out["data"] for out in outputs(path) if "image/svg+xml" in out.get("data", {})]
    assert graphs or path not in NOTEBOOKS, "each of the first hour's notebooks draws a graph"
    for data in graphs:
        png = base64.b64decode(text(data["image/png"]))
        width = struct.unpack(">I", png[16:20])[0]  # the IHDR chunk
        assert png.startswith(b"\x89PNG") and width <= COLUMN_INCHES * 96


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_progress_bar_on_stderr_and_one_notation(path: Path) -> None:
    assert not [out for out in outputs(path) if out.get("name") == "stderr"]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shown = [text(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    shown += [text(out.get("text", "")) for out in outputs(path)]
    shown += [text(out.get("data", {}).get("image/svg+xml", "")) for out in outputs(path)]
    assert not [m.group() for s in shown for m in [OLD_NOTATION.search(s)] if m]
