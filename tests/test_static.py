"""Static checks as tests: mypy --strict and ruff over the handwritten code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_mypy_strict_on_wrapper_and_public_api_signatures() -> None:
    """The wrapper and the type-check-only API file pass mypy --strict (unused ignores fail)."""
    result = _run("mypy", "--strict", "wrapper", "tests/typing")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_on_handwritten_code() -> None:
    """ruff check and ruff format --check pass on wrapper/, tests/ and scripts/."""
    check = _run("ruff", "check", "wrapper", "tests", "scripts")
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = _run("ruff", "format", "--check", "wrapper", "tests", "scripts")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_the_exports_check_imports_every_public_name() -> None:
    """tests/typing/check_exports.py names all of ``__all__``, so the checkers see each one."""
    import ast

    import firecrawl_feedback

    tree = ast.parse((ROOT / "tests" / "typing" / "check_exports.py").read_text("utf-8"))
    imported = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "firecrawl_feedback"
        for alias in node.names
    }
    assert imported == set(firecrawl_feedback.__all__)
