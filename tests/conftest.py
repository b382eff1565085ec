"""Shared test set-up: no network but loopback, no retry sleeps, derandomized hypothesis."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
# The spec pipeline lives in scripts/ (not an installed package).
sys.path.insert(0, str(ROOT / "scripts"))

#: Property-based tests draw the same examples on every run, everywhere: a suite that is
#: red by chance blocks every later change. Loaded always (not only when CI is set), so a
#: local run reproduces CI exactly; the example database is off for the same reason.
#: HYPOTHESIS_PROFILE=explore brings back random exploration for a hunting session.
settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def _no_retry_sleeps() -> Iterator[None]:
    """Retries happen as configured, but without waiting (the retry loop's testing switch)."""
    from firecrawl_feedback import set_retry_testing

    set_retry_testing(True)
    yield
    set_retry_testing(False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
