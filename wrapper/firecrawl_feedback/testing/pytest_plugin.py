"""Pytest fixtures for the fake server.

Enable in your ``conftest.py``::

    pytest_plugins = ["firecrawl_feedback.testing.pytest_plugin"]

then ask for ``firecrawl_fake`` (a fresh FakeFirecrawl per test) and, when a
real HTTP server is needed, ``firecrawl_fake_url`` (its base URL, served on
127.0.0.1 for the duration of the test).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._fake import FakeFirecrawl

__all__ = ["firecrawl_fake", "firecrawl_fake_url"]


@pytest.fixture
def firecrawl_fake() -> FakeFirecrawl:
    """A fresh in-memory Firecrawl feedback server with a generated test key."""
    return FakeFirecrawl()


@pytest.fixture
def firecrawl_fake_url(firecrawl_fake: FakeFirecrawl) -> Iterator[str]:
    """``firecrawl_fake`` served over HTTP on 127.0.0.1; the base URL (the client adds /v2)."""
    with firecrawl_fake.serve() as url:
        yield url
