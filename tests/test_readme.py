"""The README stays in step with the code: its op table is the rules' table, its tour pastes into a plain
`python` prompt, and it names no function that does not exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from autograd import _generate

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_op_table_is_the_registrys() -> None:
    """README's op table is what `python -m autograd._generate` writes from autograd.rules.OPS."""
    text = README.read_text(encoding="utf-8")
    assert _generate.readme(text) == text, "stale op table: run python -m autograd._generate"
    for name in _generate.OPS:
        assert f"| `{name}` |" in text


def tour() -> str:
    """The first python block under the "A tour" heading."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index("## A tour") :]
    return re.search(r"```python\n(.*?)```", after, re.S).group(1)


def test_the_tour_pastes_into_a_plain_python_prompt() -> None:
    done = subprocess.run(
        [sys.executable, "-i", "-q"], input=tour(), capture_output=True, text=True, timeout=60, check=False
    )
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "(12.0, 18.0)" in done.stdout
    assert "<Picture: a graphviz drawing, shown inline in Jupyter" in done.stdout


def test_the_readme_names_no_missing_function() -> None:
    import autograd

    text = README.read_text(encoding="utf-8")
    assert "or `zero_grad()`" not in text and not hasattr(autograd, "zero_grad")
