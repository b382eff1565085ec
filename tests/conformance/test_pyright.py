"""The public API under pyright, the checker in VS Code's Pylance, as well as under mypy.

pyright comes from tests/conformance/pyright/package-lock.json (``npm ci`` by
``scripts/dev.py test``); without Node these tests are skipped, like Prism's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYRIGHT_DIR = Path(__file__).resolve().parent / "pyright"
PYRIGHT = PYRIGHT_DIR / "node_modules" / ".bin" / ("pyright.cmd" if os.name == "nt" else "pyright")
TYPING = ROOT / "tests" / "typing"

#: mypy's error code on a must-fail line -> the rule pyright reports there.
RULES = {
    "arg-type": "reportArgumentType",
    "list-item": "reportArgumentType",
    "call-arg": "reportCallIssue",
}


@pytest.fixture(scope="module")
def pyright() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm are not installed: the pyright tests need Node.js 20+")
    from dev import ensure_pyright

    ensure_pyright()
    if not PYRIGHT.exists():
        raise RuntimeError(f"pyright is not installed at {PYRIGHT} (npm ci failed?)")
    return PYRIGHT


def _run(pyright: Path, cwd: Path, *args: str) -> dict[str, Any]:
    # The Python on PATH is this one, whose site-packages hold the editable install
    # (--verifytypes finds packages only through the Python on PATH).
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [str(pyright), "--outputjson", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert result.stdout, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _must_fail_lines() -> dict[tuple[str, int], set[str]]:
    """Each ``# type: ignore[code]`` line of tests/typing -> the pyright rules it expects."""
    expected: dict[tuple[str, int], set[str]] = {}
    for path in sorted(TYPING.glob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            match = re.search(r"# type: ignore\[([\w,-]+)\]", line)
            if match:
                expected[path.name, number] = {RULES[code] for code in match[1].split(",")}
    return expected


def test_tests_typing_under_pyright_strict_fails_exactly_the_must_fail_lines(
    pyright: Path, tmp_path: Path
) -> None:
    """Strict pyright with ``type: ignore`` comments disregarded: each must-fail line
    (rating="excellent", submit("crawl", ...), a misspelt keyword ...) is an error of
    the same kind as under mypy, and no other line is (so every name resolves and no
    type is partly unknown)."""
    config = tmp_path / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "typeCheckingMode": "strict",
                "enableTypeIgnoreComments": False,
                "pythonVersion": "3.11",
            }
        ),
        encoding="utf-8",
    )
    report = _run(
        pyright,
        tmp_path,
        "--pythonpath",
        sys.executable,
        "-p",
        str(config),
        *map(str, sorted(TYPING.glob("*.py"))),
    )
    found: dict[tuple[str, int], set[str]] = {}
    for diagnostic in report["generalDiagnostics"]:
        where = (Path(diagnostic["file"]).name, diagnostic["range"]["start"]["line"] + 1)
        found.setdefault(where, set()).add(diagnostic.get("rule", diagnostic["message"]))
    expected = _must_fail_lines()
    assert expected, "no must-fail lines found"
    assert found == expected
    assert report["summary"]["warningCount"] == 0


def test_every_public_symbol_has_a_known_type(pyright: Path, tmp_path: Path) -> None:
    """``pyright --verifytypes``: the package's public symbols are fully typed.

    --ignoreexternal leaves out what other packages leave unannotated (httpx's
    Request and Response attributes, which this package cannot change).
    """
    report = _run(pyright, tmp_path, "--verifytypes", "firecrawl_feedback", "--ignoreexternal")
    completeness = report["typeCompleteness"]
    problems = [
        f"{symbol['name']}: {diagnostic['message']}"
        for symbol in completeness["symbols"]
        for diagnostic in symbol["diagnostics"]
        if diagnostic["severity"] == "error"
    ]
    assert problems == []
    assert completeness["completenessScore"] == 1.0
    assert completeness["exportedSymbolCounts"]["withUnknownType"] == 0
