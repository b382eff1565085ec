"""Field paths as users write them: ``valuable_sources[2].url``.

The server and the generated models speak camelCase (``valuableSources``);
messages name fields the way the Python API spells its arguments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def python_name(wire_name: str) -> str:
    """``valuableSources`` -> ``valuable_sources``."""
    return _CAMEL_BOUNDARY.sub("_", wire_name).lower()


def render(path: Iterable[str | int]) -> str:
    """``["valuableSources", 2, "url"]`` -> ``valuable_sources[2].url``; empty -> ``body``."""
    out = ""
    for part in path:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + python_name(str(part))
    return out or "body"
