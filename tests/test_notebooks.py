"""The committed notebooks: every graph shows without trust (a PNG beside its SVG), fits a column,
speaks one notation, and no progress bar lands on stderr; JupyterLab opens and saves them unchanged;
each article's notebook links its article."""

from __future__ import annotations

import base64
import json
import re
import struct
from pathlib import Path

import nbformat
import pytest
from ipykernel.kernelspec import get_kernel_dict

from autograd.draw import COLUMN_INCHES

EVERY = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
NOTEBOOKS = [path for path in EVERY if path.name[:2] in ("01", "02", "03", "04")]  # the first hour's
COURSE = [path for path in EVERY if path.name[:2] in ("00", "11", "12", "13", "14", "15")]  # issue 22's
COLUMN = 99  # characters of code a notebook column shows (GitHub, JupyterLab at its default width)
FITTED = sorted(COURSE + [path for path in EVERY if path.name[:2] in ("03", "09")])
ARTICLES = {  # the article each notebook follows, at its public address
    "01": "https://jfreboud.github.io/walkthrough/2021/08/13/backward-pass.html",
    "02": "https://jfreboud.github.io/layer/2021/09/19/linear.html",
    "03": "https://jfreboud.github.io/layer/2021/10/07/input.html",
    "08": "https://jfreboud.github.io/network/2022/01/22/second-dimension.html",
    "09": "https://jfreboud.github.io/network/2022/07/23/classification.html",
    "11": "https://jfreboud.github.io/network/2021/11/17/weights-balancing.html",
    "12": "https://jfreboud.github.io/network/2021/12/12/linear-function.html",
    "13": "https://jfreboud.github.io/layer/2022/03/02/convolution.html",
    "14": "https://jfreboud.github.io/layer/2022/03/24/max-pooling.html",
    "15": "https://jfreboud.github.io/layer/2022/06/08/normalization.html",
}
OLD_NOTATION = re.compile(r"\b[WBw]\[\d|\bw2_\d|\bo\d\b|W\^\{|B\^")
RAW = re.compile(r"\^\{|_\{")  # a label no picture shows untypeset (autograd.notation typesets it)


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


@pytest.mark.parametrize("path", NOTEBOOKS + COURSE, ids=lambda p: p.stem)
def test_no_progress_bar_on_stderr_and_one_notation(path: Path) -> None:
    assert not [out for out in outputs(path) if out.get("name") == "stderr"]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shown = [text(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    shown += [text(out.get("text", "")) for out in outputs(path)]
    pictures = [text(out.get("data", {}).get("image/svg+xml", "")) for out in outputs(path)]
    assert not [m.group() for s in shown + pictures for m in [OLD_NOTATION.search(s)] if m]
    assert not [m.group() for s in pictures for m in [RAW.search(s)] if m]


@pytest.mark.parametrize("path", EVERY, ids=lambda p: p.stem)
def test_jupyterlab_opens_and_saves_the_file_unchanged(path: Path) -> None:
    """JupyterLab 4 writes the running kernel's spec and saves through nbformat: both must already hold."""
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    spec = get_kernel_dict()
    assert notebook.metadata.kernelspec == {
        "display_name": spec["display_name"], "language": spec["language"], "name": "python3"
    }
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, nbformat.current_nbformat_minor)
    assert nbformat.writes(notebook) + "\n" == text


@pytest.mark.parametrize("path", EVERY, ids=lambda p: p.stem)
def test_every_explorer_output_carries_a_static_picture(path: Path) -> None:
    widgets = [out["data"] for out in outputs(path)
               if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert all("image/png" in data and "image/svg+xml" in data for data in widgets)


@pytest.mark.parametrize("path", FITTED, ids=lambda p: p.stem)
def test_code_lines_fit_the_column(path: Path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [text(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    lines = [line for source in code for line in source.splitlines()]
    assert [line for line in lines if len(line) > COLUMN] == []


@pytest.mark.parametrize(("number", "address"), sorted(ARTICLES.items()))
def test_each_articles_notebook_links_its_article(number: str, address: str) -> None:
    (path,) = [p for p in EVERY if p.name.startswith(number + "_")]
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert address in text(cells[0]["source"])  # in the first cell, with where it sits in the series
