"""The suite itself: derandomized property tests and a timeout on every test."""

from __future__ import annotations

import pytest
from hypothesis import settings


def test_hypothesis_runs_derandomized_without_an_example_database() -> None:
    """Every @given test draws the same examples on every run (profile from tests/conftest.py)."""
    assert settings.default.derandomize is True
    assert settings.default.database is None


def test_every_test_has_a_timeout(pytestconfig: pytest.Config) -> None:
    """pytest-timeout bounds every test, generously, so a hang fails instead of blocking CI."""
    assert float(pytestconfig.getini("timeout")) >= 300
