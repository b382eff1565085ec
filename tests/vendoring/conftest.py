"""Fixtures for the vendoring tests: running the script, copies made once, a movable source."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import vendor

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "acme_sdk._vendor.ffb"
TESTING_PACKAGE = "acme_sdk._vendor.ffb_with_testing"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


VendorRun = Callable[..., Run]


@pytest.fixture
def run_vendor(capsys: pytest.CaptureFixture[str]) -> VendorRun:
    """Call scripts/vendor.py's main in-process; exit code and printed output."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = vendor.main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def vendored_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder holding two copies made once: PACKAGE, and TESTING_PACKAGE with --with-testing."""
    root = tmp_path_factory.mktemp("vendored")
    for package, extra in ((PACKAGE, []), (TESTING_PACKAGE, ["--with-testing"])):
        code = vendor.main(["--into", str(root), "--package", package, *extra])
        assert code == 0
    return root


@pytest.fixture
def source_root(tmp_path: Path) -> Path:
    """A copy of the parts of this checkout vendor.py reads, free to be changed."""
    source = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for part in ("wrapper/firecrawl_feedback", "generated/firecrawl_feedback_api"):
        shutil.copytree(ROOT / part, source / part, ignore=ignore)
    (source / "openapi").mkdir()
    shutil.copy2(ROOT / "openapi/spec.lock.json", source / "openapi/spec.lock.json")
    shutil.copy2(ROOT / "pyproject.toml", source / "pyproject.toml")
    return source
