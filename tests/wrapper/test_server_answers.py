"""Every row of the server-behaviour table, as the client sees it, sync and async."""

from __future__ import annotations

import firecrawl_feedback as ff
import httpx
import pytest

from tests.wrapper._mock import JOB, error, ok, run, scripted

MODES = ["sync", "async"]
SCRAPE = {"rating": "partial", "issues": ["missing_markdown"]}
SEARCH = {"rating": "good", "valuable_sources": ["https://docs.firecrawl.dev"]}


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


ERROR_ROWS = [
    # (answer, error class, code, retried?)
    (error(401, "Unauthorized: Invalid token"), ff.AuthenticationError, None, False),
    (error(403, "Forbidden"), ff.PermissionDeniedError, None, False),
    (
        error(403, "Preview teams cannot", "PREVIEW_TEAM_NOT_ALLOWED"),
        ff.PermissionDeniedError,
        "PREVIEW_TEAM_NOT_ALLOWED",
        False,
    ),
    (error(403, "Opted out", "TEAM_OPTED_OUT"), ff.PermissionDeniedError, "TEAM_OPTED_OUT", False),
    (error(404, "Job not found", "JOB_NOT_FOUND"), ff.NotFoundError, "JOB_NOT_FOUND", False),
    (
        error(409, "Window expired", "FEEDBACK_WINDOW_EXPIRED"),
        ff.ConflictError,
        "FEEDBACK_WINDOW_EXPIRED",
        False,
    ),
    (error(413, "Payload too large"), ff.RequestTooLargeError, None, False),
    (
        httpx.Response(
            400,
            json={"success": False, "code": "BAD_REQUEST_INVALID_JSON", "error": "Invalid JSON"},
        ),
        ff.BadRequestError,
        None,
        False,
    ),
    (error(500, "Database error", "INTERNAL"), ff.InternalServerError, "INTERNAL", True),
    (
        httpx.Response(500, json={"success": False, "code": "UNKNOWN_ERROR", "error": "boom"}),
        ff.InternalServerError,
        None,
        True,
    ),
    (error(503, "DB disabled", "DB_DISABLED"), ff.InternalServerError, "DB_DISABLED", True),
]


@pytest.mark.parametrize(("answer", "cls", "code", "retried"), ERROR_ROWS)
def test_error_rows_map_to_typed_errors(
    mode: str, answer: httpx.Response, cls: type[ff.APIStatusError], code: str | None, retried: bool
) -> None:
    """Each error answer raises its class with the server's code; only 5xx are retried."""
    script = scripted([answer] * 3)
    with pytest.raises(cls) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    assert type(caught.value) is cls
    assert caught.value.status_code == answer.status_code
    assert caught.value.code == code
    assert caught.value.attempts == (3 if retried else 1)
    assert len(script.requests) == caught.value.attempts


def test_invalid_body_message_names_the_field(mode: str) -> None:
    """A 400 INVALID_BODY says which field failed and why, from details."""
    details = [
        {
            "code": "too_big",
            "path": ["valuableSources", 2, "url"],
            "message": "String must contain at most 2048 character(s)",
        },
        {"code": "custom", "path": [], "message": "Include at least one signal"},
    ]
    script = scripted([error(400, "Invalid request body", "INVALID_BODY", details=details)])
    with pytest.raises(ff.BadRequestError) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    err = caught.value
    assert err.code == "INVALID_BODY"
    assert [d.field for d in err.details] == ["valuable_sources[2].url", "body"]
    assert "valuable_sources[2].url: String must contain at most 2048" in str(err)
    assert err.details[0].code == "too_big"


def test_search_path_id_rejected_without_code(mode: str) -> None:
    """The search route's 400 for a bad path id has no feedbackErrorCode."""
    script = scripted([error(400, "Invalid job ID")])
    with pytest.raises(ff.BadRequestError) as caught:
        run(mode, script, "search", JOB, **SEARCH)
    assert caught.value.code is None
    assert script.requests[0].url.path == f"/v2/search/{JOB}/feedback"


def test_rate_limit_text_gives_retry_after(mode: str) -> None:
    """Firecrawl's 429 has no header; the wait is read from the text."""
    text = (
        "Rate limit exceeded. Consumed (req/min): 1001, Remaining (req/min): 0. "
        "please retry after 75s, resets at Sat Nov 21 2026 05:40:00 GMT+0000"
    )
    script = scripted([error(429, text)])
    with pytest.raises(ff.RateLimitError) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    assert caught.value.retry_after == 75.0
    assert caught.value.attempts == 1  # 75 s is over the 60 s cap: raised at once


def test_normal_success(mode: str) -> None:
    """A normal answer gives every field of the result."""
    script = scripted([ok(creditsRefunded=1, creditsRefundedToday=3, dailyRefundCap=50)])
    result = run(mode, script, "scrape", JOB, **SCRAPE)
    assert result.feedback_id == "0190d7a2-0000-7000-8000-000000000001"
    assert (result.credits_refunded, result.credits_refunded_today, result.daily_refund_cap) == (
        1,
        3,
        50,
    )
    assert not result.already_submitted and not result.daily_cap_reached
    assert result.attempts == 1 and result.stored
    assert result.response.status_code == 200


