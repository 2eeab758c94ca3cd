"""The documentation site in a real browser: every page that docs/build_site.py makes, opened from file://.

No request leaves the site (anything but file: and data: is blocked and counted), none fails, no console
error; math is typeset by the local MathJax; every internal link and anchor resolves; the Explorer
embedded in the guide steps to the end. Screenshots of a few pages go to out/screenshots/docs_*.png.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import screenshot

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "out" / "screenshots"
SHOTS = {
    "index.html": "docs_index.png",
    "docs/guide/nn.html": "docs_guide_nn.png",
    "notebooks/03_the_example.html": "docs_notebook_03.png",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built afresh as `make docs` builds it."""
    target = tmp_path_factory.mktemp("docs") / "site"
    subprocess.run([sys.executable, str(ROOT / "docs" / "build_site.py"), str(target)], check=True, cwd=ROOT)
    return target


class Links(HTMLParser):
    """The ids of a page and the URLs it refers to (href and src)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.urls.append(value)


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def ids(page: Path) -> set[str]:
    return parse(page).ids


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_site_has_its_pages(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    expected = {"index.html", "docs/index.html", "docs/getting-started.html", "docs/api/autograd.html",
                "docs/api/nn.html", "docs/guide/explorer.html", "_static/explorer/example.html"}
    notebooks = {f"notebooks/{nb.stem}.html" for nb in (ROOT / "notebooks").glob("*.ipynb")}
    assert expected | notebooks <= names and len(notebooks) >= 10


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    for page in pages(site):
        for url in parse(page).urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue  # a link out of the site (the series, PyPI): followed by nobody here
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {url}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
                broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    assert broken == []


class Opened:
    """A page opened from file:// that blocks and counts every other request, and records errors."""

    def __init__(self, browser: Browser, path: Path) -> None:
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 1400})
        self.page: Page = self.context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri(), wait_until="load")

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


def typeset(page: Page) -> tuple[int, int, int]:
    """Wait for MathJax (if the page has math): (math elements, typeset ones, typesetting errors)."""
    if page.locator(".math").count() == 0:
        return 0, 0, 0
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    return (
        page.locator(".math").count(),
        page.locator(".math:has(mjx-container)").count(),
        page.locator("mjx-merror").count(),
    )


def test_every_page_opens_offline_without_error_with_its_math_typeset(site: Path, browser: Browser) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems, with_math = [], 0
    for path in pages(site):
        name = path.relative_to(site).as_posix()
        opened = Opened(browser, path)
        n, done, errors = typeset(opened.page)
        with_math += n > 0
        if name in SHOTS:
            screenshot(opened.page, SCREENSHOTS / SHOTS[name])
        opened.close()
        found = (opened.outside, opened.failed, opened.errors, done < n, errors)
        if any(found):
            problems.append((name, *found))
    assert problems == []
    assert with_math >= 5  # the guide's formulas and the notebooks' markdown


def test_the_embedded_explorer_steps_to_the_end(site: Path, browser: Browser) -> None:
    opened = Opened(browser, site / "docs" / "guide" / "explorer.html")
    frame = opened.page.frame_locator("iframe")
    step = frame.get_by_role("button", name="Step", exact=True)
    nodes = frame.locator("[data-node]")
    nodes.first.wait_for(state="attached")
    n = nodes.count()
    for _ in range(2 * n):
        step.click()
    assert step.is_disabled() and frame.locator('[data-role="phase"]').inner_text() == "backward"
    assert frame.locator("[data-node][data-data][data-grad]").count() == n > 10
    opened.page.locator("iframe").scroll_into_view_if_needed()
    screenshot(opened.page, SCREENSHOTS / "docs_explorer.png")
    opened.close()
    assert (opened.outside, opened.failed, opened.errors) == ([], [], [])
