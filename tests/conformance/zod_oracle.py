"""The server's own validation libraries (zod 4, uuid, Node's URL) as an oracle process.

``zod/server_rules.js`` writes the server's feedback schemas in zod from
server-behaviour.md and answers one JSON request per line; the libraries are
locked in ``zod/package-lock.json`` and installed by ``dev.py test`` (npm ci).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

ZOD_DIR = Path(__file__).resolve().parent / "zod"


def missing() -> str | None:
    """Why the oracle cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed: the zod parity tests need Node.js 20+"
    from dev import ensure_zod

    ensure_zod()
    if not (ZOD_DIR / "node_modules" / "zod" / "package.json").exists():
        return f"zod is not installed in {ZOD_DIR} (npm ci failed?)"
    return None


class ZodOracle:
    """One node process; ``ask`` sends a request line and reads its answer line."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node is not None, "missing() said node is here"
        self._process = subprocess.Popen(
            [node, str(ZOD_DIR / "server_rules.js")],
            cwd=ZOD_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            # Both ways ASCII: json.dumps escapes everything, lone surrogates included, and
            # node's JSON.stringify escapes lone surrogates (the rest is UTF-8).
            encoding="utf-8",
        )

    def ask(self, route: str, raw: str, path_id: str | None = None) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"route": route, "raw": raw, "pathId": path_id}))
        self._process.stdin.write("\n")
        self._process.stdin.flush()
        answer: dict[str, Any] = json.loads(self._process.stdout.readline())
        return answer

    def __enter__(self) -> ZodOracle:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._process.communicate(timeout=10)  # node exits at the end of its input
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate(timeout=10)
