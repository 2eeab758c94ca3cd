"""The README stays in step with the code: its op table is the rules' table."""

from __future__ import annotations

from pathlib import Path

from autograd.rules import RULES

README = Path(__file__).resolve().parent.parent / "README.md"
EXACT = {"+", "-", "*", "/", "**", "neg", "abs", "relu", "leaky_relu"}


def op_table() -> str:
    """The README's op table, made from autograd.rules."""
    lines = ["| op | Value method | value | ∂/∂x | ∂/∂y | exact on Fractions |", "|---|---|---|---|---|---|"]
    for rule in RULES.values():
        method = (rule.method or "").replace("_leaky_relu", "leaky_relu(slope)")
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
