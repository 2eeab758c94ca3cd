"""The saved Explorer page in a real browser: headless Chromium driven by Playwright, opened from file://.

Every request that is not file: or data: is blocked and counted (must be 0); any console error fails.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from autograd import Value, explore, grad, topological_order
from tests.browser import screenshot
from tests.example_graphs import neuron

SCREENSHOTS = Path(__file__).parent.parent / "out" / "screenshots"


class Opened:
    """A page opened from file:// that counts network requests and console errors."""

    def __init__(self, browser: Browser, path: Path) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page: Page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("[data-node]", state="attached")

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def button(self, name: str):  # type: ignore[no-untyped-def]
        return self.page.get_by_role("button", name=name, exact=True)

    def step(self, times: int = 1) -> None:
        """Press Step `times` times: a mouse click, or Enter once the button has the focus (faster)."""
        for _ in range(times):
            if self.page.evaluate("document.activeElement.textContent") == "Step":
                self.page.keyboard.press("Enter")
            else:
                self.button("Step").click()

    def attrs(self, name: str) -> dict[int, str]:
        """data-node -> the attribute `name` of every node that carries it."""
        pairs = self.page.eval_on_selector_all(
            f"[data-node][{name}]", f"els => els.map(e => [e.dataset.node, e.getAttribute('{name}')])"
        )
        return {int(k): v for k, v in pairs}

    def text(self, role: str) -> str:
        return self.page.locator(f'[data-role="{role}"]').inner_text()

    def close(self) -> None:
        self.context.close()
        assert self.blocked == [], f"network requests: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture
def open_page(browser: Browser) -> Iterator:  # type: ignore[type-arg]
    opened: list[Opened] = []

    def open_(path: Path) -> Opened:
        opened.append(Opened(browser, path))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()


def as_float(text: str) -> float:
    return float(text)  # float() reads NaN, Infinity and -Infinity as JavaScript writes them


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def check_all_steps(page: Opened, out: Value, every: int = 1) -> None:
    """Each Step reveals exactly one node: data in topological order, then grads in reverse.

    The revealed nodes are compared after every `every`-th step and at the end of each pass.
    """
    order = topological_order(out)
    grads = grad(out, order)
    n = len(order)
    for k in range(n):
        page.step()
        if k % every == 0 or k == n - 1:
            assert set(page.attrs("data-data")) == set(range(k + 1))
    assert page.text("phase") == "forward" and page.attrs("data-grad") == {}
    for k in reversed(range(n)):
        page.step()
        if k % every == 0:
            assert set(page.attrs("data-grad")) == set(range(k, n))
            assert page.text("phase") == "backward"
    assert page.button("Step").is_disabled()
    data, grads_shown = page.attrs("data-data"), page.attrs("data-grad")
    for k, node in enumerate(order):
        assert same(as_float(data[k]), float(node.data)), (k, data[k], node.data)
        assert same(as_float(grads_shown[k]), float(grads[k])), (k, grads_shown[k], grads[k])


def test_the_controls_are_buttons_named_step_back_and_reset(tmp_path, open_page) -> None:
    *_, loss = neuron()
    page = open_page(explore(loss).save(tmp_path / "page.html"))
    names = page.page.eval_on_selector_all("button", "els => els.map(e => e.textContent.trim())")
    for word in ("Step", "Back", "Reset"):
        assert page.button(word).count() == 1
        assert sum(word.lower() in name.lower() for name in names) == 1
    assert page.button("Back").is_disabled() and page.text("phase") == "forward"
    assert len(page.attrs("data-node")) == len(topological_order(loss))
    assert page.attrs("data-data") == {} and page.attrs("data-grad") == {}


def test_stepping_to_the_end_shows_every_data_and_grad_of_the_python_graph(tmp_path, open_page) -> None:
    *_, loss = neuron()
    before = [(v.data, v.grad) for v in topological_order(loss)]
    page = open_page(explore(loss).save(tmp_path / "page.html"))
    check_all_steps(page, loss)
    assert [(v.data, v.grad) for v in topological_order(loss)] == before  # nothing changed in Python


def test_the_formula_panel_fills_the_numbers_in(tmp_path, open_page) -> None:
    w, x, loss = neuron()
    order = topological_order(loss)
    page = open_page(explore(loss).save(tmp_path / "page.html"))
    product = next(v for v in order if v.op == "*" and v.parents == (w, x))
    page.step(order.index(product) + 1)
    assert page.text("formula") == "w·x = 3 · 2 = 6"
    page.step(2 * len(order) - order.index(w) - (order.index(product) + 1))  # to w's backward step
    assert page.text("formula") == "δw = x · δ(w·x) = 2 · 6 = 12"


