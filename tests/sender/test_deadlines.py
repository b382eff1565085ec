"""Every rating carries a deadline: no attempt starts after it, retries included."""

from __future__ import annotations

import datetime
import time

import pytest
from firecrawl_feedback import FeedbackSender, RetryPolicy, ValidationError

from .conftest import Outcomes, Served

WINDOW = 2.0
MARGIN = 0.5


def _sender(served: Served, outcomes: Outcomes, **options: object) -> FeedbackSender:
    return FeedbackSender(
        api_key=served.fake.api_key,
        base_url=served.url,
        feedback_window=WINDOW,
        send_margin=MARGIN,
        max_rate_per_minute=None,
        on_outcome=outcomes,
        **options,  # type: ignore[arg-type]
    )


def test_ratings_that_cannot_start_in_time_are_dropped_never_sent(
    served: Served, outcomes: Outcomes
) -> None:
    """One request at a time, each answered after 0.3 s: most of 20 cannot start in 1.5 s."""
    served.fake.faults.random(1.0, seed=1, delay=0.3)
    created = time.time()
    jobs = [served.fake.add_job("scrape") for _ in range(20)]
    with _sender(served, outcomes, concurrency=1) as sender:
        for job in jobs:
            assert sender.scrape(job, rating="bad", note="slow", created_at=created)
        assert sender.flush(30)
        counts = sender.counts
    assert counts.stored + counts.rejected + counts.dropped == 20 == len(outcomes.items)
    assert counts.dropped_reasons.get("deadline", 0) >= 10  # 20 x 0.3 s > 1.5 s
    deadline = created + WINDOW
    assert all(o.deadline == pytest.approx(deadline) for o in outcomes.items)
    assert all(request.at <= deadline for request in served.fake.requests)
    assert len(served.fake.requests) <= counts.requests == counts.stored + counts.rejected


@pytest.mark.usefixtures("real_waits")
def test_retries_stop_at_the_deadline(served: Served, outcomes: Outcomes) -> None:
    served.fake.faults.random(1.0, seed=2, status=503)
    job = served.fake.add_job("parse")
    created = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=WINDOW - 1.5)
    policy = RetryPolicy(max_retries=10_000, backoff_initial=0.01, backoff_max=0.02)
    with _sender(served, outcomes, retry=policy) as sender:
        assert sender.parse(job, rating="bad", page_numbers=[1], created_at=created)
        assert sender.flush(30)
    [outcome] = outcomes.items
    assert (outcome.status, outcome.reason) == ("rejected", "deadline")
    assert outcome.error is not None and outcome.error.maybe_stored  # 503s may have stored it
    assert outcome.attempts == len(served.fake.requests) > 1
    assert outcome.deadline == pytest.approx(created.timestamp() + WINDOW)
    assert all(request.at <= outcome.deadline for request in served.fake.requests)


def test_a_rating_past_its_deadline_is_dropped_at_the_call(
    served: Served, outcomes: Outcomes
) -> None:
    job = served.fake.add_job("map")
    with _sender(served, outcomes) as sender:
        assert sender.map(job, rating="bad", note="late", created_at=time.time() - WINDOW) is False
        counts = sender.counts
    assert (counts.submitted, counts.dropped, dict(counts.dropped_reasons)) == (
        1,
        1,
        {"deadline": 1},
    )
    assert [(o.status, o.reason, o.attempts) for o in outcomes.items] == [
        ("dropped", "deadline", 0)
    ]
    assert served.fake.requests == []


def test_without_created_at_the_window_runs_from_the_queueing(
    served: Served, outcomes: Outcomes
) -> None:
    job = served.fake.add_job("scrape")
    with _sender(served, outcomes) as sender:
        before = time.time()
        sender.scrape(job, rating="good", tags=["ok"])
        after = time.time()
    [outcome] = outcomes.items
    assert outcome.status == "stored"
    assert before + WINDOW <= outcome.deadline <= after + WINDOW


@pytest.mark.parametrize(
    ("created_at", "rule"),
    [
        (datetime.datetime(2026, 1, 1), "timezone-aware"),
        ("2026-01-01", "epoch seconds"),
        (float("nan"), "epoch seconds"),
        (True, "epoch seconds"),
    ],
)
def test_created_at_is_checked_at_the_call(
    served: Served, outcomes: Outcomes, created_at: object, rule: str
) -> None:
    job = served.fake.add_job("scrape")
    with _sender(served, outcomes) as sender:
        with pytest.raises(ValidationError, match=rule) as caught:
            sender.scrape(job, rating="bad", note="x", created_at=created_at)  # type: ignore[arg-type]
        assert caught.value.violations[0].field == "created_at"
        assert sender.counts.submitted == 0
    assert outcomes.items == []


def test_a_rating_a_worker_takes_up_late_gets_what_is_left_of_its_window(
    served: Served, outcomes: Outcomes
) -> None:
    """The sync sender's budget was fixed when the loop started the attempt: a worker thread
    still busy (an attempt given up at its deadline goes on in its thread) took the rating up
    later and sent it after its deadline, its outcome long reported. The window counts from
    the job's creation (server-behaviour.md): a worker now sends it only before its deadline,
    with what is left until then, as the async sender does."""
    import asyncio
    import threading

    started, release, probed = threading.Event(), threading.Event(), threading.Event()
    job = served.fake.add_job("scrape")
    created = time.time() - WINDOW + MARGIN + 0.3  # its last start: 0.3 s from now
    with _sender(served, outcomes, concurrency=1) as sender:

        async def occupy(call: object) -> None:
            sender._workers.run(call)  # type: ignore[arg-type]

        def block() -> None:
            started.set()
            release.wait(30)

        loop = sender._loop_thread.loop
        asyncio.run_coroutine_threadsafe(occupy(block), loop).result()
        assert started.wait(30)  # the one worker thread is busy
        assert sender.scrape(job, rating="bad", note="late", created_at=created)
        assert sender.flush(30)  # given up at its deadline while no worker was free
        release.set()
        asyncio.run_coroutine_threadsafe(occupy(probed.set), loop).result()
        assert probed.wait(30)  # the worker has run every job queued before the probe
    [outcome] = outcomes.items
    assert (outcome.status, outcome.reason) == ("rejected", "deadline")
    assert served.fake.requests == []  # it went out after its deadline, its outcome reported
