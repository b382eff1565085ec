"""The retry policy: what is retried, how long it waits, and the call's budget, sync and async."""

from __future__ import annotations

import email.utils
import logging

import firecrawl_feedback as ff
import httpx
import pytest
from firecrawl_feedback._failures import reached_server
from firecrawl_feedback._retry import RetryPolicy
from firecrawl_feedback._retry_after import server_wait

from tests.wrapper._mock import JOB, error, ok, run, scripted

SCRAPE = {"rating": "bad", "note": "the table is missing"}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("peer closed connection"),
        error(408, "timeout"),
        error(429, "please retry after 1s, resets at ..."),
        error(500, "boom", "INTERNAL"),
        error(502, "bad gateway"),
        error(503, "unavailable"),
        error(504, "gateway timeout"),
    ],
)
def test_transient_failures_are_retried(mode: str, failure: object) -> None:
    """Connection errors, timeouts, 408, 429 and 5xx are retried, then succeed."""
    script = scripted([failure, failure, ok()])  # type: ignore[list-item]
    result = run(mode, script, "scrape", JOB, **SCRAPE)
    assert result.attempts == 3
    assert len(script.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 422])
def test_other_4xx_are_not_retried(mode: str, status: int) -> None:
    """Client errors are final at the first attempt."""
    script = scripted([error(status, "no")])
    with pytest.raises(ff.APIStatusError) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    assert caught.value.attempts == 1 and len(script.requests) == 1


def test_retries_exhausted_raise_the_last_error(mode: str) -> None:
    """After max_retries the last error is raised with the attempt count."""
    script = scripted([error(503, "a"), error(502, "b"), httpx.ReadTimeout("c")])
    with pytest.raises(ff.APITimeoutError) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    assert caught.value.attempts == 3


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_is_honoured(mode: str, max_retries: int) -> None:
    """The number of attempts is max_retries + 1, per client and per call."""
    script = scripted([error(503, "x")] * (max_retries + 1))
    with pytest.raises(ff.InternalServerError) as caught:
        run(mode, script, "scrape", JOB, max_retries=max_retries, **SCRAPE)
    assert caught.value.attempts == max_retries + 1
    script = scripted([error(503, "x")] * (max_retries + 1))
    with pytest.raises(ff.InternalServerError):
        run(mode, script, "scrape", JOB, client={"max_retries": max_retries}, **SCRAPE)
    assert len(script.requests) == max_retries + 1


def test_validation_errors_are_never_sent(mode: str) -> None:
    """Bad input raises ValidationError before any request."""
    script = scripted([])
    with pytest.raises(ff.ValidationError):
        run(mode, script, "scrape", JOB, rating="awful", note="x")
    assert script.requests == []


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout("lost"), httpx.RemoteProtocolError("dropped"), error(502, "x")]
)
def test_already_submitted_after_ambiguous_failure_says_so(mode: str, failure: object) -> None:
    """A retry after an ambiguous failure that comes back alreadySubmitted is flagged, not new."""
    duplicate = ok(alreadySubmitted=True, creditsRefunded=0, feedbackId="", warning="already")
    result = run(mode, scripted([failure, duplicate]), "scrape", JOB, **SCRAPE)  # type: ignore[list-item]
    assert result.already_submitted and result.stored_by_earlier_attempt
    assert result.attempts == 2


def test_already_submitted_after_unambiguous_failure_is_not_ours(mode: str) -> None:
    """A connect error sent nothing, so a later duplicate is someone else's."""
    duplicate = ok(alreadySubmitted=True, creditsRefunded=0)
    result = run(
        mode, scripted([httpx.ConnectError("refused"), duplicate]), "scrape", JOB, **SCRAPE
    )
    assert result.already_submitted and not result.stored_by_earlier_attempt


def test_long_server_wait_raises_at_once(mode: str) -> None:
    """A 429 asking for longer than the cap raises RateLimitError without sleeping."""
    script = scripted([error(429, "please retry after 61s, resets at ...")])
    with pytest.raises(ff.RateLimitError) as caught:
        run(mode, script, "scrape", JOB, **SCRAPE)
    assert caught.value.retry_after == 61 and caught.value.attempts == 1


def test_budget_stops_retries_that_would_end_after_it(mode: str) -> None:
    """A retry whose wait would pass the call's total budget is not made."""
    script = scripted([error(429, "please retry after 5s, resets at ...")])
    with pytest.raises(ff.RateLimitError) as caught:
        run(mode, script, "scrape", JOB, client={"total_budget": 2.0}, **SCRAPE)
    assert caught.value.attempts == 1


