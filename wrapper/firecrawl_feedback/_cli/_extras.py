"""The ``[cli]`` extras: ``batch`` and ``demo`` need them, a bare install lacks them."""

from __future__ import annotations

import importlib.util
from typing import Final

#: Modules of the ``cli`` extra (tqdm: the progress bar; aiolimiter, the rate limit, is a
#: runtime dependency since the background sender uses it too).
CLI_EXTRAS: Final = ("tqdm",)
INSTALL_HINT: Final = 'pip install "firecrawl-feedback[cli]"'


def missing_extras() -> list[str]:
    """The extra modules that cannot be imported (found without importing them)."""
    missing = []
    for name in CLI_EXTRAS:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a broken or blocked install
            found = False
        if not found:
            missing.append(name)
    return missing


def missing_extras_message(command: str) -> str | None:
    """One line saying what to install, or None when everything is there."""
    missing = missing_extras()
    if not missing:
        return None
    return (
        f"error: the {command} command needs {', '.join(missing)}, "
        f"which a plain install lacks: {INSTALL_HINT}"
    )
