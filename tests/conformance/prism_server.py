"""Run Stoplight Prism (installed from tests/conformance/prism/package-lock.json) as a mock."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRISM_DIR = Path(__file__).resolve().parent / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / ("prism.cmd" if os.name == "nt" else "prism")
SPEC = ROOT / "openapi" / "feedback-api.json"
_STARTUP_SECONDS = 60.0


def missing_node() -> str | None:
    """Why Prism cannot run here, or None when node and npm are available."""
    for tool in ("node", "npm", "npx"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed: the Prism conformance tests need Node.js 20+"
    return None


def ensure_installed() -> None:
    """npm ci the locked Prism when it is missing or stale (the same step as dev.py test)."""
    from dev import ensure_prism

    ensure_prism()
    if not PRISM_BIN.exists():
        raise RuntimeError(f"Prism is not installed at {PRISM_BIN} (npm ci failed?)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Prism exited early:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"Prism did not listen within {_STARTUP_SECONDS} s")


@contextlib.contextmanager
def running_prism(log: Path) -> Iterator[str]:
    """Prism mocking the canonical spec, validating requests; yields its base URL."""
    port = _free_port()
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [str(PRISM_BIN), "mock", "--host", "127.0.0.1", "-p", str(port), "--errors", str(SPEC)],
            cwd=PRISM_DIR,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the node process tree can be stopped as a group
        )
        try:
            _wait_for_port(port, process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
