"""5,000 ratings from pipeline threads (or tasks) through one sender, against the served fake.

20 % transient faults (503s, and connections dropped after the feedback was
stored), a client-side rate limit, a 429 that pauses the sender, a short
feedback window. Whatever the timing, the invariants hold: every rating ends
in exactly one outcome, the counters add up to 5,000, no request reaches the
server after its rating's deadline, enqueueing waits no longer than told, and
``close()`` returns within its timeout.

On a busy machine an attempt can still be on its way when its rating's deadline
cuts it: counted (the sender cannot know how far it got), but maybe never seen
by the server. The async test holds a few attempts back on purpose, so that this
happens on every run, not only under load.
"""

from __future__ import annotations

import asyncio
import collections
import random
import re
import threading
import time

import httpx
import pytest
from firecrawl_feedback import (
    APITimeoutError,
    AsyncFeedbackSender,
    FeedbackSender,
    SenderCounts,
    SendOutcome,
)

from .conftest import QUICK_RETRIES, Outcomes, Served

RATINGS = 5_000
PRODUCERS = 8
WINDOW = 4.0  # the fake's feedback window and the sender's: short, so deadlines bite
MARGIN = 1.0
BLOCK = 0.05  # how long an enqueue may wait for room
PACE = PRODUCERS / 500  # each producer's pause: about 500 ratings a second in all
CLOSE_TIMEOUT = 30.0
GENEROUS = 5.0  # "does not hang" slack on top of a promised bound
STALLED = 3  # attempts the async test holds back until their deadline cuts them
SEARCH_PATH = re.compile(r"/v2/search/([0-9a-f-]+)/feedback")

SENDER_OPTIONS = {
    "retry": QUICK_RETRIES,
    "max_rate_per_minute": 30_000,  # 500 a second
    "concurrency": 8,
    "max_queue": 400,
    "block_timeout": BLOCK,
    "feedback_window": WINDOW,
    "send_margin": MARGIN,
}


def _prepare(served: Served) -> None:
    served.fake.feedback_window = WINDOW
    served.fake.faults.next(1, status=429, retry_after=1)  # "retry after 1s", then normal
    served.fake.faults.random(0.1, seed=11, status=503)
    # 0.9 x 0.111 = 0.1 more: stored, then the connection drops (the retry is a duplicate)
    served.fake.faults.random(0.111, seed=12, drop=True, after_processing=True)


class _Stalling(httpx.AsyncBaseTransport):
    """Holds a few seeded requests back until their deadline cuts them, as a starved loop
    would: their attempts are counted, and never reach the server."""

    def __init__(self, stalled: int, seed: int) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._stalled = set(random.Random(seed).sample(range(1, RATINGS), stalled))  # noqa: S311
        self._seen = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._seen += 1
        if self._seen in self._stalled:
            await asyncio.get_running_loop().create_future()  # until cancelled
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _cut(outcome: SendOutcome) -> bool:
    """Its last attempt was cut at the deadline: it may or may not have reached the server."""
    return isinstance(outcome.error, APITimeoutError)


def _job(served: Served, n: int) -> tuple[str, str, float]:
    kind = "search" if n % 2 else "scrape"
    job_id = served.fake.add_job(kind)
    return kind, job_id, time.time()


