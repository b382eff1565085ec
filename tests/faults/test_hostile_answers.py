"""Answers built to hurt: huge, endless, compressed bombs, trickles, deep or lying JSON.

Each ends in a typed error within the call's budget, with bounded memory.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import firecrawl_feedback as ff
import httpx
import pytest
from firecrawl_feedback import AsyncFeedbackClient, FeedbackClient

from tests.faults import rawserver
from tests.wrapper._mock import API_KEY, JOB, scripted

ROOT = Path(__file__).resolve().parents[2]
SCRAPE = {"rating": "bad", "note": "the table is missing"}


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """1 MB of gzip that inflates to 1 GiB."""
    return rawserver.make_gzip_bomb(1 << 30)


def _call(mode: str, url: str, pool: str = "own", **options: float | int) -> None:
    """One rating; ``pool``: the client's own, a caller's ``transport=`` or ``http_client=``."""
    given: dict[str, object] = {}
    if mode == "sync":
        if pool == "transport":
            given["transport"] = httpx.HTTPTransport()
        elif pool == "http_client":
            given["http_client"] = caller = httpx.Client()
        with FeedbackClient(API_KEY, base_url=url, **given, **options) as client:  # type: ignore[arg-type]
            client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]
        if pool == "http_client":
            caller.close()
        return

    async def go() -> None:
        if pool == "transport":
            given["transport"] = httpx.AsyncHTTPTransport()
        elif pool == "http_client":
            given["http_client"] = httpx.AsyncClient()
        async with AsyncFeedbackClient(API_KEY, base_url=url, **given, **options) as client:  # type: ignore[arg-type]
            await client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]

    asyncio.run(go())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (rawserver.gigabyte, ff.APIResponseValidationError),
        (rawserver.endless_chunked, ff.APIResponseValidationError),
    ],
    ids=["1-gigabyte", "endless-chunked"],
)
def test_huge_answers_stop_at_the_size_limit(
    mode: str, answer: rawserver.Answer, error: type[Exception]
) -> None:
    """Reading stops at MAX_RESPONSE_BYTES: a typed error, not a MemoryError or a hang."""
    with rawserver.raw_server(answer) as url, pytest.raises(error, match="limit"):
        _call(mode, url, max_retries=0)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [200, 500])
def test_gzip_bomb_is_inflated_only_up_to_the_limit(mode: str, status: int, bomb: bytes) -> None:
    """A 1 GiB gzip bomb: a 200 is not a feedback answer; a 500 is a 5xx with its body unread."""
    expected = ff.APIResponseValidationError if status == 200 else ff.InternalServerError
    with (
        rawserver.raw_server(rawserver.gzip_bomb(bomb, status)) as url,
        pytest.raises(expected, match="limit") as caught,
    ):
        _call(mode, url, max_retries=1)
    if status == 500:
        assert caught.value.attempts == 2  # retried as any 500, each read capped


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_trickling_body_is_cut_at_the_total_budget(mode: str) -> None:
    """A byte every 0.1 s for 1000 bytes (100 s) under a 1.5 s budget: a timeout, early."""
    started = time.monotonic()
    with (
        rawserver.raw_server(rawserver.trickle(0.1)) as url,
        pytest.raises(ff.APITimeoutError, match="budget") as caught,
    ):
        _call(mode, url, total_budget=1.5, timeout=30.0)
    # Not a timing assertion: the answer itself would take 100 s to arrive.
    assert time.monotonic() - started < 30
    assert caught.value.maybe_stored  # the request was sent: the server may hold it


@pytest.mark.parametrize("pool", ["own", "transport", "http_client"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "answer",
    [rawserver.trickle_head(0.1), rawserver.endless_informational(0.1)],
    ids=["status-line", "endless-100-continue"],
)
def test_headers_trickling_are_cut_at_the_total_budget(
    mode: str, answer: rawserver.Answer, pool: str
) -> None:
    """The deadline covers every phase, a status line or a 1xx stream that never ends included.

    Sync too: httpx's timeouts are per socket read, which a byte every 0.1 s never trips;
    through a caller's transport or httpx client as through the client's own pool.
    """
    started = time.monotonic()
    with (
        rawserver.raw_server(answer) as url,
        pytest.raises(ff.APITimeoutError, match="budget") as caught,
    ):
        _call(mode, url, pool, total_budget=1.5, timeout=30.0)
    # Not a timing assertion: the server would go on for a minute.
    assert time.monotonic() - started < 30
    assert caught.value.maybe_stored  # the request was sent: the server may hold it


_RSS_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import firecrawl_feedback as ff
    started = time.monotonic()
    try:
        with ff.FeedbackClient("fc-test", base_url=sys.argv[1], max_retries=0,
                               total_budget=float(sys.argv[2])) as client:
            client.scrape("0190b3a2-5a4e-7d1f-9b2c-3d4e5f6a7b8c", rating="bad", note="x")
        outcome = "no error"
    except ff.FeedbackError as exc:
        outcome = type(exc).__name__
    print(json.dumps({
        "outcome": outcome,
        "seconds": time.monotonic() - started,
        # VmHWM, this process's own peak: ru_maxrss would include the parent's at fork.
        "max_rss_mb": next(int(line.split()[1]) for line in open("/proc/self/status")
                           if line.startswith("VmHWM:")) / 1024,
    }))
    """
)


