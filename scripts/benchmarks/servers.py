"""Start the minimal server in its own process (so it does not share the client's GIL)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parent / "minimal_server.py"


@contextlib.contextmanager
def minimal_server() -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:PORT) of a fresh minimal server."""
    process = subprocess.Popen([sys.executable, str(_SCRIPT)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None  # noqa: S101 (piped above)
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait()