def test_back_undoes_one_step_and_reset_returns_to_the_start(tmp_path, open_page) -> None:
    *_, loss = neuron()
    n = len(topological_order(loss))
    page = open_page(explore(loss).save(tmp_path / "page.html"))
    first = page.text("formula")
    page.step(n + 2)
    grads = page.attrs("data-grad")
    page.button("Back").click()
    assert len(page.attrs("data-grad")) == len(grads) - 1 and len(page.attrs("data-data")) == n
    page.step()
    assert page.attrs("data-grad") == grads
    page.step(n - 2)
    assert page.button("Step").is_disabled()
    page.button("Back").click()
    assert not page.button("Step").is_disabled()
    page.button("Reset").click()
    assert page.attrs("data-data") == {} and page.attrs("data-grad") == {}
    assert page.text("formula") == first and page.button("Back").is_disabled()


def test_wrt_highlights_its_paths_and_sums_their_products(tmp_path, open_page) -> None:
    w, _, loss = neuron()
    order = topological_order(loss)
    page = open_page(explore(loss, wrt=w).save(tmp_path / "page.html"))
    on_path = {k for k, v in enumerate(order) if v.op or v is w}  # every op node leads from w here
    assert set(page.attrs("data-path")) == on_path and set(page.attrs("data-path").values()) == {"true"}
    page.step(2 * len(order))
    formula = page.text("formula")
    assert "∂loss/∂w = x · 2·(o - 1) · 0.5" in formula and "= 2 · 12 · 0.5" in formula
    assert formula.rstrip().endswith("= 12")


def test_nan_and_infinity_are_written_as_javascript_writes_them(tmp_path, open_page) -> None:
    big, tiny = Value(1e308, "big"), Value(1e-7, "tiny")
    inf = big * 10.0
    out = (inf - inf) + tiny * -inf
    page = open_page(explore(out).save(tmp_path / "page.html"))
    check_all_steps(page, out)
    data = page.attrs("data-data")
    order = topological_order(out)
    assert data[order.index(tiny)] == "1e-7" and data[order.index(inf)] == "Infinity"
    assert data[len(order) - 1] == "NaN" and "-Infinity" in data.values()


def test_the_quiz_hides_the_next_value_until_the_learner_answers(tmp_path, open_page) -> None:
    *_, loss = neuron()
    order = topological_order(loss)
    page = open_page(explore(loss, quiz=True).save(tmp_path / "page.html"))
    answer = page.page.locator('[data-role="answer"]')
    assert page.page.locator('[data-role="quiz"]').is_checked()
    assert page.text("quiz-question") == f"data of {order[0].label} =" and page.attrs("data-data") == {}
    for typo in ("", "abc", "1/2/3"):  # not a number: the same question again, nothing revealed
        answer.fill(typo)
        page.button("Answer").click()
        assert page.text("verdict").startswith("type a number") and page.attrs("data-data") == {}
    answer.fill("12345")
    page.button("Answer").click()
    verdict = f"✗ no: data of {order[0].label} = {order[0].data:g}"
    assert page.text("verdict") == verdict and set(page.attrs("data-data")) == {0}
    assert page.text("quiz-question") == f"data of {order[1].label} ="
    answer.fill(str(order[1].data))
    page.button("Answer").click()
    assert page.text("verdict").startswith("✓ right: data of ") and set(page.attrs("data-data")) == {0, 1}
    page.page.locator('[data-role="quiz"]').uncheck()
    assert page.page.locator('[data-role="quiz-form"]').is_hidden()
    assert explore(loss).quiz is False


def test_an_edge_shows_its_local_derivative_once_its_child_is_computed(tmp_path, open_page) -> None:
    out = Value(3.0, label="w") * Value(2.0, label="x")  # ∂out/∂w = x = 2, ∂out/∂x = w = 3
    page = open_page(explore(out, quiz=True).save(tmp_path / "page.html"))

    def labels() -> list[str]:
        return sorted(page.page.eval_on_selector_all("g.edge text", "els => els.map(e => e.textContent)"))

    assert labels() == ["?", "?"]  # else an edge would tell the quiz's answer (x's data) in advance
    page.button("Step").click()
    page.button("Step").click()
    assert labels() == ["?", "?"] and len(page.attrs("data-data")) == 2
    page.button("Step").click()  # w·x computed: its local derivatives are taken
    assert labels() == ["2", "3"]
    page.button("Back").click()
    assert labels() == ["?", "?"]


