"""`python3 scripts/dev.py regenerate ARGS` runs regenerate.py in the locked environment."""

from __future__ import annotations

import subprocess
from typing import Any

import dev
import pytest


def test_regenerate_runs_the_script_with_the_venv_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment is ensured first; the arguments pass through; the caller's folder stays."""
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(dev, "ensure_venv", lambda: calls.append(("ensure_venv", None)))

    def call(command: list[str], **kwargs: Any) -> int:
        calls.append(("call", (command, kwargs)))
        return 7

    monkeypatch.setattr(subprocess, "call", call)
    argv = ["--check", "--source", "docs", "--report", "pr.md"]
    assert dev.main(["regenerate", *argv]) == 7
    assert calls == [
        ("ensure_venv", None),
        ("call", ([str(dev.PYTHON), str(dev.ROOT / "scripts" / "regenerate.py"), *argv], {})),
    ]


def test_the_task_is_in_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown task prints the docstring, which lists regenerate."""
    assert dev.main(["nope"]) == 2
    assert "python3 scripts/dev.py regenerate [ARGS]" in capsys.readouterr().err
