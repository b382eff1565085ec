"""Type-check only (never run): ratings, endpoints and integrations are Literal types.

``mypy --strict`` runs over this file in tests/test_static.py. Each line marked
``type: ignore[...]`` is a must-fail case: if mypy stopped rejecting it, the
ignore would be unused and ``warn_unused_ignores`` (part of --strict) fails.
"""

from __future__ import annotations

import uuid
from typing import assert_type

from firecrawl_feedback import (
    AsyncFeedbackClient,
    Endpoint,
    FeedbackClient,
    FeedbackEndpoint,
    FeedbackRating,
    FeedbackResult,
    FeedbackSender,
    Integration,
    Rating,
)


def plain_strings_and_enum_members_pass(client: FeedbackClient, job: uuid.UUID) -> None:
    rating: Rating = "partial"
    endpoint: Endpoint = FeedbackEndpoint.SCRAPE
    integration: Integration = "dify"
    assert_type(client.submit(endpoint, job, rating=rating, note="x"), FeedbackResult)
    client.submit("map", job, rating=FeedbackRating.BAD, note="x", integration=integration)
    # Integration is open: the server takes any name starting with "_".
    client.scrape(job, rating="good", note="x", integration="_my_pipeline")
    client.search(job, rating="bad", query_suggestions="x", integration="langchain")


def wrong_values_fail(client: FeedbackClient, job: uuid.UUID, name: str) -> None:
    client.scrape(job, rating="excellent", note="x")  # type: ignore[arg-type]
    client.submit("scrape", job, rating="excellent", note="x")  # type: ignore[arg-type]
    client.submit("crawl", job, rating="good", note="x")  # type: ignore[arg-type]
    client.submit("scrape", job, rating="good", integration=42)  # type: ignore[arg-type]
    client.search(job, rating="excellent")  # type: ignore[arg-type]
    client.submit(name, job, rating="good", note="x")  # type: ignore[arg-type]
    client.parse(job, rating=name, note="x")  # type: ignore[arg-type]


def unknown_or_missing_fields_fail(client: FeedbackClient, job: str) -> None:
    # The keyword fields are a TypedDict generated from the spec: a misspelt or wire-form
    # name, a missing rating, or a field of the other route is a type error.
    client.scrape(job, ratng="good", note="x")  # type: ignore[call-arg]
    client.scrape(job, rating="good", pageNumbers=[1])  # type: ignore[call-arg]
    client.map(job, note="x")  # type: ignore[call-arg]
    client.search(job, rating="good", note="x")  # type: ignore[call-arg]
    client.submit("scrape", job, rating="good", page_numbers=["1"])  # type: ignore[list-item]
    FeedbackClient("fc-x", timeout="slow")  # type: ignore[arg-type]
    FeedbackClient("fc-x", retries=3)  # type: ignore[call-arg]


async def wrong_values_fail_async(client: AsyncFeedbackClient, job: str) -> None:
    await client.map(job, rating="excellent", note="x")  # type: ignore[arg-type]
    await client.submit("crawl", job, rating="good", note="x")  # type: ignore[arg-type]
    await client.search(job, rating="bad", integration=42)  # type: ignore[arg-type]


def wrong_values_fail_in_the_sender(sender: FeedbackSender, job: str) -> None:
    sender.submit("crawl", job, rating="good", note="x")  # type: ignore[arg-type]
    sender.scrape(job, rating="excellent", note="x")  # type: ignore[arg-type]
