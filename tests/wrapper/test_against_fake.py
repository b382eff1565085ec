"""The wrapper against the reference server, through transport() and serve(), sync and async.

One test per row of the server-behaviour table (and the refund rules), each run
four ways. Rows the client never lets reach the server (a bad body, a path id
that is not a UUID) are shown to fail before any request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import firecrawl_feedback as ff
import pytest
from firecrawl_feedback import AsyncFeedbackClient, FeedbackClient
from firecrawl_feedback.testing import FakeFirecrawl

WAYS = ["transport-sync", "transport-async", "served-sync", "served-async"]
SOURCES = ["https://docs.firecrawl.dev/features/search"]

Call = Callable[..., Any]


@pytest.fixture
def fake() -> FakeFirecrawl:
    return FakeFirecrawl()


@pytest.fixture(params=WAYS)
def call(request: pytest.FixtureRequest, fake: FakeFirecrawl) -> Iterator[Call]:
    """``call(method, *args, key=..., **kwargs)``: one client call the chosen way."""
    way = str(request.param)
    served = fake.serve() if way.startswith("served") else None
    url = served.__enter__() if served is not None else "http://fake.test"

    def run(method: str, *args: Any, key: str | None = None, **kwargs: Any) -> Any:
        options: dict[str, Any] = {"api_key": key or fake.api_key, "base_url": url}
        if served is None:
            options.update(transport=fake.transport(), allow_insecure_http=True)
        if way.endswith("sync") and not way.endswith("async"):
            with FeedbackClient(**options) as client:
                return getattr(client, method)(*args, **kwargs)

        async def go() -> Any:
            async with AsyncFeedbackClient(**options) as client:
                return await getattr(client, method)(*args, **kwargs)

        return asyncio.run(go())

    try:
        yield run
    finally:
        if served is not None:
            served.__exit__(None, None, None)


def _raises(
    cls: type[ff.APIStatusError], code: str | None, action: Callable[[], Any]
) -> ff.APIStatusError:
    with pytest.raises(cls) as caught:
        action()
    assert caught.value.code == code
    return caught.value


def test_wrong_key_is_401(call: Call, fake: FakeFirecrawl) -> None:
    """Row 1: a wrong key answers 401 without a code; it is not retried."""
    job = fake.add_job("scrape")
    err = _raises(
        ff.AuthenticationError,
        None,
        lambda: call("scrape", job, key="fc-wrong", rating="bad", note="x"),
    )
    assert err.attempts == 1 and "fc-wrong" not in str(err)


def test_banned_team_is_403_without_code(call: Call, fake: FakeFirecrawl) -> None:
    """Row 1: a banned team answers 403 with no code."""
    job = fake.add_job("map")
    fake.team.banned = True
    _raises(ff.PermissionDeniedError, None, lambda: call("map", job, rating="bad", note="x"))


def test_rate_limit_is_429_with_the_wait_from_the_text(call: Call, fake: FakeFirecrawl) -> None:
    """Row 1: over the per-team limit, 429 with no header; the wait is read from the text."""
    fake.team.rate_limit = 1
    first, second = fake.add_job("scrape"), fake.add_job("scrape")
    call("scrape", first, rating="bad", note="x")
    err = _raises(ff.RateLimitError, None, lambda: call("scrape", second, rating="bad", note="x"))
    assert err.retry_after is not None and 0 < err.retry_after <= 60
    assert "retry-after" not in err.response.headers


def test_search_path_id_that_is_not_a_uuid_never_leaves(call: Call, fake: FakeFirecrawl) -> None:
    """Row 2: the client refuses a job id that is not a UUID; nothing is sent."""
    with pytest.raises(ff.ValidationError) as caught:
        call("search", "not-a-uuid", rating="good", valuable_sources=SOURCES)
    assert caught.value.violations[0].field == "job_id"
    assert fake.requests == []


def test_invalid_bodies_never_leave(call: Call, fake: FakeFirecrawl) -> None:
    """Row 3: what the server would answer INVALID_BODY is refused before sending."""
    job = fake.add_job("scrape")
    with pytest.raises(ff.ValidationError):
        call("scrape", job, rating="bad")  # no substantive signal
    with pytest.raises(ff.ValidationError):
        call(
            "submit_body",
            {"endpoint": "scrape", "jobId": job, "rating": "bad", "note": "x", "extra": 1},
        )
    assert fake.requests == []


def test_server_invalid_body_answer_names_the_field(call: Call, fake: FakeFirecrawl) -> None:
    """Row 3: were the server to answer INVALID_BODY, the error says which field and why."""
    details = [
        {"code": "invalid_format", "path": ["valuableSources", 0, "url"], "message": "Invalid URL"}
    ]
    fake.faults.next(
        status=400,
        body={
            "success": False,
            "error": "Invalid request body",
            "feedbackErrorCode": "INVALID_BODY",
            "details": details,
        },
    )
    job = fake.add_job("search")
    err = _raises(
        ff.BadRequestError,
        "INVALID_BODY",
        lambda: call("search", job, rating="good", valuable_sources=SOURCES),
    )
    assert "valuable_sources[0].url: Invalid URL" in str(err)


@pytest.mark.parametrize("where", ["team", "job"])
def test_zero_data_retention_answers_nil_and_stores_nothing(
    call: Call, fake: FakeFirecrawl, where: str
) -> None:
    """Rows 4 and 8: zero data retention gives the nil UUID, and repeats do too."""
    fake.team.zero_data_retention = where == "team"
    job = fake.add_job("search", zero_data_retention=where == "job")
    for _ in range(2):
        result = call("search", job, rating="good", valuable_sources=SOURCES)
        assert result.feedback_id == ff.NIL_FEEDBACK_ID and not result.stored
    assert fake.feedback == []


def test_db_disabled_is_503_and_retried(call: Call, fake: FakeFirecrawl) -> None:
    """Row 5: a self-hosted server without database answers 503 DB_DISABLED, retried then raised."""
    fake.db_disabled = True
    job = fake.add_job("scrape")
    err = _raises(
        ff.InternalServerError, "DB_DISABLED", lambda: call("scrape", job, rating="bad", note="x")
    )
    assert err.status_code == 503 and err.attempts == 3


@pytest.mark.parametrize(
    ("setting", "code"), [("preview", "PREVIEW_TEAM_NOT_ALLOWED"), ("opted_out", "TEAM_OPTED_OUT")]
)
def test_team_restrictions_are_403_with_codes(
    call: Call, fake: FakeFirecrawl, setting: str, code: str
) -> None:
    """Row 6: preview and opted-out teams are refused with their codes."""
    setattr(fake.team, setting, True)
    job = fake.add_job("parse")
    _raises(
        ff.PermissionDeniedError, code, lambda: call("parse", job, rating="bad", page_numbers=[2])
    )


def test_unknown_jobs_are_404_per_route(call: Call, fake: FakeFirecrawl) -> None:
    """Row 7: JOB_NOT_FOUND on /feedback, SEARCH_NOT_FOUND on the search route, per team."""
    other = fake.add_team("other")
    theirs = fake.add_job("scrape", team=other)
    _raises(
        ff.NotFoundError, "JOB_NOT_FOUND", lambda: call("scrape", theirs, rating="bad", note="x")
    )
    missing = "0190d7a2-3c4b-7d5e-8f60-123456789abc"
    _raises(
        ff.NotFoundError,
        "SEARCH_NOT_FOUND",
        lambda: call("search", missing, rating="good", valuable_sources=SOURCES),
    )


def test_database_error_is_500_internal(call: Call, fake: FakeFirecrawl) -> None:
    """Row 7: a database error during look-up answers 500 INTERNAL; retried, then it passes."""
    fake.faults.next(status=500, error_code="INTERNAL")
    job = fake.add_job("map")
    result = call("map", job, rating="bad", note="x")
    assert result.attempts == 2 and not result.already_submitted


def test_failed_search_is_409(call: Call, fake: FakeFirecrawl) -> None:
    """Row 9: a search job that did not succeed answers 409 SEARCH_FAILED."""
    job = fake.add_job("search", success=False)
    _raises(
        ff.ConflictError,
        "SEARCH_FAILED",
        lambda: call("search", job, rating="bad", query_suggestions="try again"),
    )


def test_old_job_is_409_window_expired(call: Call, fake: FakeFirecrawl) -> None:
    """Row 10: past the feedback window, 409 FEEDBACK_WINDOW_EXPIRED, never retried."""
    job = fake.add_job("scrape", age=121)
    err = _raises(
        ff.ConflictError,
        "FEEDBACK_WINDOW_EXPIRED",
        lambda: call("scrape", job, rating="bad", note="x"),
    )
    assert err.attempts == 1


@pytest.mark.parametrize("duplicate_id", ["earlier", "empty"])
def test_duplicates_are_successes(call: Call, fake: FakeFirecrawl, duplicate_id: str) -> None:
    """Row 11: a second submission is a 200 alreadySubmitted, with the earlier id or ""."""
    fake.duplicate_feedback_id = duplicate_id  # type: ignore[assignment]
    job = fake.add_job("search")
    first = call("search", job, rating="good", valuable_sources=SOURCES)
    again = call("submit", "search", job, rating="good", valuable_sources=SOURCES)  # same record
    assert not first.already_submitted and again.already_submitted
    assert again.feedback_id == (first.feedback_id if duplicate_id == "earlier" else "")
    assert again.credits_refunded == 0 and again.warning
    assert len(fake.feedback) == 1


def test_lost_answer_then_retry_says_it_was_ours(call: Call, fake: FakeFirecrawl) -> None:
    """Row 11 after an ambiguous failure: stored, answer lost, the retry says alreadySubmitted."""
    fake.faults.next(drop=True, after_processing=True)
    job = fake.add_job("scrape")
    result = call("scrape", job, rating="bad", note="x")
    assert result.already_submitted and result.stored_by_earlier_attempt and result.attempts == 2
    assert len(fake.feedback) == 1


@pytest.mark.parametrize(
    ("kind", "options", "rating", "credits", "refund"),
    [
        ("search", {}, "good", 2, 1),
        ("scrape", {}, "good", 3, 0),
        ("scrape", {}, "bad", 3, 1),
        ("map", {}, "partial", 1, 1),
        ("parse", {}, "bad", 20, 5),
        ("parse", {}, "bad", 100, 10),
        ("scrape", {"pdf_parser": True}, "partial", 7, 2),
        ("scrape", {"formats": ["json"]}, "bad", 40, 5),
        ("scrape", {}, "bad", 0, 0),
    ],
)
def test_refund_policy(
    call: Call,
    fake: FakeFirecrawl,
    kind: str,
    options: dict[str, Any],
    rating: str,
    credits: int,
    refund: int,
) -> None:
    """Refunds follow the policy per endpoint and options, never above what was billed."""
    job = fake.add_job(kind, credits=credits, **options)  # type: ignore[arg-type]
    if kind == "search":
        result = call("search", job, rating=rating, valuable_sources=SOURCES)
    else:
        result = call(kind, job, rating=rating, note="x")
    assert result.credits_refunded == refund


def test_daily_cap_is_reported(call: Call, fake: FakeFirecrawl) -> None:
    """The daily cap per UTC day: once reached, dailyCapReached and the warning."""
    fake.team.daily_cap = 2
    results = [call("map", fake.add_job("map"), rating="bad", note="x") for _ in range(3)]
    assert [r.credits_refunded for r in results] == [1, 1, 0]
    assert results[1].daily_cap_reached and results[2].daily_cap_reached and results[2].warning
    assert results[0].daily_refund_cap == 2
