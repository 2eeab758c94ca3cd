"""Explorer: the anywidget that steps through a graph, and `save(path)`: the same module in one HTML page."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from autograd.files import write_atomically

HERE = Path(__file__).parent
ESM = (HERE / "explorer.js").read_text(encoding="utf-8")
CSS = (HERE / "explorer.css").read_text(encoding="utf-8")

# The page runs the widget's module as it is, then calls its render() with a model that reads the
# state from the page: model.get, and set/save_changes/on that the page needs no Python for.
BOOT = """
const state = JSON.parse(document.getElementById("ig-state").textContent);
const listeners = {};
const model = {
  get: (key) => state[key],
  set: (key, value) => { state[key] = value; },
  save_changes: () => {},
  on: (event, callback) => { (listeners[event] ||= []).push(callback); },
};
render({ model, el: document.getElementById("ig-root") });
"""


class Explorer(anywidget.AnyWidget):
    """The graph of one output, stepped with Step / Back / Reset: data in the forward pass, then grads."""

    _esm = ESM
    _css = CSS
    graph = traitlets.Dict().tag(sync=True)
    quiz = traitlets.Bool(False).tag(sync=True)
    picture = traitlets.Any(None)  # the finished graph (a Picture): stays in Python, never synced

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget, and beside it the static picture (SVG and PNG) that GitHub and nbconvert show."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None or self.picture is None:
            return bundle
        data, metadata = bundle
        return {**self.picture._repr_mimebundle_(), **data}, metadata

    def page(self, title: str = "impactgrad Explorer") -> str:
        """One self-contained HTML page: the widget's module, its style, the state and the SVG inline."""
        state = json.dumps({"graph": self.graph, "quiz": self.quiz}, ensure_ascii=False)
        for char in "<>&":  # inside <script>, "</script>" or "<!--" from a label would end or hide it
            state = state.replace(char, f"\\u{ord(char):04x}")
        return (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
            f'<h1 style="font: bold 16px Helvetica, Arial, sans-serif">{html.escape(title)}</h1>\n'
            '<div id="ig-root"></div>\n'
            f'<script type="application/json" id="ig-state">{state}</script>\n'
            f'<script type="module">\n{ESM}\n{BOOT}</script>\n</body>\n</html>\n'
        )

    def save(self, path: str | os.PathLike[str], title: str = "impactgrad Explorer") -> Path:
        """Write the page to `path` (whole or not at all: through a temporary file) and return the path."""
        return write_atomically(path, self.page(title), make_folders=True)

    def __repr__(self) -> str:
        return f"Explorer({len(self.graph.get('nodes', []))} nodes, quiz={self.quiz})"
