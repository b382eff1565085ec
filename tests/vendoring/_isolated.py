"""Run code in a fresh interpreter where the original packages cannot be imported."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Installed first thing: a finder that refuses the original names, and a
# sys.path without the editable install's entries (wrapper/ and generated/).
_PRELUDE = """
import importlib.abc
import sys

HIDDEN = ("firecrawl_feedback", "firecrawl_feedback_api")


class _HideOriginals(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden)", name=name)
        return None


sys.meta_path.insert(0, _HideOriginals())
COPY_ROOT = sys.argv[1]
_editable = {sys.argv[2] + "/wrapper", sys.argv[2] + "/generated"}
sys.path[:] = [COPY_ROOT] + [p for p in sys.path if p and p.rstrip("/") not in _editable]
for _name in HIDDEN:
    try:
        __import__(_name)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit(f"{_name} is importable: the isolation failed")
"""

_EPILOGUE = """
_leaked = sorted(m for m in sys.modules if m.partition(".")[0] in HIDDEN)
assert not _leaked, _leaked
"""


def run_isolated(copy_root: Path, body: str) -> subprocess.CompletedProcess[str]:
    """``body`` run with ``-I`` (no PYTHONPATH, no cwd, no user site), the copy on sys.path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIRECRAWL_")}
    code = _PRELUDE + textwrap.dedent(body) + _EPILOGUE
    return subprocess.run(
        [sys.executable, "-I", "-c", code, str(copy_root), str(ROOT)],
        cwd=copy_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
