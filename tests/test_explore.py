"""autograd.explore: the Explorer's state (data, grads, formulas), the widget, and the saved page."""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import anywidget
import pytest

from autograd import Value, explore, grad, record_groups, topological_order
from autograd.explore import steps, walkthrough
from autograd.explore.steps import js_number
from autograd.explore.widget import ESM, Explorer
from nn import MLP, half_squared_error
from tests.example_graphs import neuron

JS = Path(steps.__file__).with_name("explorer.js")


def test_each_node_carries_its_data_grad_and_formulas_in_topological_order() -> None:
    *_, loss = neuron()
    order = topological_order(loss)
    state = walkthrough(loss)
    assert [float(n["data"]) for n in state["nodes"]] == [v.data for v in order]
    assert [float(n["grad"]) for n in state["nodes"]] == grad(loss, order)
    by_name = {n["name"]: n for n in state["nodes"]}
    assert by_name["w·x"]["forward"] == "w·x = 3 · 2 = 6"
    assert by_name["w"]["backward"] == "δw = x · δ(w·x) = 2 · 6 = 12"
    assert by_name["o"]["forward"] == "o = w·x + b = 6 + 1 = 7"
    assert by_name["loss"]["backward"] == "δloss = 1 (the seed: ∂loss/∂loss)"
    assert by_name["w"]["forward"] == "w = 3"
    assert state["wrt"] is None and state["paths"] == "" and not any(n["path"] for n in state["nodes"])


def test_constants_are_read_back_into_the_formulas() -> None:
    x = Value(Fraction(3), "x")
    ys = {"x + 2": x + 2, "5 - x": 5 - x, "x·4": x * 4, "x / 2": x / 2, "6 / x": 6 / x, "x^3": x**3}
    for name, y in ys.items():
        (node,) = [n for n in walkthrough(y)["nodes"] if n["name"] != "x"]
        assert node["name"] == name, node
    assert walkthrough(ys["x^3"])["nodes"][-1]["forward"] == "x^3 = 3 ^ 3 = 27"


def test_the_explorer_changes_no_data_and_no_grad() -> None:
    w, _, loss = neuron()
    loss.backward()
    loss.backward()  # leaves accumulate: w.grad = 24
    before = [(v.data, v.grad) for v in topological_order(loss)]
    state = walkthrough(loss, wrt=w)
    assert [(v.data, v.grad) for v in topological_order(loss)] == before
    assert w.grad == 24 and float(state["nodes"][topological_order(loss).index(w)]["grad"]) == 12


def test_wrt_marks_its_paths_and_lists_their_products() -> None:
    w, x, loss = neuron()
    order = topological_order(loss)
    state = walkthrough(loss, wrt=w)
    on_path = {v for v, n in zip(order, state["nodes"]) if n["path"]}
    assert w in on_path and x not in on_path and loss in on_path
    assert state["wrt"] == order.index(w)
    assert state["paths"].splitlines()[0] == "∂loss/∂w = x · 2·(o - 1) · 0.5"
    assert 'stroke="#dc2626"' in state["svg"]


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1e-7, "1e-07"),
        (0.1, "0.1"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (Fraction(1, 3), repr(1 / 3)),
        (2.0, "2.0"),
    ],
)
def test_numbers_are_written_for_javascripts_number(x, text) -> None:
    assert js_number(x) == text
    assert float(text) == float(x) or math.isnan(float(x))


def test_the_state_is_plain_json_and_the_widget_is_an_anywidget() -> None:
    *_, loss = neuron()
    widget = explore(loss)
    assert isinstance(widget, Explorer) and isinstance(widget, anywidget.AnyWidget)
    assert json.loads(json.dumps(widget.graph)) == widget.graph
    assert widget.quiz is False and explore(loss, quiz=True).quiz is True
    assert widget._esm == JS.read_text(encoding="utf-8") == ESM
    assert "import " not in ESM and "fetch(" not in ESM and "http" not in ESM  # nothing from the network
    assert widget.graph["svg"].startswith("<svg") and 'id="n0"' in widget.graph["svg"]


