"""HTTP/1.1 on the wire for the served fake: requests parsed by h11, answers written by hand.

h11 reads each request (keep-alive, Content-Length or chunked bodies, pipelined
bytes carried over). Answers are serialised here rather than through h11 because
a fault may ask for any status with any body, which h11's state machine refuses
(1xx, or a body on 204/304); the bytes match what the stdlib server used to send.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus

import h11

#: Request heads (line and headers) larger than this are refused with 431.
MAX_HEAD_BYTES = 256 * 1024

_REASONS = {status.value: status.phrase for status in HTTPStatus}
_EXPLANATIONS = {status.value: status.description for status in HTTPStatus}
#: The stdlib server's error page, so malformed requests get the answer they always got.
_ERROR_PAGE = """\
<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
"""
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


@dataclass(frozen=True)
class Request:
    """One complete request as the fake wants it; ``close`` when no other may follow."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    close: bool


class RequestReader:
    """Feeds received bytes to h11 until one whole request is in; keeps the bytes after it."""

    def __init__(self, leftover: bytes, peer_closed: bool) -> None:
        self._parser = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        if leftover:
            self._parser.receive_data(leftover)
        if peer_closed:
            self._parser.receive_data(b"")
        self._head: h11.Request | None = None
        self._parts: list[bytes] = []
        self.asked_to_continue = False
        #: The client closed the connection cleanly between two requests.
        self.client_left = False

    @property
    def head_seen(self) -> bool:
        """Whether the request line and headers were parsed (errors after it get no answer)."""
        return self._head is not None

    @property
    def wants_continue(self) -> bool:
        """The client sent ``Expect: 100-continue`` and waits for the go-ahead, not yet given."""
        return self._parser.they_are_waiting_for_100_continue and not self.asked_to_continue

    def feed(self, data: bytes) -> None:
        """Bytes from the socket; ``b""`` means the client closed its side."""
        self._parser.receive_data(data)

    def next(self) -> Request | None:
        """The request once complete; None while more bytes are needed or the client left.

        Raises ``h11.RemoteProtocolError`` when the bytes are not HTTP/1.1.
        """
        while True:
            event = self._parser.next_event()
            if event is h11.NEED_DATA:
                return None
            if isinstance(event, h11.Request):
                self._head = event
            elif isinstance(event, h11.Data):
                self._parts.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return self._complete()
            elif isinstance(event, h11.ConnectionClosed):
                self.client_left = True
                return None

    def trailing(self) -> tuple[bytes, bool]:
        """Bytes received after this request (pipelining), and whether the client closed."""
        data, closed = self._parser.trailing_data
        return bytes(data), closed

    def _complete(self) -> Request:
        head = self._head
        assert head is not None  # noqa: S101 - h11 emits the head before the end of a message
        headers = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in head.headers.raw_items()
        }
        target = head.target.decode("latin-1")
        if target.startswith("//"):  # the stdlib server reduced these to one slash
            target = "/" + target.lstrip("/")
        return Request(
            method=head.method.decode("latin-1"),
            target=target,
            headers=headers,
            body=b"".join(self._parts),
            close=_wants_close(head),
        )


def _wants_close(head: h11.Request) -> bool:
    """HTTP/1.0 closes unless it asks for keep-alive; HTTP/1.1 keeps alive unless told to close."""
    tokens = {
        token.strip().lower()
        for name, value in head.headers  # h11 lower-cases the names
        if name == b"connection"
        for token in value.split(b",")
    }
    if b"close" in tokens:
        return True
    return head.http_version == b"1.0" and b"keep-alive" not in tokens


def response_head(
    status: int, headers: Iterable[tuple[str, str]], reason: str | None = None
) -> bytes:
    """Status line, ``Date``, then ``headers`` in order, then the blank line."""
    lines = [
        f"HTTP/1.1 {status} {_REASONS.get(status, '') if reason is None else reason}\r\n",
        f"Date: {_http_date()}\r\n",
    ]
    lines.extend(f"{name}: {value}\r\n" for name, value in headers)
    lines.append("\r\n")
    return "".join(lines).encode("latin-1")


def error_page(status: int, method: str, message: str | None = None) -> bytes:
    """The stdlib server's error answer (HTML, ``Connection: close``), head and body."""
    message = _REASONS.get(status, "???") if message is None else message
    page = _ERROR_PAGE % {
        "code": status,
        "message": html.escape(message, quote=False),
        "explain": html.escape(_EXPLANATIONS.get(status, "???"), quote=False),
    }
    body = page.encode("utf-8", "replace")
    head = response_head(
        status,
        [
            ("Connection", "close"),
            ("Content-Type", "text/html;charset=utf-8"),
            ("Content-Length", str(len(body))),
        ],
        reason=message,
    )
    return head if method == "HEAD" else head + body


_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    """``Date`` header value, formatted once per second (it is on every answer)."""
    global _date_cache  # noqa: PLW0603 - one entry, replaced whole (atomic across servers)
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True))
    return _date_cache[1]