@pytest.mark.parametrize("case", ["1-gigabyte", "endless-chunked", "gzip-bomb"])
def test_peak_memory_stays_small(case: str, bomb: bytes) -> None:
    """In a fresh interpreter, each hostile answer ends in a typed error under 100 MB RSS."""
    answers: dict[str, Callable[..., None]] = {
        "1-gigabyte": rawserver.gigabyte,
        "endless-chunked": rawserver.endless_chunked,
        "gzip-bomb": rawserver.gzip_bomb(bomb),
    }
    budget = 20.0
    with rawserver.raw_server(answers[case]) as url:
        run = subprocess.run(
            [sys.executable, "-c", _RSS_SCRIPT, url, str(budget)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["outcome"] == "APIResponseValidationError"
    assert report["seconds"] < budget
    assert report["max_rss_mb"] < 100, report


# -- lying or broken JSON, through an in-process transport ---------------------------


def _answer(status: int, content: bytes) -> httpx.Response:
    return httpx.Response(status, content=content, headers={"content-type": "application/json"})


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (200, ff.APIResponseValidationError),
        (400, ff.BadRequestError),
        (500, ff.InternalServerError),
    ],
)
def test_deeply_nested_json_is_not_a_recursion_error(
    mode: str, status: int, error: type[Exception]
) -> None:
    """JSON nested 100,000 deep: the typed error of its status, no RecursionError."""
    from tests.wrapper._mock import run

    with pytest.raises(error):
        run(mode, scripted([_answer(status, DEEP)] * 3), "scrape", JOB, **SCRAPE)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "body",
    [
        b'{"success": false, "feedbackId": null, "creditsRefunded": 0}',
        b'{"success": true, "feedbackId": null, "creditsRefunded": 0}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": "lots"}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": 1e400}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": 1' + b"0" * 400 + b"}",
        b'{"success": true, "feedbackId": "x", "creditsRefunded": 1, "dailyRefundCap": -1'
        + b"0" * 400
        + b"}",
        b'{"success": true, "feedbackId": "x", "creditsRefunded": NaN}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": Infinity}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": true}',
        b'{"success": "yes", "feedbackId": "x", "creditsRefunded": 1}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": 1, "alreadySubmitted": "no"}',
        b'{"success": true, "feedbackId": "x", "creditsRefunded": 1, "warning": 3}',
        b'{"success": true, "feedbackId": 7, "creditsRefunded": 1}',
    ],
)
def test_a_2xx_body_that_breaks_the_spec_is_not_a_result(mode: str, body: bytes) -> None:
    """Every field of a success is checked against the canonical spec's FeedbackResponse."""
    from tests.wrapper._mock import run

    with pytest.raises(ff.APIResponseValidationError) as caught:
        run(mode, scripted([_answer(200, body)]), "scrape", JOB, **SCRAPE)
    assert caught.value.attempts == 1
    assert caught.value.maybe_stored  # a 2xx: the server took the request


def test_a_valid_answer_still_reads_as_before() -> None:
    """The checks let through what the server sends, optional fields included."""
    from tests.wrapper._mock import run

    body = {
        "success": True,
        "feedbackId": "",
        "creditsRefunded": 0,
        "alreadySubmitted": True,
        "warning": "already",
    }
    result = run(
        "sync", scripted([_answer(200, json.dumps(body).encode())]), "scrape", JOB, **SCRAPE
    )
    assert result.feedback_id == "" and result.already_submitted


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("status", "body", "code", "error"),
    [
        (429, {"success": False, "error": 5}, None, ff.RateLimitError),
        (429, {"success": False, "error": ["retry after 3s"]}, None, ff.RateLimitError),
        (404, {"success": False, "error": None, "feedbackErrorCode": 7}, None, ff.NotFoundError),
        (
            409,
            {"error": "x", "feedbackErrorCode": ["FEEDBACK_WINDOW_EXPIRED"]},
            None,
            ff.ConflictError,
        ),
        (
            409,
            {
                "success": False,
                "error": "x",
                "feedbackErrorCode": "FEEDBACK_WINDOW_EXPIRED",
                "details": "x",
            },
            "FEEDBACK_WINDOW_EXPIRED",
            ff.ConflictError,
        ),
        (
            400,
            {"error": {"nested": 1}, "feedbackErrorCode": "INVALID_BODY", "details": [{"path": 5}]},
            "INVALID_BODY",
            ff.BadRequestError,
        ),
    ],
)
def test_an_error_body_with_fields_of_the_wrong_type_is_still_a_typed_error(
    mode: str, status: int, body: dict[str, object], code: str | None, error: type[Exception]
) -> None:
    """A field of the wrong type is ignored, not a TypeError; the fields that are right stay."""
    from tests.wrapper._mock import run

    answer = _answer(status, json.dumps(body).encode())
    with pytest.raises(error) as caught:
        run(mode, scripted([answer]), "scrape", JOB, client={"max_retries": 0}, **SCRAPE)
    assert isinstance(caught.value, ff.APIStatusError)
    assert caught.value.code == code