def test_the_output_carries_a_static_picture_beside_the_widget() -> None:
    """A committed notebook shows the graph where widgets do not run (GitHub, nbconvert): SVG and PNG."""
    *_, loss = neuron()
    data, _ = explore(loss)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data and data["text/plain"].startswith("Explorer(")
    assert data["image/svg+xml"].lstrip().startswith("<?xml") and data["image/png"].startswith(b"\x89PNG")
    assert "picture" not in explore(loss).keys  # the picture is not sent to the browser's model


def test_save_writes_one_self_contained_page_with_the_widgets_module(tmp_path) -> None:
    *_, loss = neuron()
    path = explore(loss).save(tmp_path / "deep" / "page.html")
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "deep" / "page.html" and page.startswith("<!doctype html>")
    assert page.count(ESM) == 1  # the module itself, not a copy of its code
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert '<script type="application/json" id="ig-state">' in page
    assert "\\u003csvg" in page and "<svg" not in page  # the SVG is in the state: < is escaped in <script>
    assert [p.name for p in path.parent.iterdir()] == ["page.html"]  # no temporary file left


def test_save_writes_whole_or_not_at_all(tmp_path) -> None:
    *_, loss = neuron()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        explore(loss).save(blocker / "page.html")
    assert blocker.read_text() == "x"


def test_a_label_cannot_close_the_state_script(tmp_path) -> None:
    x = Value(1.0, "</script><script>alert(1)</script>")
    page = explore(x * 2.0).save(tmp_path / "page.html").read_text(encoding="utf-8")
    state = page.split('id="ig-state">')[1].split("</script>")[0]
    assert "alert" in state and json.loads(state)["graph"]["nodes"][0]["name"].startswith("</script>")


def test_bad_inputs_are_named() -> None:
    *_, loss = neuron()
    with pytest.raises(TypeError, match="not str"):
        explore("loss")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="wrt must be a Value"):
        explore(loss, wrt=3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not in the graph"):
        explore(loss, wrt=Value(1.0))
    with pytest.raises(TypeError, match="record_groups"):
        explore(loss, groups={})  # type: ignore[arg-type]


def test_a_graph_past_the_limit_is_refused(monkeypatch) -> None:
    *_, loss = neuron()
    monkeypatch.setattr(steps, "MAX_NODES", 5)
    with pytest.raises(ValueError, match=r"8 Values, more than the Explorer's 5.*collapse=True"):
        explore(loss)


def test_the_issues_mlp_is_explored_with_its_clusters() -> None:
    model = MLP(2, [16, 16, 1], seed=3)
    with record_groups() as groups:
        out = model([0.5, -1.0])
    loss = half_squared_error(out, [1.0])
    state = walkthrough(loss, wrt=model.parameters()[0], groups=groups)
    assert len(state["nodes"]) == len(topological_order(loss)) > 700
    assert state["svg"].count('class="cluster"') == 3 + 33 and "Linear(16→16)" in state["svg"]


def test_without_anywidget_explore_says_what_to_install(monkeypatch) -> None:
    *_, loss = neuron()
    monkeypatch.setitem(sys.modules, "anywidget", None)
    monkeypatch.delitem(sys.modules, "autograd.explore.widget")
    with pytest.raises(ImportError, match=r"pip install 'impactgrad\[notebook\]'"):
        explore(loss)


def test_a_minus_sign_reads_as_a_difference_in_the_backward_formula() -> None:
    x, y = Value(5.0, "x"), Value(2.0, "y")
    d = x - y
    d.label = "d"
    out = d * y
    out.label = "out"
    by_name = {n["name"]: n for n in walkthrough(out)["nodes"]}
    assert by_name["y"]["backward"] == "δy = -δd + d · δout = (-1) · 2 + 3 · 1 = 1"


def test_a_saved_page_is_readable_by_all_and_replaces_the_old_one(tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    target = tmp_path / "page.html"
    target.write_text("old")
    target.chmod(0o640)
    explore(x * x).save(target)  # an old file keeps its permissions
    assert target.stat().st_mode & 0o777 == 0o640 and target.read_text().startswith("<!doctype html>")
    new = explore(x * x).save(tmp_path / "sub" / "new.html")  # a new one is readable by all
    assert new.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["new.html", "page.html", "sub"]
