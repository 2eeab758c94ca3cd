"""The series' notation, one place: a label's typeset form, a number's, an op's, for every picture and page.

Labels are written as the series writes them, `w^{2,1}_3` (layer 2, neuron 1, input 3), `b^2_1`,
`ch^{1,2}_{0,0}`, `γ_{3,1}`: `^` then a braced group or a run of letters and digits is a superscript,
`_` the same a subscript. `typeset` turns a label into plain text with Unicode indices (w²ʼ¹₃): the one
form every picture (draw, nn.draw, the Explorer) and every text (explain, the Explorer's formulas)
shows. It is text, never markup: a picture or page escapes it as it escapes any other text.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["INFIX", "SUBSCRIPT", "SUPERSCRIPT", "latex_text", "number", "typeset"]

SUPERSCRIPT = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ,′' ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡʼ′′ ",
        strict=True,
    )
)
SUBSCRIPT = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvxβγρφχ,′' ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ,′′ ",
        strict=True,
    )
)
INFIX = {"+": "+", "-": "-", "*": "·", "/": "/", "**": "^"}  # the symbol of each binary op in formulas

_INDEX = re.compile(r"([\^_])(?:\{([^{}]*)\}|([^\W_]+))")


def typeset(label: str) -> str:
    """The label as the series prints it, in plain text: w^{2,1}_3 → w²ʼ¹₃, b^k_1 → bᵏ₁, o^{k-1}_2 → oᵏ⁻¹₂.

    An index with a character that has no Unicode superscript (or subscript) form keeps its marker
    and parentheses instead: y^{truth} → yᵗʳᵘᵗʰ but x_{bq} → x_(bq).
    """
    return _INDEX.sub(_index, label)


def _index(match: re.Match[str]) -> str:
    """One index group in Unicode super- or subscripts, or `^(…)` / `_(…)` when a character has none."""
    marker, braced, run = match.groups()
    text = braced if braced is not None else run
    forms = SUPERSCRIPT if marker == "^" else SUBSCRIPT
    if text and all(c in forms for c in text):
        return "".join(forms[c] for c in text)
    return f"{marker}({text})" if len(text) != 1 else marker + text


_LATEX_SPECIAL = {c: "\\" + c for c in "#$%&_{}"} | {
    "\\": r"\backslash ",
    "~": r"\sim ",
    "·": r" \cdot ",
    "∂": r"\partial ",
}


def latex_text(text: str) -> str:
    """Plain text (typeset names, numbers) as LaTeX that shows it as typed: · as \\cdot, ∂ as \\partial,
    LaTeX's special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def number(x: Any) -> str:
    """A number as a learner reads it: Fractions as 3/4, floats to 4 significant digits, sympy as is."""
    return f"{x:.4g}" if isinstance(x, float) else str(x)
