"""Build the documentation site: `python docs/build_site.py site` (what `make docs` runs).

Vendors MathJax from the npm registry into build/docs-static (once: `npm pack`, pinned, its SHA-256
checked), runs Sphinx from the repository's root into build/docs (afresh, -E: an incremental build
watches neither the docstrings' processing nor conf.py's hooks), then copies the pages to the target
folder, which opens from disk (file://) with no request outside it.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "docs"
STATIC = ROOT / "build" / "docs-static"  # html_static_path: MathJax and the Explorer page (see conf.py)
MATHJAX = "mathjax@3.2.2"
MATHJAX_FILES = {  # name in the npm package -> SHA-256 (None: not checked)
    "package/es5/tex-svg-full.js": "a4354ff94fd868aea0cc6eaaa79a57fda0588646fc46ee3700a349ee0a11cbe6",
    "package/LICENSE": None,  # Apache-2.0: shipped beside the script
}


def vendor_mathjax(target: Path) -> None:
    """Fetch MATHJAX with npm and copy its files into target, the script only if its SHA-256 matches.

    MathJax 3's SVG output carries its glyphs inside the script: no web font to load (Chromium refuses
    fonts across file:// pages), and the full build loads no extension later.
    """
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("the documentation needs npm to fetch MathJax: apt-get install npm (or brew install node)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", MATHJAX, "--silent", "--pack-destination", tmp], check=True,
                       stdout=subprocess.DEVNULL)
        (tarball,) = Path(tmp).glob("*.tgz")
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            for name, digest in MATHJAX_FILES.items():
                member = archive.extractfile(name)
                data = member.read() if member else b""
                if digest is not None and hashlib.sha256(data).hexdigest() != digest:
                    sys.exit(f"{MATHJAX}: {name} does not have the SHA-256 {digest}")
                (target / Path(name).name).write_bytes(data)


def build(site: Path) -> None:
    """Vendor MathJax if needed, build the pages with Sphinx (warnings are errors), copy them to site."""
    if not (STATIC / "mathjax" / "tex-svg-full.js").exists():
        vendor_mathjax(STATIC / "mathjax")
    sphinx = [sys.executable, "-m", "sphinx", "-q", "-E", "-W", "--keep-going", "-b", "html"]
    folders = ["-c", str(ROOT / "docs"), "-d", str(BUILD / "doctrees"), str(ROOT), str(BUILD / "html")]
    subprocess.run([*sphinx, *folders], check=True)
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(BUILD / "html", site)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    build(target)
    print(f"The documentation: {target / 'index.html'} (open it from disk)")
