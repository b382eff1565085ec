"""A server that never answers is cut off by the read timeout and by the call's total budget."""

from __future__ import annotations

import asyncio

import pytest
from firecrawl_feedback import APITimeoutError, AsyncFeedbackClient, FeedbackClient
from firecrawl_feedback.testing import FakeFirecrawl


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_read_timeout_ends_each_attempt(mode: str, fake: FakeFirecrawl, url: str) -> None:
    """Every attempt hangs: APITimeoutError after max_retries + 1 attempts, all received."""
    fake.faults.next(2, hang=True)
    job = fake.add_job("scrape")
    before = len(fake.requests)
    with pytest.raises(APITimeoutError) as caught:
        if mode == "sync":
            with FeedbackClient(fake.api_key, base_url=url, timeout=0.3, max_retries=1) as client:
                client.scrape(job, rating="bad", note="x")
        else:

            async def call() -> None:
                async with AsyncFeedbackClient(
                    fake.api_key, base_url=url, timeout=0.3, max_retries=1
                ) as client:
                    await client.scrape(job, rating="bad", note="x")

            asyncio.run(call())
    assert caught.value.attempts == 2
    assert len(fake.requests) - before == 2


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_total_budget_cuts_off_a_long_read_timeout(
    mode: str, fake: FakeFirecrawl, url: str
) -> None:
    """With a 30 s read timeout, a 0.4 s budget still ends the call, without a retry after it."""
    fake.faults.next(5, hang=True)
    job = fake.add_job("scrape")
    with pytest.raises(APITimeoutError) as caught:
        if mode == "sync":
            with FeedbackClient(
                fake.api_key, base_url=url, timeout=30.0, max_retries=4, total_budget=0.4
            ) as client:
                client.scrape(job, rating="bad", note="x")
        else:

            async def call() -> None:
                async with AsyncFeedbackClient(
                    fake.api_key, base_url=url, timeout=30.0, max_retries=4, total_budget=0.4
                ) as client:
                    await client.scrape(job, rating="bad", note="x")

            asyncio.run(call())
    # The first attempt's timeout was cut to the budget; any retry wait would pass it.
    assert caught.value.attempts == 1
