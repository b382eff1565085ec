"""One 429 pauses the whole sender for the wait the server gives (server-side timestamps)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

import pytest
from firecrawl_feedback import AsyncFeedbackSender, FeedbackSender

from .conftest import QUICK_RETRIES, Served, wait_for

WAIT = 2  # the server's "retry after 2s"
LATER = 20  # ratings queued once the sender has seen the 429
#: Clock granularity between the sender's monotonic pause and the fake's wall clock.
TICK = 0.002

CONCURRENCY = 4
OPTIONS = {"retry": QUICK_RETRIES, "concurrency": CONCURRENCY, "max_rate_per_minute": None}


def _check_pause(served: Served) -> None:
    requests = served.fake.requests
    assert requests[0].status == 429
    assert b"retry after 2s" in requests[0].response_body
    paused_at = requests[0].at
    later = requests[1:]
    assert len(later) == LATER + 1  # the 429'd rating again, and every later one
    assert all(request.status == 200 for request in later)
    assert min(request.at for request in later) >= paused_at + WAIT - TICK


@pytest.mark.usefixtures("real_waits")
def test_after_a_429_no_request_reaches_the_server_for_the_wait_sync(served: Served) -> None:
    served.fake.faults.next(1, status=429, retry_after=WAIT)
    jobs = [served.fake.add_job("scrape") for _ in range(LATER + 1)]
    with FeedbackSender(api_key=served.fake.api_key, base_url=served.url, **OPTIONS) as sender:
        assert sender.scrape(jobs[0], rating="bad", note="first")
        wait_for(lambda: sender.counts.rate_limit_pauses == 1)
        for job in jobs[1:]:  # four workers are free: only the pause holds these back
            assert sender.scrape(job, rating="bad", note="later")
        assert sender.flush(30)
        assert sender.counts.stored == LATER + 1
    _check_pause(served)


@pytest.mark.usefixtures("real_waits")
def test_after_a_429_no_request_reaches_the_server_for_the_wait_async(served: Served) -> None:
    served.fake.faults.next(1, status=429, retry_after=WAIT)
    jobs = [served.fake.add_job("search") for _ in range(LATER + 1)]

    async def main() -> None:
        async with AsyncFeedbackSender(
            api_key=served.fake.api_key, base_url=served.url, **OPTIONS
        ) as sender:
            rate = sender.search
            assert await rate(jobs[0], rating="bad", query_suggestions="first")
            await _until(lambda: sender.counts.rate_limit_pauses == 1)
            for job in jobs[1:]:
                assert await rate(job, rating="bad", query_suggestions="later")
            assert await sender.flush(30)
            assert sender.counts.stored == LATER + 1

    asyncio.run(main())
    _check_pause(served)


async def _until(condition: Callable[[], bool], limit: float = 30.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.005)

    await asyncio.wait_for(poll(), limit)


@pytest.mark.usefixtures("real_waits")
@pytest.mark.parametrize("header", ["seconds", "date"])
def test_a_429_asking_for_an_endless_wait_pauses_at_most_max_server_wait(
    served: Served, header: str
) -> None:
    """``Retry-After`` of 30 years: the sender pauses the policy's longest wait, not for good.

    Before, every later rating waited until its deadline and was dropped, for the
    sender's whole life: one hostile header stopped it.
    """
    served.fake.faults.next(
        1,
        status=429,
        retry_after=10**9,
        retry_after_headers=[header],  # type: ignore[list-item]
    )
    jobs = [served.fake.add_job("scrape") for _ in range(2)]
    policy = dataclasses.replace(QUICK_RETRIES, max_server_wait=0.5)
    options = {**OPTIONS, "retry": policy, "feedback_window": 30.0, "send_margin": 1.0}
    with FeedbackSender(api_key=served.fake.api_key, base_url=served.url, **options) as sender:
        assert sender.scrape(jobs[0], rating="bad", note="first")
        wait_for(lambda: sender.counts.rate_limit_pauses == 1)
        assert sender.scrape(jobs[1], rating="bad", note="later")
        assert sender.flush(60)
        assert (sender.counts.rejected, sender.counts.stored, sender.counts.dropped) == (1, 1, 0)
