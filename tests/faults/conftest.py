"""Fixtures for the fault and abuse suites: one served reference server per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from firecrawl_feedback.testing import FakeFirecrawl


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeFirecrawl, str]]:
    """A fake behind a real loopback HTTP server; its per-minute limit never bites."""
    fake = FakeFirecrawl(rate_limit=10**9)
    with fake.serve() as url:
        yield fake, url


@pytest.fixture
def fake(served: tuple[FakeFirecrawl, str]) -> Iterator[FakeFirecrawl]:
    """The served fake, with no fault left over from another test."""
    served[0].faults.clear()
    yield served[0]
    served[0].faults.clear()


@pytest.fixture
def url(served: tuple[FakeFirecrawl, str]) -> str:
    return served[1]
