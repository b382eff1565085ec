"""``firecrawl-feedback mcp`` in a real process, driven by the MCP SDK's own stdio client.

The server is the installed console script; its Firecrawl is the reference
server on 127.0.0.1 (``FakeFirecrawl().serve()``), reached through the URL and
key in the subprocess's environment.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import anyio
import firecrawl_feedback
import mcp_types
import pytest
from firecrawl_feedback.testing import FakeFirecrawl
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.faults import rawserver

from .conftest import expected_tools

CLI = str(Path(sys.executable).with_name("firecrawl-feedback"))
#: Generous: a hang would otherwise last until pytest-timeout; real runs take ~2 s.
DEADLINE = 60

T = TypeVar("T")


class Run:
    """One server process: what its stderr logged, and every text the client received."""

    def __init__(self) -> None:
        self.stderr = ""
        self.received: list[str] = []


@pytest.fixture
def fake() -> FakeFirecrawl:
    return FakeFirecrawl()


@pytest.fixture
def url(fake: FakeFirecrawl) -> Iterator[str]:
    with fake.serve() as served:
        yield served


def _drive(env: dict[str, str], run: Run, steps: Callable[[ClientSession], Awaitable[T]]) -> T:
    """Start the server with ``env``, initialize a session, run ``steps``; keep its stderr."""
    params = StdioServerParameters(command=CLI, args=["mcp"], env=env)

    async def main() -> T:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as errlog:
            try:
                with anyio.fail_after(DEADLINE):
                    async with (
                        stdio_client(params, errlog=errlog) as (read, write),
                        ClientSession(read, write) as session,
                    ):
                        init = await session.initialize()
                        run.received.append(init.model_dump_json())
                        return await steps(session)
            finally:
                errlog.seek(0)
                run.stderr = errlog.read()

    return anyio.run(main)


async def _call(
    session: ClientSession, run: Run, name: str, arguments: dict[str, Any]
) -> tuple[bool, dict[str, Any]]:
    """(isError, the JSON object in the text content), checked against structuredContent."""
    result = await session.call_tool(name, arguments)
    run.received.append(result.model_dump_json(by_alias=True))
    assert len(result.content) == 1
    block = result.content[0]
    assert isinstance(block, mcp_types.TextContent)
    answer: dict[str, Any] = json.loads(block.text)
    assert result.structured_content == answer
    return result.is_error, answer


def _env(fake: FakeFirecrawl, url: str, **extra: str) -> dict[str, str]:
    return {"FIRECRAWL_API_KEY": fake.api_key, "FIRECRAWL_API_URL": url, **extra}


def test_it_lists_the_two_tools_of_the_canonical_spec(
    fake: FakeFirecrawl, url: str, canonical: dict[str, Any]
) -> None:
    """The listed tools are tool_schemas("mcp"), and their schemas are the spec's."""
    run = Run()

    async def steps(session: ClientSession) -> list[mcp_types.Tool]:
        return (await session.list_tools()).tools

    tools = _drive(_env(fake, url), run, steps)
    expected = expected_tools(canonical)
    assert [tool.name for tool in tools] == ["firecrawl_feedback", "firecrawl_search_feedback"]
    for tool in tools:
        assert tool.input_schema == expected[tool.name]["inputSchema"]
        assert tool.description == expected[tool.name]["description"]
    listed = [tool.model_dump(by_alias=True, exclude_none=True) for tool in tools]
    assert listed == firecrawl_feedback.tool_schemas("mcp")