def _check(
    served: Served,
    counts: SenderCounts,
    outcomes: Outcomes,
    deadlines: dict[str, float],
    enqueue_times: list[float],
    close_took: float,
) -> None:
    # Every rating: exactly one outcome, and the counters add up.
    assert len(deadlines) == RATINGS
    assert sorted(o.job_id for o in outcomes.items) == sorted(deadlines)
    assert counts.submitted == RATINGS and counts.pending == 0
    assert counts.stored + counts.duplicate + counts.rejected + counts.dropped == RATINGS
    assert outcomes.by_status() == {
        status: number
        for status, number in (
            ("stored", counts.stored),
            ("duplicate", counts.duplicate),
            ("rejected", counts.rejected),
            ("dropped", counts.dropped),
        )
        if number
    }
    assert sum(counts.dropped_reasons.values()) == counts.dropped
    assert sum(counts.rejected_reasons.values()) == counts.rejected
    assert counts.stored + counts.duplicate > 0
    assert counts.rate_limit_pauses >= 1
    # Every request the server saw was counted; every counted one reached it, but for
    # the last attempt of a rating cut at its deadline (which may not have).
    cut = [outcome for outcome in outcomes.items if _cut(outcome)]
    assert counts.requests - len(cut) <= len(served.fake.requests) <= counts.requests
    # The same per rating, for searches (their job id is in the path).
    searched = collections.Counter(
        match.group(1)
        for request in served.fake.requests
        if (match := SEARCH_PATH.fullmatch(request.path))
    )
    for outcome in outcomes.items:
        if outcome.endpoint == "search":
            sent = outcome.attempts
            assert searched[outcome.job_id] in ({sent, sent - 1} if _cut(outcome) else {sent})
        assert outcome.deadline == pytest.approx(deadlines[outcome.job_id] + WINDOW)
        if outcome.status == "rejected":
            assert outcome.error is not None
        if outcome.status == "dropped":
            assert outcome.reason in {"queue_full", "deadline", "closed"}
            assert outcome.attempts == 0
    # Stored ratings are the server's, one per job.
    stored_jobs = [record.job_id for record in served.fake.feedback]
    assert len(stored_jobs) == len(set(stored_jobs))
    # Nothing reached the server after its rating's deadline (server-side timestamps).
    latest = max(deadlines.values()) + WINDOW
    for request in served.fake.requests:
        assert request.at <= latest
        match = SEARCH_PATH.fullmatch(request.path)
        if match:
            assert request.at <= deadlines[match.group(1)] + WINDOW
    for record in served.fake.feedback:
        assert record.created_at <= deadlines[record.job_id] + WINDOW
    # Enqueueing never waited much beyond what it was told; close kept its promise.
    assert max(enqueue_times) < BLOCK + GENEROUS
    assert close_took < CLOSE_TIMEOUT + GENEROUS


@pytest.mark.usefixtures("real_waits")
def test_5000_ratings_from_threads_through_the_sync_sender(
    served: Served, outcomes: Outcomes
) -> None:
    _prepare(served)
    deadlines: dict[str, float] = {}
    enqueue_times: list[float] = []
    lock = threading.Lock()
    sender = FeedbackSender(
        api_key=served.fake.api_key, base_url=served.url, on_outcome=outcomes, **SENDER_OPTIONS
    )

    def pipeline(first: int) -> None:
        for n in range(first, RATINGS, PRODUCERS):
            kind, job_id, created = _job(served, n)
            started = time.monotonic()
            if kind == "search":
                sender.search(
                    job_id, rating="good", valuable_sources=["https://a.example"],
                    created_at=created,
                )  # fmt: skip
            else:
                sender.scrape(job_id, rating="bad", note=f"rating {n}", created_at=created)
            took = time.monotonic() - started
            with lock:
                deadlines[job_id] = created
                enqueue_times.append(took)
            time.sleep(PACE)

    threads = [threading.Thread(target=pipeline, args=(n,)) for n in range(PRODUCERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    started = time.monotonic()
    counts = sender.close(CLOSE_TIMEOUT)
    _check(served, counts, outcomes, deadlines, enqueue_times, time.monotonic() - started)


@pytest.mark.usefixtures("real_waits")
def test_5000_ratings_from_tasks_through_the_async_sender(
    served: Served, outcomes: Outcomes
) -> None:
    _prepare(served)
    deadlines: dict[str, float] = {}
    enqueue_times: list[float] = []

    async def main() -> tuple[SenderCounts, float]:
        sender = AsyncFeedbackSender(
            api_key=served.fake.api_key, base_url=served.url, on_outcome=outcomes,
            transport=_Stalling(STALLED, seed=13), **SENDER_OPTIONS,
        )  # fmt: skip

        async def pipeline(first: int) -> None:
            for n in range(first, RATINGS, PRODUCERS):
                kind, job_id, created = _job(served, n)
                started = time.monotonic()
                if kind == "search":
                    await sender.search(
                        job_id, rating="good", valuable_sources=["https://a.example"],
                        created_at=created,
                    )  # fmt: skip
                else:
                    await sender.scrape(
                        job_id, rating="bad", note=f"rating {n}", created_at=created
                    )
                enqueue_times.append(time.monotonic() - started)
                deadlines[job_id] = created
                await asyncio.sleep(PACE)

        await asyncio.gather(*(pipeline(n) for n in range(PRODUCERS)))
        started = time.monotonic()
        counts = await sender.aclose(CLOSE_TIMEOUT)
        return counts, time.monotonic() - started

    counts, close_took = asyncio.run(main())
    _check(served, counts, outcomes, deadlines, enqueue_times, close_took)
    assert sum(map(_cut, outcomes.items)) >= STALLED
