"""Fixtures for the fake server's tests; each fake's answers must match the spec."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl

from .fake_spec import spec_problems


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes seconds; still part of the default run")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> Iterator[FakeFirecrawl]:
    """A fresh fake; at teardown every JSON answer it sent must match the spec."""
    fake = FakeFirecrawl()
    yield fake
    problems = [problem for record in fake.requests for problem in spec_problems(record)]
    assert problems == []


@pytest.fixture
def client(fake: FakeFirecrawl) -> Iterator[httpx.Client]:
    """A plain httpx client on the fake's transport, authenticated as the default team."""
    with httpx.Client(
        transport=fake.transport(),
        base_url="http://firecrawl.test/v2",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        yield client