def test_valid_calls_store_feedback_and_invalid_ones_name_the_field(
    fake: FakeFirecrawl, url: str
) -> None:
    """Both routes store; a duplicate and a bad body come back typed; the key shows nowhere."""
    scrape = fake.add_job("scrape")
    search = fake.add_job("search")
    run = Run()

    async def steps(session: ClientSession) -> list[tuple[bool, dict[str, Any]]]:
        return [
            await _call(
                session,
                run,
                "firecrawl_feedback",
                {"endpoint": "scrape", "jobId": scrape, "rating": "bad", "note": "empty page"},
            ),
            await _call(
                session,
                run,
                "firecrawl_search_feedback",
                {"jobId": search, "rating": "bad", "querySuggestions": "prefer the docs"},
            ),
            await _call(
                session,
                run,
                "firecrawl_feedback",
                {"endpoint": "scrape", "jobId": scrape, "rating": "bad", "note": "again"},
            ),
            await _call(
                session,
                run,
                "firecrawl_feedback",
                {"endpoint": "scrape", "jobId": scrape, "rating": "meh", "issues": ["Bad Code"]},
            ),
            await _call(session, run, "firecrawl_search_feedback", {"rating": "bad"}),
        ]

    stored, searched, duplicate, invalid, no_job_id = _drive(
        _env(fake, url, FIRECRAWL_LOG="debug"), run, steps
    )

    assert stored == (
        False,
        {
            "outcome": "stored",
            "feedbackId": fake.feedback[0].feedback_id,
            "creditsRefunded": 1,
            "alreadySubmitted": False,
            "dailyCapReached": False,
            "warning": None,
        },
    )
    assert searched[0] is False
    assert searched[1]["outcome"] == "stored"
    records = [(r.endpoint, r.job_id, r.rating, r.body.get("note")) for r in fake.feedback]
    assert records == [("scrape", scrape, "bad", "empty page"), ("search", search, "bad", None)]
    assert fake.feedback[1].body["querySuggestions"] == "prefer the docs"

    assert duplicate[0] is False
    assert duplicate[1]["outcome"] == "duplicate"
    assert duplicate[1]["alreadySubmitted"] is True

    is_error, answer = invalid
    assert is_error is True
    assert answer["outcome"] == "invalid"
    fields = {v["field"]: v["rule"] for v in answer["violations"]}
    assert set(fields) == {"rating", "issues[0]"}
    assert "good" in fields["rating"]
    assert "^[a-z0-9][a-z0-9_-]*$" in fields["issues[0]"]

    is_error, answer = no_job_id
    assert is_error is True
    fields = {v["field"]: v["rule"] for v in answer["violations"]}
    assert "jobId" in fields
    assert "required" in fields["jobId"]
    assert len(fields) > 1  # the body's own problem (a bad rating needs evidence) too
    assert len(fake.feedback) == 2  # nothing invalid was sent
    assert fake.requests[-1].status == 200

    # The key is in no message, result or log line; the log did record the requests.
    assert "POST" in run.stderr
    assert fake.api_key not in run.stderr
    assert all(fake.api_key not in text for text in run.received)


def test_server_answers_come_back_typed(fake: FakeFirecrawl, url: str) -> None:
    """Not found, window expired and rate limited: outcome, status, code and retryAfter."""
    late = fake.add_job("map")
    fake.advance(121)  # the map job is now past its feedback window
    fresh = fake.add_job("parse")
    run = Run()

    async def steps(session: ClientSession) -> list[tuple[bool, dict[str, Any]]]:
        answers = []
        for job in (late, "0b5e5d0c-3a4c-4d6e-8f10-2a3b4c5d6e7f"):
            body = {"endpoint": "map", "jobId": job, "rating": "bad", "note": "n"}
            answers.append(await _call(session, run, "firecrawl_feedback", body))
        fake.faults.next(5, status=429, retry_after=90)
        body = {"endpoint": "parse", "jobId": fresh, "rating": "good", "pageNumbers": [1]}
        answers.append(await _call(session, run, "firecrawl_feedback", body))
        answers.append(await _call(session, run, "no_such_tool", {}))
        return answers

    expired, not_found, limited, unknown = _drive(_env(fake, url), run, steps)
    assert expired[0] is True
    assert expired[1]["outcome"] == "window_expired"
    assert (expired[1]["status"], expired[1]["code"]) == (409, "FEEDBACK_WINDOW_EXPIRED")
    assert not_found[1]["outcome"] == "not_found"
    assert (not_found[1]["status"], not_found[1]["code"]) == (404, "JOB_NOT_FOUND")
    assert limited[0] is True
    assert limited[1]["outcome"] == "rate_limited"
    assert limited[1]["retryAfter"] == 90
    assert limited[1]["maybeStored"] is False
    assert unknown == (True, unknown[1])
    assert unknown[1]["outcome"] == "unknown_tool"
    assert fake.feedback == []


def test_a_wrong_key_is_an_authentication_error(fake: FakeFirecrawl, url: str) -> None:
    """401 comes back as outcome "unauthorized"; the wrong key itself shows nowhere."""
    wrong = "fc-" + "9" * 32
    job = fake.add_job("scrape")
    run = Run()

    async def steps(session: ClientSession) -> tuple[bool, dict[str, Any]]:
        body = {"endpoint": "scrape", "jobId": job, "rating": "good", "note": "fine"}
        return await _call(session, run, "firecrawl_feedback", body)

    env = {**_env(fake, url), "FIRECRAWL_API_KEY": wrong, "FIRECRAWL_LOG": "debug"}
    is_error, answer = _drive(env, run, steps)
    assert is_error is True
    assert answer["outcome"] == "unauthorized"
    assert answer["status"] == 401
    assert fake.feedback == []
    assert "POST" in run.stderr
    assert wrong not in run.stderr
    assert all(wrong not in text for text in run.received)