def test_the_quiz_takes_a_fraction_for_exact_data(tmp_path, open_page) -> None:
    x = Value(Fraction(1, 5800), "x")
    y = x * 3
    y.label = "y"
    page = open_page(explore(y, quiz=True).save(tmp_path / "page.html"))
    page.page.locator('[data-role="answer"]').fill("1/5800")
    page.button("Answer").click()
    assert page.text("verdict") == "✓ right: data of x = 1/5800"  # in the node's kind
    page.page.locator('[data-role="answer"]').fill("3/5800")
    page.button("Answer").click()
    assert page.text("verdict") == "✓ right: data of y = 3/5800"
    assert page.text("formula") == "y = x·3 = 1/5800 · 3 = 3/5800"


def test_the_quiz_answers_15_29_in_the_node_s_kind_and_names_nodes_as_the_series(tmp_path, open_page) -> None:
    """An exact answer is shown as the fraction it is, a float to 4 digits; labels typeset (w²ʼ¹₃)."""
    w = Value(Fraction(15, 29), "w^{2,1}_3")
    o = Value(2.0, "o^1_3") * w
    o.label = "o^2_1"
    page = open_page(explore(o, quiz=True).save(tmp_path / "page.html"))
    answer = page.page.locator('[data-role="answer"]')
    assert page.text("quiz-question") == "data of w²ʼ¹₃ ="
    answer.fill("0.5")
    page.button("Answer").click()
    assert page.text("verdict") == "✗ no: data of w²ʼ¹₃ = 15/29"
    answer.fill("2")
    page.button("Answer").click()
    answer.fill("1.034")
    page.button("Answer").click()
    assert page.text("verdict") == "✓ right: data of o²₁ = 1.034"
    text = page.page.inner_text("body") + page.page.inner_html(".ig-graph")
    assert "w²ʼ¹₃" in text and "^{" not in text and "_{" not in text


def test_a_250_node_graph_steps_to_the_end(tmp_path, open_page) -> None:
    rng = random.Random(13)
    nodes = [Value(rng.uniform(-1, 1), f"x{i}") for i in range(20)]
    while len(topological_order(nodes[-1])) < 250 or len(nodes) < 21:
        a, b = rng.sample(nodes[-30:], 2)
        nodes.append(rng.choice([a * b, a + b, (a - b).tanh(), (a * 0.5).sigmoid()]))
    out = nodes[-1]
    assert len(topological_order(out)) >= 250
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(explore(out).save(tmp_path / "page.html"))
    check_all_steps(page, out, every=25)
    # too wide for the page: drawn at its natural size (legible), scrolled, not shrunk to fit
    assert page.page.evaluate("document.querySelector('.ig-graph svg').classList.contains('ig-wide')")
    screenshot(page.page, SCREENSHOTS / "explorer_250_nodes.png", full_page=True)


def test_a_screenshot_of_the_example_is_kept_for_a_person_to_look_at(open_page) -> None:
    w, _, loss = neuron()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(explore(loss, wrt=w).save(SCREENSHOTS / "explorer.html"))
    page.step(len(topological_order(loss)) + 6)
    shot = SCREENSHOTS / "explorer.png"
    screenshot(page.page, shot, full_page=True)
    assert shot.stat().st_size > 10_000


HOSTILE_LABELS = [
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(4)>',
    "<!--<script>",
    "</script><script>alert(2)</script>",
    "${alert(3)}`",
    "&lt;b&gt; &amp; ]]> <![CDATA[",
    "{a|<b>} \\l",
]


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels_on_every_node_and_on_wrt_stay_text(tmp_path, browser, label) -> None:
    w, x = Value(3.0, label=label), Value(2.0, label=label)
    out = w * x + 1
    for k, node in enumerate(topological_order(out)):
        node.label = f"{label}{k}" if node.op else node.label
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = Opened(browser, explore(out, wrt=x).save(tmp_path / "page.html", title=label))
    dialogs: list[str] = []
    page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.page.reload()
    page.page.wait_for_selector("[data-node]", state="attached")
    injected = "#ig-root img, #ig-root script, #ig-root iframe, [onload], [onerror], body > svg"
    assert page.page.locator(injected).count() == 0
    assert page.page.locator("script").count() == 2  # the page's state and module, no more
    assert label in page.page.locator(".ig-legend").inner_text()
    assert page.page.title() == label
    check_all_steps(page, out)
    assert label in page.text("formula")
    screenshot(page.page, SCREENSHOTS / f"hostile-{HOSTILE_LABELS.index(label)}.png")
    page.close()
    assert dialogs == []
