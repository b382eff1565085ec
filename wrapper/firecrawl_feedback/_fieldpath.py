"""Field paths as the caller wrote them.

The server and the generated models speak camelCase (``valuableSources``).
Keyword-argument calls name fields the way the Python API spells its
arguments (``valuable_sources[2].url``); wire-form bodies (camelCase JSON, a
batch line) keep the body's own keys (``valuableSources[2].url``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_CAMEL_BOUNDARY = r"(?<=[a-z0-9])(?=[A-Z])"  # compiled on first use (re's cache)


def python_name(wire_name: str) -> str:
    """``valuableSources`` -> ``valuable_sources``."""
    return re.sub(_CAMEL_BOUNDARY, "_", wire_name).lower()


def render(path: Iterable[str | int]) -> str:
    """``["valuableSources", 2, "url"]`` -> ``valuable_sources[2].url``; empty -> ``body``."""
    return _join(path, python_name)


def render_wire(path: Iterable[str | int]) -> str:
    """``["valuableSources", 2, "url"]`` -> ``valuableSources[2].url``; empty -> ``body``."""
    return _join(path, str)


def _join(path: Iterable[str | int], name: Callable[[str], str]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) or part.isdigit():
            out += f"[{part}]"
        else:
            out += ("." if out else "") + name(part)
    return out or "body"


def unexpected_argument(where: str, name: str, known: Iterable[str]) -> TypeError:
    """Python's TypeError for an unknown keyword argument, with a "did you mean"."""
    meant = suggest(name, known)
    hint = f"; did you mean {meant!r}?" if meant is not None else ""
    return TypeError(f"{where}got an unexpected keyword argument {name!r}{hint}")


def _folded(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def suggest(key: str, known: Iterable[str]) -> str | None:
    """The known wire key ``key`` was probably meant to be (``job_id`` -> ``jobId``), if any."""
    # Snake case and other spellings of a known key: the Python names come from
    # the same wire names, so the two can never drift apart.
    spellings: dict[str, str] = {}
    for wire in known:
        spellings.setdefault(_folded(wire), wire)
        spellings.setdefault(python_name(wire), wire)
    exact = spellings.get(_folded(key))
    if exact is not None:
        return exact
    import difflib  # noqa: PLC0415 (only a misspelt key needs it; not at import)

    close = difflib.get_close_matches(key.lower(), list(spellings), n=1, cutoff=0.75)
    return spellings[close[0]] if close else None