def test_budget_caps_each_attempts_timeout(mode: str) -> None:
    """No attempt may outlive the budget: its timeouts are cut to what is left."""
    seen: list[dict[str, float]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return ok()

    run(
        mode,
        scripted([answer]),
        "scrape",
        JOB,
        client={"total_budget": 3.0, "timeout": 30.0},
        **SCRAPE,
    )
    assert all(0 < value <= 3.0 for value in seen[0].values())


def test_retry_waits_are_logged(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    """The wait the server asked for is the one used (seen in the retry log line)."""
    caplog.set_level(logging.INFO, logger="firecrawl_feedback")
    headers = {"retry-after-ms": "1500"}
    answer = httpx.Response(503, headers=headers, json={"success": False, "error": "busy"})
    run(mode, scripted([answer, ok()]), "scrape", JOB, **SCRAPE)
    assert "in 1.50 s (attempt 2 of 3) after HTTP 503" in caplog.text


# -- the policy itself --------------------------------------------------------


def _rate_limited(text: str = "", **headers: str) -> ff.RateLimitError:
    response = httpx.Response(
        429, headers=headers, request=httpx.Request("POST", "https://x/v2/feedback")
    )
    return ff.RateLimitError("429", response=response, retry_after=server_wait(response, text))


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "text", "expected"),
    [
        ({"retry-after-ms": "250"}, "", 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, "", 0.25),
        ({"retry-after": "7"}, "", 7.0),
        ({"retry-after": "2.5"}, "", 2.5),
        ({"retry-after": email.utils.formatdate(NOW + 30, usegmt=True)}, "", 30.0),
        ({"retry-after": email.utils.formatdate(NOW - 30, usegmt=True)}, "", 0.0),
        ({}, "Rate limit exceeded ... please retry after 12s, resets at Sat Nov 21", 12.0),
        ({}, "please Retry After 3.5s", 3.5),
        ({"retry-after": "soon"}, "please retry after 4s", 4.0),
        ({"retry-after-ms": "-5"}, "", None),
        ({}, "slow down", None),
        # Not delay-seconds, though float() reads them: ignored, the next form counts.
        ({"retry-after": "inf"}, "please retry after 4s", 4.0),
        ({"retry-after": "1e400"}, "", None),
        ({"retry-after": "9" * 400}, "", None),
        ({"retry-after-ms": "Infinity"}, "", None),
        ({"retry-after": "1_0"}, "", None),
        ({"retry-after": "-5"}, "", None),
        ({"retry-after": " 5 "}, "", 5.0),
        ({}, "please retry after 1" + "0" * 400 + "s", None),
        # Dates whose year overflows the date parser: no date, the text counts.
        ({"retry-after": "Sun, 06 Nov 9223372036854775808 08:49:37 GMT"}, "retry after 4s", 4.0),
        ({"retry-after": "Sunday, 06-Nov-99999999999 08:49:37 GMT"}, "", None),
    ],
)
def test_server_wait_forms(headers: dict[str, str], text: str, expected: float | None) -> None:
    """retry-after-ms, then Retry-After seconds or HTTP date, then Firecrawl's text."""
    response = httpx.Response(429, headers=headers)
    assert (
        server_wait(response, text, now=NOW) == pytest.approx(expected)
        if expected is not None
        else server_wait(response, text, now=NOW) is None
    )


def test_backoff_is_exponential_jittered_and_capped() -> None:
    """0.5 s doubling up to 8 s, each shortened by at most 25 %."""
    policy = RetryPolicy()
    for retry, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (9, 8.0)]:
        waits = [policy.backoff(retry) for _ in range(200)]
        assert all(0.75 * ceiling <= w <= ceiling for w in waits)
        assert len(set(waits)) > 1


def test_policy_uses_server_wait_up_to_the_cap() -> None:
    """Server waits are used as given, up to max_server_wait; beyond, no retry."""
    policy = RetryPolicy(max_server_wait=60)
    assert policy.wait_before_retry(_rate_limited("please retry after 60s"), 1) == 60
    assert policy.wait_before_retry(_rate_limited("please retry after 61s"), 1) is None
    assert policy.wait_before_retry(_rate_limited(), 1) is not None  # no wait given: backoff


def test_ambiguity() -> None:
    """Only failures that may have reached the server are ambiguous (reached_server)."""
    request = httpx.Request("POST", "https://x/v2/feedback")

    def wrapped(exc: Exception) -> ff.APIConnectionError:
        err = ff.APIConnectionError("x", request=request)
        err.__cause__ = exc
        return err

    assert not reached_server(wrapped(httpx.ConnectError("refused")))
    assert not reached_server(wrapped(httpx.ConnectTimeout("slow dns")))
    assert reached_server(wrapped(httpx.ReadTimeout("lost")))
    assert reached_server(wrapped(httpx.RemoteProtocolError("dropped")))
    assert reached_server(
        ff.InternalServerError("x", response=httpx.Response(502, request=request))
    )
    assert not reached_server(ff.RateLimitError("x", response=httpx.Response(429, request=request)))


