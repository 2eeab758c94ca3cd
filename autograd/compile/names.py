"""The names of the generated code: made from labels where a label allows, always safe and unique.

A label is user text: it only ever becomes a name through `identifier` (letters, digits and _ that
Python reads as one identifier, in the NFKC form Python itself reads it in), and a name is only handed
out once by `Namer.fresh`, which also keeps clear of the names the code itself uses (keywords,
builtins, the kinds' functions, values, seed, ...). Names made here never start with `_` nor `δ`:
`_`-names are the generated code's own (registers, chunks), `δ`-names the learning flow's (δ + a name).
"""

from __future__ import annotations

import builtins
import keyword
import unicodedata
from collections.abc import Iterable

MAX_LENGTH = 40  # a longer label gives a name cut to this many characters


def identifier(label: str | None) -> str:
    """A Python name for a label: W[0][1] -> W_0_1, w²₁ -> w2_1, ｘ -> x, δx -> nδx; '' if none is left."""
    if not label:
        return ""
    out: list[str] = []
    for ch in label[: 4 * MAX_LENGTH]:
        plain = unicodedata.normalize("NFKC", ch)
        if plain.isdigit():
            out.append(("_" if "SUBSCRIPT" in unicodedata.name(ch, "") else "") + plain)
        elif ("_" + plain).isidentifier():
            out.append(plain)
        else:
            out.append("_")
    name = "_".join(part for part in "".join(out).split("_") if part)  # no _ at either end, none doubled
    name = unicodedata.normalize("NFKC", name)[:MAX_LENGTH].rstrip("_")
    if name and (name[0].isdigit() or name[0] == "δ"):
        name = "n" + name
    return name if _stable(name) and _stable("δ" + name) else ""


def _stable(name: str) -> bool:
    """Whether Python reads `name` as the identifier it is, character for character (NFKC)."""
    return name.isidentifier() and unicodedata.normalize("NFKC", name) == name


class Namer:
    """Hands out each name once: `fresh("x")` is x, then x_2, x_3, ... (in time linear in the names)."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self.used = {*reserved, *keyword.kwlist, *keyword.softkwlist, *dir(builtins)}
        self.next: dict[str, int] = {}

    def fresh(self, name: str) -> str:
        """`name` if it is free, else the first free name_2, name_3, ...; marked as taken."""
        if name in self.used:
            n = self.next.get(name, 2)
            while f"{name}_{n}" in self.used:
                n += 1
            self.next[name] = n + 1
            name = f"{name}_{n}"
        self.used.add(name)
        return name
