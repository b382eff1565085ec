"""The ``mcp`` command without the SDK, and the server's pieces in-process."""

from __future__ import annotations

import io
import logging
import sys
from typing import Any

import anyio
import pytest
from firecrawl_feedback import AsyncFeedbackClient
from firecrawl_feedback._cli import _mcp, main
from firecrawl_feedback._cli._output import Redactor
from firecrawl_feedback.testing import FakeFirecrawl

KEY = "fc-0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("blocked", ["mcp", "mcp_types"])
def test_without_the_extra_it_says_what_to_install(
    blocked: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line naming the extra, exit 2, no traceback."""
    for name in [m for m in sys.modules if m == blocked or m.startswith(f"{blocked}.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, blocked, None)  # `import mcp` now fails as if absent
    assert main(["mcp"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == _mcp.INSTALL_HINT + "\n"
    assert err.count("\n") == 1
    assert 'pip install "firecrawl-feedback[mcp]"' in err


def test_the_command_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "mcp" in capsys.readouterr().out


def test_log_lines_are_masked() -> None:
    """The stderr handler masks the key whatever logs it (the SDK's loggers included)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_mcp._RedactingFormatter(Redactor(KEY)))
    record = logging.LogRecord("mcp.server", logging.ERROR, __file__, 1, "bad %s", (KEY,), None)
    handler.emit(record)
    assert stream.getvalue().endswith("bad ***\n")


def test_an_unexpected_failure_is_a_clean_tool_error(caplog: pytest.LogCaptureFixture) -> None:
    """A bug below the tool gives the agent the class name only; the log keeps the cause."""

    class Broken:
        async def submit_body(self, body: Any) -> Any:
            raise RuntimeError(f"boom {KEY}")

    async def go() -> dict[str, Any]:
        return await _mcp.call(Broken(), None, "firecrawl_feedback", {})  # type: ignore[arg-type]

    answer = anyio.run(go)
    assert answer == {"outcome": "internal_error", "message": "internal error (RuntimeError)"}
    assert "firecrawl_feedback failed unexpectedly" in caplog.text


def test_the_outcomes_follow_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, through the fake's transport: zero data retention, opted out, 5xx."""
    fake = FakeFirecrawl()
    client = AsyncFeedbackClient(
        fake.api_key,
        base_url="http://fake.test",
        transport=fake.transport(),
        max_retries=0,
        allow_insecure_http=True,
    )
    search = fake.add_job("search")

    async def go() -> list[dict[str, Any]]:
        body = {"jobId": search, "rating": "bad", "querySuggestions": "x"}
        answers = []
        fake.team.zero_data_retention = True
        answers.append(await _mcp.call(client, None, "firecrawl_search_feedback", body))
        fake.team.zero_data_retention = False
        fake.team.opted_out = True
        answers.append(await _mcp.call(client, None, "firecrawl_search_feedback", body))
        fake.team.opted_out = False
        fake.faults.next(1, status=503)
        answers.append(await _mcp.call(client, None, "firecrawl_search_feedback", body))
        answers.append(
            await _mcp.call(client, None, "firecrawl_search_feedback", {**body, "jobId": 7})
        )
        await client.aclose()
        return answers

    zdr, opted_out, unavailable, bad_id = anyio.run(go)
    assert zdr["outcome"] == "not_stored"
    assert (opted_out["outcome"], opted_out["status"]) == ("forbidden", 403)
    assert (unavailable["outcome"], unavailable["status"]) == ("server_error", 503)
    assert unavailable["maybeStored"] is True
    assert bad_id["outcome"] == "invalid"
    assert [v["field"] for v in bad_id["violations"]] == ["jobId"]


def test_a_broken_transport_stops_the_server_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An error outside any tool call (stdin or stdout gone) ends in one log line, exit 1."""

    async def broken(api_key: str | None, redact: Redactor) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(_mcp, "_serve", broken)
    monkeypatch.setattr(_mcp, "_log_to_stderr", lambda redact: None)  # keep the root logger
    assert _mcp.run_mcp() == 1
    assert [r.getMessage() for r in caplog.records] == [
        "the MCP server stopped: BrokenPipeError: [Errno 32] Broken pipe"
    ]


def test_a_snake_case_key_is_named_as_the_agent_wrote_it() -> None:
    """`job_id` sent by the agent stays `job_id`, with the hint; the path ID is `jobId`."""
    fake = FakeFirecrawl()
    client = AsyncFeedbackClient(fake.api_key, transport=fake.transport(), max_retries=0)
    job = fake.add_job("scrape")

    async def go() -> list[dict[str, Any]]:
        answers = [
            await _mcp.call(
                client,
                None,
                "firecrawl_feedback",
                {"endpoint": "scrape", "job_id": job, "rating": "bad"},
            ),
            await _mcp.call(
                client,
                None,
                "firecrawl_search_feedback",
                {"jobId": "not-a-uuid", "job_id": job, "rating": "bad", "querySuggestions": "x"},
            ),
        ]
        await client.aclose()
        return answers

    endpoint, search = anyio.run(go)
    rules = {v["field"]: v["rule"] for v in endpoint["violations"]}
    assert rules["job_id"].startswith("is not a known field; did you mean jobId?")
    assert rules["jobId"] == "is required"
    fields = [v["field"] for v in search["violations"]]
    assert "jobId" in fields and "job_id" in fields
    assert fake.requests == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (r'{"a":"x\ud83d"}', r'{"a":"x\ufffd"}'),  # half an emoji
        (r'{"a":"\ud83d\ude00"}', r'{"a":"\ud83d\ude00"}'),  # a whole one
        (r'{"a":"\uD83D\uDE00 \uDE00"}', r'{"a":"\uD83D\uDE00 \ufffd"}'),
        (r'{"a":"\udc00\ud800"}', r'{"a":"\ufffd\ufffd"}'),  # a pair in the wrong order
        (r'{"a":"\\ud83d"}', r'{"a":"\\ud83d"}'),  # an escaped backslash, then text
        (r'{"a":"\\\ud83d"}', r'{"a":"\\\ufffd"}'),  # an escaped backslash, then a lone one
        (r'{"a":"\u0041\n\""}', r'{"a":"\u0041\n\""}'),
    ],
)
def test_lone_surrogate_escapes_in_a_request_read_as_u_fffd(line: str, expected: str) -> None:
    assert _mcp.lone_surrogates_replaced(line) == expected


def test_a_servers_400_lists_each_field_issue_once() -> None:
    """The message repeated the details the violations list."""
    details = [{"code": "too_big", "path": ["note"], "message": "Too long"}]
    body = {
        "error": "Invalid request body",
        "feedbackErrorCode": "INVALID_BODY",
        "details": details,
    }
    fake = FakeFirecrawl()
    fake.faults.next(1, status=400, body=body)
    client = AsyncFeedbackClient(
        fake.api_key, base_url="http://fake.test", transport=fake.transport(),
        allow_insecure_http=True,
    )  # fmt: skip

    async def go() -> dict[str, Any]:
        async with client:
            call = {"endpoint": "scrape", "jobId": fake.add_job("scrape"), "rating": "bad"}
            return await _mcp.call(client, None, "firecrawl_feedback", {**call, "note": "n"})

    answer = anyio.run(go)
    assert answer["message"] == "HTTP 400: Invalid request body [INVALID_BODY]"
    assert answer["violations"] == [{"field": "note", "rule": "Too long"}]
