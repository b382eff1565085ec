"""A request goes out in one write: header block and body together, as http.client sends them.

httpcore writes the header block and the body separately: two system calls and
two segments per request. During the clients' sends, the connection holds the
first and sends it with the second; any other request on a caller's pool is
written as httpx writes it.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpcore
import httpx
from firecrawl_feedback import FeedbackClient
from firecrawl_feedback_api import client as generated_client

from tests.wrapper._mock import API_KEY, JOB

_BODY = json.dumps(
    {"success": True, "feedbackId": JOB, "creditsRefunded": 1, "creditsRefundedToday": 1}
).encode()
_ANSWER = [
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
    b"Content-Length: %d\r\n\r\n" % len(_BODY) + _BODY,
]


class _Recording(httpcore.MockBackend):
    """Connections that log what happens on them: ("write", bytes) and ("read", b"")."""

    def __init__(self, answer: list[bytes], log: list[tuple[str, bytes]]) -> None:
        super().__init__(answer)
        self.log = log

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        stream = super().connect_tcp(*args, **kwargs)
        read, log = stream.read, self.log

        def write(buffer: bytes, timeout: float | None = None) -> None:
            if buffer:
                log.append(("write", buffer))

        def logged_read(max_bytes: int, timeout: float | None = None) -> bytes:
            log.append(("read", b""))
            return read(max_bytes, timeout)

        stream.write, stream.read = write, logged_read  # type: ignore[method-assign]
        return stream


def _transport(log: list[tuple[str, bytes]], answers: int = 1) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport()
    transport._pool._network_backend = _Recording(_ANSWER * answers, log)
    return transport


def _writes_before_first_read(log: list[tuple[str, bytes]]) -> list[bytes]:
    first_read = [kind for kind, _ in log].index("read")
    return [data for kind, data in log[:first_read] if kind == "write"]


def test_a_feedback_request_is_one_write_of_headers_and_body() -> None:
    log: list[tuple[str, bytes]] = []
    with FeedbackClient(API_KEY, base_url="https://feedback.test", transport=_transport(log)) as c:
        assert c.scrape(JOB, rating="good", note="fine").credits_refunded == 1
    (written,) = _writes_before_first_read(log)
    head, _, body = written.partition(b"\r\n\r\n")
    assert head.startswith(b"POST /v2/feedback HTTP/1.1\r\n")
    assert json.loads(body) == {
        "endpoint": "scrape",
        "jobId": JOB,
        "rating": "good",
        "note": "fine",
        "origin": "api",
    }


def test_a_callers_own_requests_on_the_shared_pool_are_written_as_httpx_writes_them() -> None:
    log: list[tuple[str, bytes]] = []
    http = httpx.Client(transport=_transport(log, answers=2))
    with FeedbackClient(API_KEY, base_url="https://feedback.test", http_client=http) as c:
        c.scrape(JOB, rating="good", note="fine")
    log.clear()
    http.post("https://feedback.test/other", content=b"payload")
    writes = _writes_before_first_read(log)
    assert len(writes) == 2  # httpx's own: the header block, then the body
    assert writes[1] == b"payload"
    http.close()


def test_a_held_header_block_goes_out_before_the_answer_is_read() -> None:
    # A request without a body (a proxy's CONNECT): its header block is held, then sent
    # by the read that waits for the answer; a connection closed meanwhile sends nothing.
    log: list[tuple[str, bytes]] = []
    inner = _Recording([b"HTTP/1.1 200 OK\r\n\r\n"], log).connect_tcp("feedback.test", 80)
    stream = generated_client._DeadlineStream(inner)
    generated_client._sending.deadline = time.monotonic() + 60
    try:
        stream.write(b"CONNECT feedback.test:443 HTTP/1.1\r\n\r\n")
        assert log == []
        stream.read(65536)
        stream.write(b"GET / HTTP/1.1\r\n\r\n")
        stream.close()
    finally:
        generated_client._sending.deadline = None
    assert log == [("write", b"CONNECT feedback.test:443 HTTP/1.1\r\n\r\n"), ("read", b"")]
