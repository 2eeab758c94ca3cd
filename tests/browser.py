"""Headless Chromium for the browser tests: Debian's `chromium` (or $CHROMIUM), driven by Playwright."""

from __future__ import annotations

import os
import shutil

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
