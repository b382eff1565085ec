"""The API key appears in no log line, error message, repr or file the library writes."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from firecrawl_feedback import (
    APIError,
    FeedbackClient,
    FeedbackError,
    FeedbackResult,
    ValidationError,
)
from firecrawl_feedback.testing import FakeFirecrawl

from tests.faults import rawserver

KEY = "fc-secrecy0123456789abcdef"


@pytest.fixture
def keyed(url: str, served: tuple[FakeFirecrawl, str]) -> FakeFirecrawl:
    """The served fake with a team whose key is KEY (created once per module)."""
    fake = served[0]
    with contextlib.suppress(ValueError):  # already added by an earlier test
        fake.add_team("secrecy", api_key=KEY, rate_limit=10**9)
    fake.faults.clear()
    return fake


def _exercise(url: str, fake: FakeFirecrawl) -> list[object]:
    """Success, retries, every kind of error: everything a user might print or log."""
    seen: list[object] = []
    job = fake.add_job("scrape", team="secrecy")
    fake.faults.next(1, status=503)
    fake.faults.next(1, status=429, retry_after=1)
    fake.faults.next(1, drop=True)
    with FeedbackClient(KEY, base_url=url, timeout=2, max_retries=3) as client:
        seen.append(client)
        seen.append(client.with_options(max_retries=0))
        result = client.scrape(job, rating="bad", note="x")
        seen += [result, result.to_dict()]
        calls: list[Callable[[], object]] = [
            lambda: client.scrape(job, rating="bad", note="again"),  # duplicate: success
            lambda: client.scrape("0190d7a2-3c4b-7d5e-8f60-123456789abc", rating="bad", note="x"),
            lambda: client.scrape(job, rating="bad"),  # ValidationError
            lambda: client.search(job, rating="good"),  # ValidationError
        ]
        for call in calls:
            try:
                seen.append(call())
            except FeedbackError as error:
                seen.append(error)
    with FeedbackClient("fc-wrong-key", base_url=url, max_retries=0) as other:
        try:
            other.scrape(job, rating="bad", note="x")
        except APIError as error:
            seen.append(error)
    return seen


def test_key_is_absent_from_debug_logs_errors_and_reprs(
    keyed: FakeFirecrawl, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """With DEBUG logging on, nothing logged, raised, printed or repr'd contains the key."""
    caplog.set_level(logging.DEBUG)
    seen = _exercise(url, keyed)
    errors = [item for item in seen if isinstance(item, FeedbackError)]
    assert any(isinstance(e, ValidationError) for e in errors)
    assert any(isinstance(e, APIError) for e in errors)
    assert caplog.records, "DEBUG logging produced nothing: the check would be vacuous"
    text = "\n".join(
        [caplog.text]
        + [repr(item) for item in seen]
        + [str(item) for item in seen]
        + [str(getattr(e, "body", "")) for e in errors]
    )
    assert "Bearer" not in caplog.text or "[redacted]" in caplog.text
    assert KEY not in text


def test_key_is_absent_from_firecrawl_log_debug_output(keyed: FakeFirecrawl, url: str) -> None:
    """FIRECRAWL_LOG=debug in a fresh process: its stderr and stdout never contain the key."""
    job = keyed.add_job("scrape", team="secrecy")
    keyed.faults.next(1, status=500)
    script = textwrap.dedent(
        f"""
        from firecrawl_feedback import FeedbackClient, set_retry_testing
        set_retry_testing(True)
        with FeedbackClient(base_url={url!r}) as client:
            print(repr(client), client.scrape({job!r}, rating="bad", note="x"))
        """
    )
    env = {**os.environ, "FIRECRAWL_LOG": "debug", "FIRECRAWL_API_KEY": KEY}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "attempt 2" in result.stderr  # the debug log is on and saw the retry
    assert KEY not in result.stdout + result.stderr


def test_key_is_absent_from_the_batch_ledger_and_output(
    keyed: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """The CLI's ledger, stdout and stderr never contain the key given with --api-key."""
    batch = tmp_path / "batch.jsonl"
    lines = [
        {
            "endpoint": "scrape",
            "jobId": keyed.add_job("scrape", team="secrecy"),
            "rating": "bad",
            "note": "x",
        },
        {"endpoint": "scrape", "jobId": "not-a-uuid", "rating": "bad", "note": "x"},
        {
            "endpoint": "map",
            "jobId": "0190d7a2-3c4b-7d5e-8f60-123456789abc",
            "rating": "bad",
            "note": "x",
        },
    ]
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines))
    ledger = tmp_path / "batch.ledger"
    result = subprocess.run(
        [
            sys.executable, "-m", "firecrawl_feedback._cli._main", "batch", str(batch),
            "--ledger", str(ledger), "--base-url", url, "--api-key", KEY,
            "--max-rate", "0", "--progress", "plain",
        ],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "FIRECRAWL_LOG": "debug"},
    )  # fmt: skip
    written = ledger.read_text()
    # One outcome record per line (sent lines also have an "attempt" record before it).
    outcomes = [line for line in written.splitlines() if '"outcome":"attempt"' not in line]
    assert len(outcomes) == len(lines), result.stderr
    assert KEY not in written + result.stdout + result.stderr
    assert all(KEY not in path.read_text(errors="replace") for path in tmp_path.iterdir())


def _echoing(kind: str) -> Callable[[socket.socket], None]:
    """An answer that quotes the request's Authorization header back (a proxy, a debug server)."""

    def answer(conn: socket.socket) -> None:
        # rawserver has read the request; the key is known here, as the server would know it.
        quoted = f"Authorization: Bearer {KEY}"
        if kind == "protocol":
            conn.sendall(f"HTTP/1.1 200 OK\r\nX: {quoted}\0\r\n\r\n".encode())
            return
        body: dict[str, object] = {"success": False, "error": f"bad key {KEY} ({quoted})"}
        status = {"401": 401, "400": 400, "200": 200}[kind]
        if kind == "400":
            body["details"] = [{"path": ["note"], "message": quoted, "code": "custom"}]
        if kind == "200":
            body = {"success": True, "feedbackId": "", "creditsRefunded": 0, "warning": quoted}
        content = json.dumps(body).encode()
        conn.sendall(rawserver.head(status, f"Content-Length: {len(content)}") + content)

    return answer


@pytest.mark.parametrize("kind", ["401", "400", "200", "protocol"])
def test_an_answer_quoting_the_key_does_not_bring_it_into_errors_or_results(kind: str) -> None:
    """Whatever the server echoes, the key is replaced in messages, details, bodies and causes."""
    with (
        rawserver.raw_server(_echoing(kind)) as url,
        FeedbackClient(KEY, base_url=url, max_retries=0) as client,
    ):
        try:
            outcome: object = client.scrape(
                "0190d7a2-3c4b-7d5e-8f60-123456789abc", rating="bad", note="x"
            )
        except APIError as error:
            outcome = error
    if kind == "200":
        assert isinstance(outcome, FeedbackResult)
        shown = [repr(outcome), str(outcome.to_dict())]
    else:
        assert isinstance(outcome, APIError), outcome
        shown = [
            str(outcome),
            repr(outcome),
            str(getattr(outcome, "body", "")),
            "".join(traceback.format_exception(outcome)),
            *(f"{d} {d.raw}" for d in getattr(outcome, "details", ())),
        ]
    assert "[redacted]" in "".join(shown)
    assert KEY not in "".join(shown)
