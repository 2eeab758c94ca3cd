"""Headless Chromium for the browser tests: Debian's `chromium` (or $CHROMIUM), driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The browser to drive: $CHROMIUM, else chromium or google-chrome on the PATH."""
    candidates = [
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("google-chrome"),
    ]
    return next((path for path in candidates if path and os.path.exists(path)), None)


def screenshot(page: Any, path: Path, full_page: bool = False) -> None:
    """page.screenshot, tried three times: on a loaded machine Chromium may answer `Unable to capture
    screenshot` once (the page is fine; the compositor was late)."""
    for attempt in range(3):
        try:
            page.screenshot(path=str(path), full_page=full_page)
            return
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(1000)
