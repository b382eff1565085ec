"""Thread safety: concurrent submissions keep one record per job, exact counts and sane caps."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import httpx
from firecrawl_feedback.testing import FakeFirecrawl

THREADS = 12


def run_in_threads(work: Callable[[int], None]) -> None:
    start = threading.Barrier(THREADS)

    def body(index: int) -> None:
        start.wait()
        work(index)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_same_jobs_from_many_threads_store_once(fake: FakeFirecrawl) -> None:
    """Every thread rates the same 30 jobs: 30 records, the rest duplicates with the same ids."""
    jobs = [fake.add_job("search") for _ in range(30)]
    answers: list[dict[str, object]] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        with httpx.Client(
            transport=fake.transport(), headers={"Authorization": f"Bearer {fake.api_key}"}
        ) as client:
            for job in jobs[index:] + jobs[:index]:
                body = {"rating": "bad", "querySuggestions": "q"}
                answer = client.post(f"http://x/v2/search/{job}/feedback", json=body).json()
                with lock:
                    answers.append({"job": job, **answer})

    run_in_threads(work)
    assert len(fake.feedback) == 30
    ids = {record.job_id: record.feedback_id for record in fake.feedback}
    assert all(answer["feedbackId"] == ids[str(answer["job"])] for answer in answers)
    assert sum(1 for answer in answers if answer.get("alreadySubmitted")) == 30 * (THREADS - 1)
    assert fake.refunded_today() == 30


def test_cap_is_never_overshot_under_concurrency(fake: FakeFirecrawl) -> None:
    """Many parse refunds at once stop exactly at the daily cap."""
    jobs = [fake.add_job("parse", credits=12) for _ in range(THREADS * 4)]

    def work(index: int) -> None:
        with httpx.Client(transport=fake.transport()) as client:
            for job in jobs[index::THREADS]:
                body = {"endpoint": "parse", "jobId": job, "rating": "bad", "note": "n"}
                client.post(
                    "http://x/v2/feedback",
                    json=body,
                    headers={"Authorization": f"Bearer {fake.api_key}"},
                )

    run_in_threads(work)
    assert fake.refunded_today(search=False) == 50
    assert sum(record.credits_refunded for record in fake.feedback) == 50


def test_rate_limit_counts_exactly_under_concurrency(fake: FakeFirecrawl) -> None:
    """With a limit of 100, exactly 100 of 240 simultaneous requests get through."""
    fake.team.rate_limit = 100

    def work(index: int) -> None:
        with httpx.Client(
            transport=fake.transport(), headers={"Authorization": f"Bearer {fake.api_key}"}
        ) as client:
            for _ in range(20):
                client.post("http://x/v2/feedback", json={})

    run_in_threads(work)
    statuses = Counter(record.status for record in fake.requests)
    assert statuses == {400: 100, 429: 140}