@pytest.mark.parametrize("earlier_id", ["", "0190d7a2-0000-7000-8000-00000000abcd"])
def test_duplicate_is_a_success(mode: str, earlier_id: str) -> None:
    """alreadySubmitted answers, including feedbackId "", are successful duplicates."""
    answer = ok(
        feedbackId=earlier_id,
        alreadySubmitted=True,
        creditsRefunded=0,
        warning="Feedback was already submitted for this job.",
    )
    result = run(mode, scripted([answer]), "scrape", JOB, **SCRAPE)
    assert result.already_submitted and result.feedback_id == earlier_id
    assert result.credits_refunded == 0 and result.warning
    assert not result.stored_by_earlier_attempt


def test_zero_data_retention_answer(mode: str) -> None:
    """A zero-data-retention team or job gets the nil UUID: nothing stored."""
    result = run(
        mode,
        scripted([ok(feedbackId=ff.NIL_FEEDBACK_ID, creditsRefunded=0)]),
        "search",
        JOB,
        **SEARCH,
    )
    assert result.feedback_id == ff.NIL_FEEDBACK_ID and not result.stored


def test_daily_cap_reached(mode: str) -> None:
    """The cap answer keeps its flag and warning."""
    answer = ok(
        creditsRefunded=0,
        dailyCapReached=True,
        warning="Feedback recorded, but no further refunds today.",
    )
    result = run(mode, scripted([answer]), "map", JOB, **SCRAPE)
    assert result.daily_cap_reached and "no further refunds" in str(result.warning)


@pytest.mark.parametrize(
    ("answer", "cls"),
    [
        (httpx.Response(520, text="<html>origin error</html>"), ff.InternalServerError),
        (httpx.Response(499, text=""), ff.APIStatusError),
        (httpx.Response(418, json={"unexpected": True}), ff.APIStatusError),
        (httpx.Response(502, text="<html><body>Bad gateway</body></html>"), ff.InternalServerError),
        (httpx.Response(400, content=b'{"success": false, "err'), ff.BadRequestError),
        (httpx.Response(200, text="<html>captive portal</html>"), ff.APIResponseValidationError),
        (
            httpx.Response(200, content=b'{"success": true, "feedbackId": "x"'),
            ff.APIResponseValidationError,
        ),
        (httpx.Response(200, json={"success": True}), ff.APIResponseValidationError),
        (httpx.Response(200, content=b""), ff.APIResponseValidationError),
        (httpx.Response(200, json=["not", "an", "object"]), ff.APIResponseValidationError),
    ],
)
def test_odd_answers_give_typed_errors(
    mode: str, answer: httpx.Response, cls: type[ff.APIError]
) -> None:
    """Unknown statuses, HTML, empty or truncated bodies, missing fields: typed errors only."""
    with pytest.raises(cls) as caught:
        run(mode, scripted([answer] * 3), "scrape", JOB, **SCRAPE)
    assert isinstance(caught.value, ff.APIError)
    assert str(answer.status_code) in str(caught.value)


def test_requests_carry_user_agent_and_canonical_job_id(mode: str) -> None:
    """The request names the library and sends jobId lower-case and hyphenated."""
    script = scripted([ok()])
    run(mode, script, "scrape", JOB.upper(), **SCRAPE)
    request = script.requests[0]
    assert request.headers["user-agent"].startswith("firecrawl-feedback-python/")
    assert script.bodies()[0]["jobId"] == JOB
    assert script.bodies()[0]["origin"] == "api"
    assert "integration" not in script.bodies()[0]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_says_where_it_pointed(mode: str, status: int) -> None:
    """A base URL that redirects (http to https, an old host) is named as the thing to fix."""
    answer = httpx.Response(status, headers={"location": "https://api.example.test/v2/feedback"})
    script = scripted([answer])
    with pytest.raises(ff.APIStatusError) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    assert str(caught.value) == (
        f"HTTP {status} (no JSON error body: empty body); a redirect to "
        "'https://api.example.test/v2/feedback', not followed: check base_url"
    )
    assert (caught.value.attempts, caught.value.maybe_stored) == (1, False)
    assert len(script.requests) == 1


@pytest.mark.parametrize("status", [300, 302, 304])
def test_a_3xx_without_a_location_is_a_status_error(mode: str, status: int) -> None:
    """No Location header (a 304, a broken proxy): a typed error, not a KeyError."""
    with pytest.raises(ff.APIStatusError) as caught:
        run(mode, scripted([httpx.Response(status)]), "scrape", JOB, **SCRAPE)
    assert str(caught.value) == f"HTTP {status} (no JSON error body: empty body)"
