"""Shared test set-up: no network but loopback, and no retry sleeps."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The spec pipeline lives in scripts/ (not an installed package).
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(autouse=True)
def _no_retry_sleeps() -> Iterator[None]:
    """Retries happen as configured, but without waiting (stamina's testing mode)."""
    from firecrawl_feedback import set_retry_testing

    set_retry_testing(True)
    yield
    set_retry_testing(False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
