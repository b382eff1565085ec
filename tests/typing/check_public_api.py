"""Type-check only (never run): the public API's signatures as users write them.

``mypy --strict`` runs over this file in tests/test_static.py; lines marked
``type: ignore[...]`` must stay errors (``warn_unused_ignores`` proves it).
"""

from __future__ import annotations

import uuid
from typing import Any, assert_type

import httpx
from firecrawl_feedback import (
    AsyncFeedbackClient,
    AsyncFeedbackSender,
    FeedbackClient,
    FeedbackRating,
    FeedbackResult,
    FeedbackSender,
    MissingContent,
    RateLimitError,
    RetryPolicy,
    SenderCounts,
    SendOutcome,
    ValidationError,
    ValuableSource,
    tool_schemas,
)


def sync_usage(client: FeedbackClient, job: uuid.UUID) -> None:
    assert_type(client.scrape(job, rating="partial", issues=["missing_markdown"]), FeedbackResult)
    assert_type(
        client.parse(
            "0190d7a2-3c4b-7d5e-8f60-123456789abc",
            rating=FeedbackRating.BAD,
            page_numbers=[1, 2],
            note="x",
        ),
        FeedbackResult,
    )
    assert_type(
        client.map(job, rating="bad", url="https://example.com", timeout=5.0, max_retries=0),
        FeedbackResult,
    )
    result = client.submit(
        "search",
        job,
        rating="good",
        valuable_sources=[
            "https://a.example",
            ("https://b.example", "why"),
            {"url": "https://c.example"},
            ValuableSource(url="https://d.example"),
        ],
        missing_content=[
            "pricing",
            ("limits", "rate limits"),
            {"topic": "x"},
            MissingContent(topic="y"),
        ],
        metadata={"formats": ["markdown"]},
        extra_headers={"X-Trace": "1"},
    )
    assert_type(result.feedback_id, str)
    assert_type(result.already_submitted, bool)
    assert_type(result.attempts, int)
    assert_type(result.response, httpx.Response)
    assert_type(client.search(job, rating="bad", query_suggestions="be precise"), FeedbackResult)
    assert_type(
        client.submit_body({"endpoint": "map", "jobId": str(job), "rating": "bad", "note": "x"}),
        FeedbackResult,
    )
    assert_type(client.with_options(timeout=httpx.Timeout(3.0), max_retries=1), FeedbackClient)
    client.scrape(job, rating="good", not_a_field=1)  # type: ignore[call-arg]
    client.scrape(job, issues=["x"])  # type: ignore[call-arg]
    client.search(job, rating="good", note="search has no note")  # type: ignore[call-arg]


async def async_usage(client: AsyncFeedbackClient, job: str) -> None:
    assert_type(await client.scrape(job, rating="partial", tags=["t"]), FeedbackResult)
    assert_type(
        await client.search(job, rating="good", valuable_sources=["https://a.example"]),
        FeedbackResult,
    )
    assert_type(client.with_options(max_retries=0), AsyncFeedbackClient)
    assert_type(client.with_options(retry=RetryPolicy(backoff_max=2.0)), AsyncFeedbackClient)


def errors(exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        assert_type(exc.violations[0].field, str)
    if isinstance(exc, RateLimitError):
        assert_type(exc.retry_after, float | None)
        assert_type(exc.status_code, int)
        assert_type(exc.code, str | None)


def tools() -> None:
    assert_type(tool_schemas(), list[dict[str, Any]])
    assert_type(tool_schemas("anthropic"), list[dict[str, Any]])
    tool_schemas("gemini")  # type: ignore[arg-type]


def sender_usage(client: FeedbackClient, job: uuid.UUID) -> None:
    sender = FeedbackSender(
        client, retry=RetryPolicy(), concurrency=2, max_queue=100, on_outcome=print
    )
    assert_type(sender.scrape(job, rating="bad", note="x", created_at=1_800_000_000.0), bool)
    assert_type(
        sender.search(job, rating="good", valuable_sources=["https://a.example"], block_timeout=1),
        bool,
    )
    assert_type(sender.submit_body({"endpoint": "map", "jobId": str(job)}), bool)
    assert_type(sender.flush(5.0), bool)
    counts = sender.close(timeout=2.0)
    assert_type(counts, SenderCounts)
    assert_type(counts.dropped_reasons["queue_full"], int)
    sender.scrape(job, rating="good", not_a_field=1)  # type: ignore[call-arg]
    sender.scrape(job, rating="bad", created_at="yesterday")  # type: ignore[arg-type]

    def on_outcome(outcome: SendOutcome) -> None:
        assert_type(outcome.maybe_stored, bool)

    with FeedbackSender(api_key="fc-test", on_outcome=on_outcome) as built:
        assert_type(built.client, FeedbackClient)


async def async_sender_usage(client: AsyncFeedbackClient, job: str) -> None:
    async with AsyncFeedbackSender(client, max_rate_per_minute=None) as sender:
        assert_type(await sender.map(job, rating="bad", url="https://a.example"), bool)
        assert_type(await sender.flush(), bool)
    assert_type(await sender.aclose(1.0), SenderCounts)
