"""The README stays in step with the code: its op table is the rules' table, its tour pastes into a plain
`python` prompt, and it names no function that does not exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from autograd.rules import MANY, RULES

README = Path(__file__).resolve().parent.parent / "README.md"
EXACT = {"+", "sum", "-", "*", "/", "**", "neg", "abs", "relu", "leaky_relu"}


def op_table() -> str:
    """The README's op table, made from autograd.rules."""
    lines = ["| op | Value method | value | ∂/∂x | ∂/∂y | exact on Fractions |", "|---|---|---|---|---|---|"]
    for rule in RULES.values():
        method = (rule.method or "").replace("_leaky_relu", "leaky_relu(slope)")
        if rule.arity == MANY:
            cells = [f"`{rule.name}`", f"`autograd.{method}(terms)`", f"`{rule.forward}`, term after term",
                     f"`{rule.dx}` for each term", "—", "yes"]
            lines.append(f"| {' | '.join(cells)} |")
            continue
        exact = "yes" if rule.name in EXACT else "sqrt of squares" if rule.name == "sqrt" else "float"
        if rule.name == "**":
            exact = "integer exponent"
        lines.append(
            f"| `{rule.name}` | `{method}` | `{rule.forward}` | `{rule.dx}` | "
            f"{'`' + rule.dy + '`' if rule.dy else '—'} | {exact} |"
        )
    return "\n".join(lines)


def test_the_readme_op_table_is_the_rules_table() -> None:
    text = README.read_text()
    start = text.index("<!-- op table")
    body = text[text.index("\n", start) + 1 : text.index("<!-- end of op table")].strip()
    assert body == op_table(), "regenerate: python -c 'import test_readme; print(test_readme.op_table())'"


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