def test_the_loop_sleeps_exactly_the_policy_wait_outside_testing_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the testing switch off, the loop sleeps exactly the wait the policy chose."""
    import firecrawl_feedback._retry as retry_module

    waits: list[float] = []
    monkeypatch.setattr(retry_module.time, "sleep", waits.append)
    ff.set_retry_testing(False)
    try:
        answer = httpx.Response(
            503, headers={"retry-after-ms": "20"}, json={"success": False, "error": "x"}
        )
        result = run("sync", scripted([answer, ok()]), "scrape", JOB, **SCRAPE)
    finally:
        ff.set_retry_testing(True)
    assert result.attempts == 2
    assert waits == [pytest.approx(0.02)]


@pytest.mark.parametrize(
    ("answers", "maybe_stored"),
    [
        # An attempt that may have landed, then the window closed: the server may hold it.
        ([httpx.ReadTimeout("lost"), error(409, "late", "FEEDBACK_WINDOW_EXPIRED")], True),
        ([error(502, "gateway"), error(409, "late", "FEEDBACK_WINDOW_EXPIRED")], True),
        # Answers that prove nothing was stored, whatever came before.
        ([httpx.ReadTimeout("lost"), error(404, "no job", "JOB_NOT_FOUND")], False),
        ([httpx.ReadTimeout("lost"), error(409, "failed search", "SEARCH_FAILED")], False),
        ([httpx.ReadTimeout("lost"), error(400, "bad", "INVALID_BODY")], False),
        # Nothing could have landed before: the window answer is the truth.
        ([httpx.ConnectError("refused"), error(409, "late", "FEEDBACK_WINDOW_EXPIRED")], False),
        (
            [error(429, "please retry after 1s"), error(409, "late", "FEEDBACK_WINDOW_EXPIRED")],
            False,
        ),
        # The last attempt itself may have landed.
        ([httpx.ReadTimeout("a"), httpx.ReadTimeout("b"), httpx.ReadTimeout("c")], True),
        ([httpx.ConnectError("a"), httpx.ConnectError("b"), httpx.ConnectError("c")], False),
    ],
)
def test_maybe_stored_says_whether_the_server_may_hold_the_feedback(
    mode: str, answers: list[object], maybe_stored: bool
) -> None:
    """A failed call says whether an attempt may have stored it (window before duplicate)."""
    with pytest.raises(ff.APIError) as caught:
        run(mode, scripted(answers), "scrape", JOB, **SCRAPE)  # type: ignore[arg-type]
    assert caught.value.maybe_stored is maybe_stored


def test_a_retry_policy_is_taken_by_the_constructor_and_with_options(mode: str) -> None:
    """FeedbackClient(retry=...) and with_options(retry=...) apply the policy's retries."""
    fails = [error(503, "unavailable")] * 4
    result = run(
        mode,
        scripted([*fails, ok()]),
        "scrape",
        JOB,
        client={"retry": RetryPolicy(max_retries=4, backoff_initial=0.01)},
        **SCRAPE,
    )
    assert result.attempts == 5
    with pytest.raises(ff.InternalServerError) as caught:
        run(
            mode,
            scripted(fails),
            "scrape",
            JOB,
            client={"retry": RetryPolicy(max_retries=1)},
            **SCRAPE,
        )
    assert caught.value.attempts == 2
    base = ff.FeedbackClient(api_key="fc-k", retry=RetryPolicy(max_retries=4, backoff_max=1.0))
    copy = base.with_options(retry=RetryPolicy(max_retries=1, backoff_max=2.0))
    assert (copy.retry.max_retries, copy.retry.backoff_max) == (1, 2.0)
    # max_retries and total_budget override the policy's own fields.
    assert base.with_options(max_retries=0).retry == RetryPolicy(max_retries=0, backoff_max=1.0)
    base.close()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"total_budget": 0}, "total_budget"),
        ({"backoff_initial": float("nan")}, "RetryPolicy.backoff_initial"),
        ({"backoff_max": -2}, "RetryPolicy.backoff_max"),
        ({"max_server_wait": "60"}, "RetryPolicy.max_server_wait"),
        ({"backoff_jitter": 1.5}, "RetryPolicy.backoff_jitter"),
    ],
)
def test_a_bad_retry_policy_is_refused_naming_the_field(
    fields: dict[str, object], named: str
) -> None:
    """RetryPolicy checks its fields; a client refuses a retry that is not a RetryPolicy."""
    with pytest.raises(ff.ConfigurationError, match=named):
        RetryPolicy(**fields)  # type: ignore[arg-type]


def test_retry_must_be_a_retry_policy() -> None:
    with pytest.raises(ff.ConfigurationError, match="retry must be a"):
        ff.FeedbackClient(api_key="fc-k", retry={"max_retries": 1})  # type: ignore[arg-type]
    with ff.FeedbackClient(api_key="fc-k") as client, pytest.raises(ff.ConfigurationError):
        client.with_options(retry=3)  # type: ignore[arg-type]
