"""A served reference server on real time, and senders pointed at it.

The fake's clock is ``time.time`` here (not its ManualClock): the senders'
deadlines are wall-clock times, and the fake stamps every request it receives
with its clock, so the two can be compared.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from firecrawl_feedback import RetryPolicy, SendOutcome, set_retry_testing
from firecrawl_feedback.testing import FakeFirecrawl

#: Retries with real but short waits: the 429 pause must be real in these tests.
QUICK_RETRIES = RetryPolicy(max_retries=5, backoff_initial=0.01, backoff_max=0.05)


@dataclass
class Served:
    fake: FakeFirecrawl
    url: str


@dataclass
class Outcomes:
    """Collects every outcome the sender reports, from whichever thread."""

    items: list[SendOutcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, outcome: SendOutcome) -> None:
        with self.lock:
            self.items.append(outcome)

    def by_status(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for outcome in self.items:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        return counts


@pytest.fixture
def served() -> Iterator[Served]:
    """A fake on real time with room for thousands of requests, served on 127.0.0.1."""
    fake = FakeFirecrawl(clock=time.time, rate_limit=1_000_000)
    with fake.serve() as url:
        yield Served(fake, url)


@pytest.fixture
def real_waits() -> Iterator[None]:
    """Turn the suite's no-sleep retry mode off: pauses and backoffs really wait."""
    set_retry_testing(False)
    yield
    set_retry_testing(True)


@pytest.fixture
def outcomes() -> Outcomes:
    return Outcomes()


def wait_for(condition: object, limit: float = 30.0) -> None:
    """Poll ``condition()`` until true; fail after ``limit`` seconds (a "does not hang" bound)."""
    assert callable(condition)
    ends = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < ends, "condition not reached: the sender hangs"
        time.sleep(0.005)