def test_without_a_key_it_lists_tools_and_calls_say_what_to_set(url: str) -> None:
    """The documented choice: start anyway, answer each call with a clear tool error."""
    run = Run()

    async def steps(session: ClientSession) -> tuple[int, tuple[bool, dict[str, Any]]]:
        tools = (await session.list_tools()).tools
        body = {"rating": "good", "valuableSources": [{"url": "https://a.example"}]}
        body["jobId"] = "0b5e5d0c-3a4c-4d6e-8f10-2a3b4c5d6e7f"
        return len(tools), await _call(session, run, "firecrawl_search_feedback", body)

    count, (is_error, answer) = _drive({"FIRECRAWL_API_URL": url}, run, steps)
    assert count == 2
    assert is_error is True
    assert answer["outcome"] == "not_configured"
    assert "FIRECRAWL_API_KEY" in answer["message"]


def test_an_answer_with_a_lone_surrogate_comes_back_and_the_server_lives_on() -> None:
    """JSON escapes can carry a lone surrogate, which MCP's UTF-8 JSON cannot: U+FFFD instead."""
    answer = {"success": True, "feedbackId": "\ud800", "creditsRefunded": 1, "warning": "a\udfffb"}
    content = json.dumps(answer).encode()  # ASCII: the surrogates as \u escapes

    def send(conn: socket.socket) -> None:
        conn.sendall(rawserver.head(200, f"Content-Length: {len(content)}") + content)

    run = Run()
    body = {"endpoint": "scrape", "jobId": "0190d7a2-3c4b-7d5e-8f60-123456789abc"}
    body |= {"rating": "bad", "note": "n"}

    async def steps(session: ClientSession) -> list[tuple[bool, dict[str, Any]]]:
        return [await _call(session, run, "firecrawl_feedback", body) for _ in range(2)]

    with rawserver.raw_server(send) as raw_url:
        env = {"FIRECRAWL_API_KEY": "fc-surrogate-probe-0123", "FIRECRAWL_API_URL": raw_url}
        first, second = _drive(env, run, steps)
    assert first == second == (False, first[1])
    assert (first[1]["feedbackId"], first[1]["warning"]) == ("\ufffd", "a\ufffdb")


def test_a_call_whose_json_escapes_a_lone_surrogate_is_answered(
    fake: FakeFirecrawl, url: str
) -> None:
    """JavaScript clients write a lone surrogate (half an emoji cut by ``slice``) as a
    ``\\ud83d`` escape; the SDK's parser refused the line and dropped it, and the agent
    waited for an answer that never came. It reads as U+FFFD, as answers do."""
    job = fake.add_job("scrape")
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {
            "name": "firecrawl_feedback",
            "arguments": {
                "endpoint": "scrape",
                "jobId": job,
                "rating": "bad",
                "note": "cut \ud83d",
            },
        },
    }
    lines = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        call,
    ]
    wire = "".join(json.dumps(line) + "\n" for line in lines)  # ASCII: "\\ud83d" escapes
    assert "\\ud83d" in wire
    answers: queue.Queue[str | None] = queue.Queue()
    server = subprocess.Popen(
        [CLI, "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"FIRECRAWL_API_KEY": fake.api_key, "FIRECRAWL_API_URL": url},
    )
    assert server.stdin is not None and server.stdout is not None

    def read(out: IO[bytes]) -> None:
        for line in out:
            answers.put(line.decode())
        answers.put(None)

    threading.Thread(target=read, args=(server.stdout,), daemon=True).start()
    try:
        server.stdin.write(wire.encode())
        server.stdin.flush()
        answer: dict[str, Any] = {}
        while answer.get("id") != 2:
            line = answers.get(timeout=DEADLINE)  # the bound on a hang, not a measure
            assert line is not None, "the server ended without answering the call"
            answer = json.loads(line)
    finally:
        server.stdin.close()  # first: the server ends on it, then its stdout ends
        try:
            server.wait(DEADLINE)
        finally:
            server.kill()
            server.stdout.close()
    result = answer["result"]
    assert result["isError"] is False
    assert result["structuredContent"]["outcome"] == "stored"
    assert [r.body["note"] for r in fake.feedback] == ["cut \ufffd"]
