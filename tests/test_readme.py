"""The README and the guide stay in step with the code: the op table is the rules' table, every python
block pastes into a plain `python` prompt and runs, every relative link leads to a file, and they name no
function that does not exist."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import _generate

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").rglob("*.md"))


@pytest.mark.parametrize("page", _generate.TABLE_PAGES, ids=lambda p: p.name)
def test_the_op_table_is_the_registrys(page: Path) -> None:
    """The op table is what `python -m autograd._generate` writes from autograd.rules.OPS."""
    text = page.read_text(encoding="utf-8")
    assert _generate.with_op_table(text) == text, "stale op table: run python -m autograd._generate"
    for name in _generate.OPS:
        assert f"| `{name}` |" in text


def python_blocks(page: Path) -> list[str]:
    """The ```python blocks of a markdown page, in order."""
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


BLOCKS = [(page, i) for page in [README, *PAGES] for i in range(len(python_blocks(page)))]


def paste(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Paste code into a plain interactive `python` prompt started in cwd, with this clone on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-i", "-q"], input=code, capture_output=True, text=True, timeout=120, check=False,
        cwd=cwd, env=env,
    )


@pytest.mark.parametrize(("page", "index"), BLOCKS, ids=[f"{p.relative_to(ROOT)}-{i}" for p, i in BLOCKS])
def test_every_python_block_runs_as_pasted(page: Path, index: int, tmp_path: Path) -> None:
    code = python_blocks(page)[index]
    if "import torch" in code and importlib.util.find_spec("torch") is None:
        pytest.skip("needs PyTorch: pip install 'impactgrad[torch]'")
    done = paste(code, tmp_path)
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def tour() -> str:
    """The first python block under the "A tour" heading of the README."""
    text = README.read_text(encoding="utf-8")
    return re.search(r"```python\n(.*?)```", text[text.index("## A tour") :], re.S).group(1)


def test_the_tour_prints_what_its_comments_say(tmp_path: Path) -> None:
    done = paste(tour(), tmp_path)
    assert "(12.0, 18.0)" in done.stdout
    assert "x -> * -> + -> relu -> - -> ** -> *: 3.0 · 1 · 1 · 1 · 12.0 · 0.5 = 18.0" in done.stdout
    assert "<Picture: a graphviz drawing, shown inline in Jupyter" in done.stdout


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))
    local = [link.split("#")[0] for link in links if "://" not in link and not link.startswith("#")]
    missing = [link for link in local if not (page.parent / link).exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_the_readme_is_at_most_200_lines_and_names_the_packages() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "`impactgrad`" in text and "`autograd`" in text and "`nn`" in text
    assert "virtual environment" in text and "https://jfreboud.github.io/" in text


def test_the_readme_names_no_missing_function() -> None:
    import autograd

    text = README.read_text(encoding="utf-8")
    assert "or `zero_grad()`" not in text and not hasattr(autograd, "zero_grad")
