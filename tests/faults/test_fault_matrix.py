"""Each server fault, through the served reference server: the client's outcome and attempts.

One row per fault: what the fake does to the first request(s), then whether
the call succeeds after retrying or raises which typed error, and after how
many attempts (the fake's request log must agree). Every row runs with the
sync and the async client; retry sleeps are off (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest
from firecrawl_feedback import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncFeedbackClient,
    FeedbackClient,
    FeedbackResult,
    InternalServerError,
    RateLimitError,
)
from firecrawl_feedback.testing import FakeFirecrawl, FaultOptions

#: Short enough that a hang costs little, long enough for a loaded loopback answer.
READ_TIMEOUT = 0.5


@dataclass(frozen=True)
class Row:
    """Faults for the first requests (count, options), and what the call must end with."""

    faults: list[tuple[int, FaultOptions]]
    outcome: type[APIError] | None  # None: success
    attempts: int
    stored_by_earlier_attempt: bool = False
    retry_after: float | None = field(default=None)


ROWS: dict[str, Row] = {
    "500": Row([(1, {"status": 500})], None, 2),
    "502": Row([(1, {"status": 502})], None, 2),
    "503": Row([(1, {"status": 503})], None, 2),
    "504": Row([(1, {"status": 504})], None, 2),
    "503-twice": Row([(2, {"status": 503})], None, 3),
    "503-always": Row([(3, {"status": 503})], InternalServerError, 3),
    "520-not-retried": Row([(1, {"status": 520})], InternalServerError, 1),
    "429-text-only": Row([(1, {"status": 429, "retry_after": 2})], None, 2),
    "429-retry-after-seconds": Row(
        [(1, {"status": 429, "retry_after": 2, "retry_after_headers": ["seconds"]})], None, 2
    ),
    "429-retry-after-date": Row(
        [(1, {"status": 429, "retry_after": 30, "retry_after_headers": ["date"]})], None, 2
    ),
    "429-retry-after-ms": Row(
        [(1, {"status": 429, "retry_after": 1.5, "retry_after_headers": ["ms"]})], None, 2
    ),
    "429-wait-too-long": Row(
        [(1, {"status": 429, "retry_after": 600})], RateLimitError, 1, retry_after=600.0
    ),
    "connection-dropped": Row([(1, {"drop": True})], None, 2),
    "connection-dropped-after-storing": Row(
        [(1, {"drop": True, "after_processing": True})], None, 2, stored_by_earlier_attempt=True
    ),
    "connection-dropped-always": Row([(3, {"drop": True})], APIConnectionError, 3),
    "read-timeout": Row([(1, {"hang": 5.0})], None, 2),
    "read-timeout-always": Row([(3, {"hang": 5.0})], APITimeoutError, 3),
    "slow-drip": Row([(1, {"drip": 0.02, "drip_chunk": 8})], None, 1),
    "html-502": Row([(1, {"broken": "html"})], None, 2),
    "html-200": Row([(1, {"broken": "html", "status": 200})], APIResponseValidationError, 1),
    "truncated-json-200": Row([(1, {"broken": "truncated"})], APIResponseValidationError, 1),
    "truncated-json-503": Row([(1, {"broken": "truncated", "status": 503})], None, 2),
    "empty-body-200": Row([(1, {"broken": "empty"})], APIResponseValidationError, 1),
}


def _submit_sync(url: str, key: str, job: str) -> FeedbackResult:
    with FeedbackClient(key, base_url=url, timeout=READ_TIMEOUT, max_retries=2) as client:
        return client.scrape(job, rating="bad", note="fault matrix")


async def _submit_async(url: str, key: str, job: str) -> FeedbackResult:
    async with AsyncFeedbackClient(
        key, base_url=url, timeout=READ_TIMEOUT, max_retries=2
    ) as client:
        return await client.scrape(job, rating="bad", note="fault matrix")


def _call(mode: str, url: str, key: str, job: str) -> FeedbackResult:
    if mode == "sync":
        return _submit_sync(url, key, job)
    return asyncio.run(_submit_async(url, key, job))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("name", list(ROWS))
def test_fault_outcome_and_attempts(name: str, mode: str, fake: FakeFirecrawl, url: str) -> None:
    """The call ends as the row says (success or typed error) after the row's attempts."""
    row = ROWS[name]
    for count, options in row.faults:
        fake.faults.next(count, **options)
    job = fake.add_job("scrape")
    before = len(fake.requests)

    outcome: Any
    try:
        outcome = _call(mode, url, fake.api_key, job)
    except APIError as error:
        outcome = error

    received = len(fake.requests) - before
    if row.outcome is None:
        assert isinstance(outcome, FeedbackResult), repr(outcome)
        assert outcome.stored_by_earlier_attempt is row.stored_by_earlier_attempt
        assert outcome.already_submitted is row.stored_by_earlier_attempt
    else:
        assert type(outcome) is row.outcome, repr(outcome)
        if row.retry_after is not None:
            assert isinstance(outcome, RateLimitError)
            assert outcome.retry_after == row.retry_after
    assert outcome.attempts == row.attempts
    assert received == row.attempts
    assert fake.faults.pending == 0


def test_every_fault_kind_has_a_row() -> None:
    """The matrix covers statuses, each 429 wait form, drops, hangs, drips and broken bodies."""
    kinds = {key for row in ROWS.values() for _, options in row.faults for key in options}
    assert {"status", "drop", "hang", "drip", "broken", "retry_after_headers"} <= kinds
    forms = {
        form
        for row in ROWS.values()
        for _, options in row.faults
        for form in options.get("retry_after_headers", ())
    }
    assert forms == {"seconds", "date", "ms"}
