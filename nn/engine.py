"""The engine nn is built on: impactgrad's `autograd`, which must not be shadowed by another package.

`autograd` is also the name of another package on PyPI (HIPS autograd). Installed in the same environment,
it can be the one `import autograd` finds, and nn would then fail with a puzzling message: refuse at once,
saying which file was found and what to do.
"""

from __future__ import annotations

from pathlib import Path

import autograd

HOME = Path(__file__).resolve().parent.parent  # nn and its autograd are installed side by side


def check(engine: object = autograd) -> None:
    """Raise an ImportError naming the culprit if `engine` is not the autograd beside nn (impactgrad's)."""
    found = getattr(engine, "__file__", None)
    if found is None or Path(found).resolve().parent.parent != HOME:
        raise ImportError(
            f"`import autograd` found {found or engine!r}, not impactgrad's autograd (in {HOME}): another "
            "package named autograd (HIPS autograd?) shadows it. Use a virtual environment for impactgrad "
            "(`make demo` makes .venv), or `pip uninstall autograd` there."
        )


check()
