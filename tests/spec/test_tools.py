"""The generated client and the pipeline pass mypy --strict and ruff (check and format)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.spec.specpages import ROOT


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    # The project's pinned tools, from this interpreter's environment, run at the root
    # so that pyproject.toml and generated/ruff.toml apply.
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="session")
def mypy_on_generated() -> subprocess.CompletedProcess[str]:
    """One mypy --strict run over generated/ per session (the project's incremental cache)."""
    return _tool("mypy", "--strict", "generated/")


def test_generated_code_passes_mypy_strict(
    mypy_on_generated: subprocess.CompletedProcess[str],
) -> None:
    """mypy --strict finds no issue in generated/."""
    assert mypy_on_generated.returncode == 0, mypy_on_generated.stdout + mypy_on_generated.stderr
    assert "Success: no issues found" in mypy_on_generated.stdout


@pytest.mark.parametrize("folder", ["generated", "scripts"])
def test_ruff_check_passes(folder: str) -> None:
    """ruff check (generated/ with its own ruff.toml) reports nothing."""
    result = _tool("ruff", "check", "--no-cache", folder)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("folder", ["generated", "scripts"])
def test_ruff_format_check_passes(folder: str) -> None:
    """ruff format --check would change nothing."""
    result = _tool("ruff", "format", "--check", "--no-cache", folder)
    assert result.returncode == 0, result.stdout + result.stderr
