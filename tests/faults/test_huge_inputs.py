"""Oversized inputs fail validation with ValidationError and nothing is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from firecrawl_feedback import FeedbackClient, ValidationError

from tests.faults.recording import JOB, recording_client

TEN_MB = 10 * 1024 * 1024

Call = Callable[[FeedbackClient], object]
HUGE: dict[str, tuple[Call, str]] = {
    "10-MB-note": (lambda c: c.scrape(JOB, rating="bad", note="n" * TEN_MB), "note"),
    "10-MB-note-of-astral-chars": (
        lambda c: c.scrape(JOB, rating="bad", note="\U0001f600" * (TEN_MB // 4)),
        "note",
    ),
    "100000-issues": (
        lambda c: c.scrape(JOB, rating="bad", issues=["missing_markdown"] * 100_000),
        "issues",
    ),
    "10-MB-metadata": (
        lambda c: c.scrape(JOB, rating="bad", note="x", metadata={"blob": "m" * TEN_MB}),
        "metadata",
    ),
    "metadata-with-100000-keys": (
        lambda c: c.scrape(
            JOB, rating="bad", note="x", metadata={str(i): i for i in range(100_000)}
        ),
        "metadata",
    ),
    "1000000-page-numbers": (
        lambda c: c.parse(JOB, rating="bad", page_numbers=list(range(1, 1_000_001))),
        "page_numbers",
    ),
    "100000-valuable-sources": (
        lambda c: c.search(JOB, rating="good", valuable_sources=["https://example.com"] * 100_000),
        "valuable_sources",
    ),
    "10-MB-url": (
        lambda c: c.scrape(JOB, rating="bad", url="https://example.com/" + "p" * TEN_MB),
        "url",
    ),
    "10-MB-query-suggestions-in-a-body": (
        lambda c: c.submit_body(
            {"endpoint": "map", "jobId": JOB, "rating": "bad", "querySuggestions": "q" * TEN_MB}
        ),
        "querySuggestions",  # a wire-form body: named as the body spells it
    ),
    "10-MB-job-id": (lambda c: c.scrape("a" * TEN_MB, rating="bad", note="x"), "job_id"),
}


@pytest.mark.parametrize("name", list(HUGE))
def test_huge_input_is_rejected_before_sending(name: str) -> None:
    """The oversized field is named in the ValidationError and no request goes out."""
    call, field = HUGE[name]
    with recording_client() as (client, recorder):
        with pytest.raises(ValidationError) as caught:
            call(client)
        assert recorder.requests == []
    fields = [violation.field for violation in caught.value.violations]
    assert any(f == field or f.startswith(field) for f in fields), fields
    # The message stays short: it never echoes the huge value.
    assert len(str(caught.value)) < 2_000
