"""The documentation site (`make docs`: Sphinx, MyST-NB and Furo): docs/ pages, the notebooks, the API.

Built by docs/build_site.py from the repository's root, so that the pages' links to
../notebooks/*.ipynb and ../README.md are the same on GitHub and in the site. It opens from disk: MathJax
is a local copy (docs/build_site.py), notebooks keep their committed outputs (never executed here), and no
widget manager is loaded from a CDN.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "docs")]

from build_site import STATIC  # noqa: E402  (where MathJax is vendored and the Explorer page saved)

project = "impactgrad"
author = "the impactgrad authors"
root_doc = "docs/index"
include_patterns = ["README.md", "docs/**", "notebooks/*.ipynb"]
exclude_patterns: list[str] = []
extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.mathjax"]

myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # the committed outputs are the pages' outputs
nb_ipywidgets_js: dict[str, dict[str, str]] = {}  # no widget manager from a CDN: widgets show as text,
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]  # their text/plain
nb_output_stderr = "remove"

autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "furo"
html_title = "impactgrad"
html_static_path = [str(STATIC)]
html_copy_source = False
html_show_sourcelink = False
html_show_copyright = False
html_show_search_summary = False  # a result's summary is fetched: a file:// page may not fetch
smartquotes = False  # '' stays two quotes, "x" stays straight: code in docstrings reads as code
mathjax_path = "mathjax/tex-svg-full.js"
mathjax3_config = {"options": {"enableMenu": False}}
suppress_warnings = ["mystnb.unknown_mime_type"]


CODE = re.compile(r"`([^`]+)`")


def plain_docstring(
    _app: object, _what: str, _name: str, _obj: object, _options: object, lines: list[str]
) -> None:
    """Docstrings are plain text with `code` spans and indented examples, not reStructuredText: keep them
    so in the API pages (an indented block after a blank line is shown as code, as written)."""
    plain: list[str] = []
    in_example = False
    for line in lines:
        if line[:1].isspace() and (in_example or not plain[-1:] or not plain[-1]):
            if not in_example:
                plain += ["::", ""]  # a literal block: the example's spacing and quotes stay as written
            plain.append(line)
            in_example = True
            continue
        in_example = in_example and not line  # a blank line inside an example does not end it
        parts = CODE.split(line)  # text, code, text, code, …
        plain.append("".join(rf"\ ``{part}``\ " if k % 2 else re.sub(r"([\\|*_`])", r"\\\1", part)
                             for k, part in enumerate(parts)))  # "\ " joins a literal to a word: ``if``\ s
    lines[:] = plain


def save_explorer(_app: object) -> None:
    """The Explorer page the guide embeds: the demo's, the series' Example, row 3, paths of w^{2,1}_3."""
    from nn.data import seed_example
    from nn.demo import save_explorer as save

    save(seed_example().model(), STATIC / "explorer" / "example.html")


def redirect_index(app: object, error: Exception | None) -> None:
    """site/index.html: the first page, from the root of the site."""
    if error is None:
        page = '<!doctype html><meta charset="utf-8"><title>impactgrad</title>\n'
        page += '<meta http-equiv="refresh" content="0; url=docs/index.html">\n'
        page += '<a href="docs/index.html">impactgrad: the documentation</a>\n'
        (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")  # type: ignore[attr-defined]


def setup(app: object) -> None:
    """Check MathJax is vendored (by docs/build_site.py), save the Explorer page, redirect at the end."""
    if not (STATIC / mathjax_path).exists():
        raise RuntimeError(f"no {STATIC / mathjax_path}: build with `make docs` (docs/build_site.py)")
    app.connect("autodoc-process-docstring", plain_docstring)  # type: ignore[attr-defined]
    app.connect("builder-inited", save_explorer)  # type: ignore[attr-defined]
    app.connect("build-finished", redirect_index)  # type: ignore[attr-defined]


