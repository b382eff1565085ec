"""The fake behind a real HTTP/1.1 server on loopback: one asyncio loop in one thread.

Every connection is a coroutine on that loop and ``fake.exchange`` (fast, pure)
runs on it directly, so many keep-alive or hanging clients cost no thread each.
Faults that slow or withhold an answer wait without blocking the loop,
and stopping the server ends every wait, closes every connection and joins the
thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from typing import TYPE_CHECKING

import h11

from . import _wire

if TYPE_CHECKING:
    from ._answers import Answer
    from ._exchanger import Exchanger

#: Idle keep-alive connections (and clients stalling mid-request) are closed after this long.
_IDLE_TIMEOUT = 120.0
#: How often idle connections are looked for.
_SWEEP_INTERVAL = 5.0
#: How long stop() lets connections finish what the stop woke them from.
_STOP_GRACE = 2.0
#: 64 clients connecting at once must not overflow the listen backlog.
_BACKLOG = 256
_READ_SIZE = 256 * 1024


class FakeServer:
    """Serves one FakeFirecrawl until ``stop()``; ``url`` is the base URL (no ``/v2``)."""

    def __init__(self, fake: Exchanger, host: str = "127.0.0.1", port: int = 0) -> None:
        self._fake = fake
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.create_server((host, port), family=family, backlog=_BACKLOG)
        bound_host, bound_port = self._socket.getsockname()[:2]
        shown = f"[{bound_host!s}]" if ":" in str(bound_host) else str(bound_host)
        self.url = f"http://{shown}:{bound_port}"
        self._thread = threading.Thread(target=self._run, name="firecrawl-fake-server", daemon=True)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._startup_error: BaseException | None = None

    def start(self) -> None:
        """Start serving; returns once the loop accepts connections."""
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            raise self._startup_error

    def stop(self) -> None:
        """Stop accepting, end hangs and delays, close every open connection, join the thread."""
        loop = self._loop
        if loop is None:  # never started
            self._socket.close()
            return
        with contextlib.suppress(RuntimeError):  # the loop already finished
            loop.call_soon_threadsafe(self._request_stop)
        self._thread.join()

    def _request_stop(self) -> None:
        if not self._stopping.done():
            self._stopping.set_result(None)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:
            if self._ready.is_set():
                raise
            self._startup_error = error
            self._socket.close()
            self._ready.set()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        #: Done once stop() is called: every fault's wait also watches it.
        self._stopping: asyncio.Future[None] = loop.create_future()
        self._connections: set[_Connection] = set()
        server = await asyncio.start_server(self._accept, sock=self._socket, backlog=_BACKLOG)
        sweeper = loop.call_later(_SWEEP_INTERVAL, self._close_idle)
        self._loop = loop
        self._ready.set()
        await self._stopping
        sweeper.cancel()
        server.close()
        for connection in list(self._connections):
            connection.abort()
        tasks = [c.task for c in self._connections if c.task is not None]
        if tasks:  # woken waits finish at once; anything left is cancelled by asyncio.run
            await asyncio.wait(tasks, timeout=_STOP_GRACE)
        await server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = _Connection(self._fake, self._stopping, reader, writer)
        self._connections.add(connection)
        try:
            await connection.serve()
        finally:
            self._connections.discard(connection)

    def _close_idle(self) -> None:
        loop = asyncio.get_running_loop()
        for connection in list(self._connections):
            if connection.idle_for(loop.time()) > _IDLE_TIMEOUT:
                connection.close()
        loop.call_later(_SWEEP_INTERVAL, self._close_idle)


class _Connection:
    """One client socket: requests in order, each answered (or not) as its fault says."""

    def __init__(
        self,
        fake: Exchanger,
        stopping: asyncio.Future[None],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self._fake = fake
        self._stopping = stopping
        self._reader = reader
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self._waiting_since: float | None = None
        self.task = asyncio.current_task()

    def idle_for(self, now: float) -> float:
        """Seconds spent waiting for the client's bytes (0 while a request is being answered)."""
        return 0.0 if self._waiting_since is None else now - self._waiting_since

    def close(self) -> None:
        self._writer.close()

    def abort(self) -> None:
        """Close at once, unsent bytes dropped: the server is stopping."""
        self._writer.transport.abort()

    async def serve(self) -> None:
        leftover, peer_closed = b"", False
        try:
            while not self._stopping.done():
                parser = _wire.RequestReader(leftover, peer_closed)
                request = await self._read(parser)
                if request is None or not await self._answer(request):
                    break
                leftover, peer_closed = parser.trailing()
        except (ConnectionError, OSError):
            pass  # the client hung up first (timeouts, fault tests): expected, stay quiet
        finally:
            self._writer.close()

    async def _read(self, parser: _wire.RequestReader) -> _wire.Request | None:
        """The next whole request; None when the client left or sent something unreadable."""
        try:
            while (request := parser.next()) is None:
                if parser.client_left:
                    return None
                if parser.wants_continue:
                    parser.asked_to_continue = True
                    self._write(_wire.CONTINUE)
                self._waiting_since = self._loop.time()
                data = await self._reader.read(_READ_SIZE)
                self._waiting_since = None
                parser.feed(data)
        except h11.RemoteProtocolError as error:
            if not parser.head_seen:  # broken framing inside a body ends without a word
                self._write(_wire.error_page(error.error_status_hint, ""))
            return None
        return request

    async def _answer(self, request: _wire.Request) -> bool:
        """Answer one request as its fault (if any) says; False when the connection must end."""
        # Every method reaches the fake, which answers 404 JSON off its two
        # routes, as the live server does (never a 501 page).
        fault = self._fake.faults.draw()
        if fault is not None and not fault.after_processing:
            await self._pause(fault.delay)
        answer = self._fake.exchange(
            request.method, request.target, request.headers, request.body, fault
        )
        if fault is not None and fault.after_processing:
            await self._pause(fault.delay)
        if answer is None:
            assert fault is not None  # noqa: S101 - only faults withhold an answer
            if fault.hang is not None:
                await self._hold(fault.hang)
            return False  # closing without a word: the client sees a drop
        close = request.close or _says_close(answer)
        head = self._head(answer, close)
        if request.method == "HEAD":
            self._write(head)  # HTTP: a HEAD answer has the headers, never a body
            return not close
        if fault is None or fault.drip is None:
            self._write(head + answer.body)
            return not close
        self._write(head)
        for start in range(0, len(answer.body), fault.drip_chunk):
            if await self._pause(fault.drip):
                return False
            self._write(answer.body[start : start + fault.drip_chunk])
        return not close

    @staticmethod
    def _head(answer: Answer, close: bool) -> bytes:
        headers: list[tuple[str, str]] = []
        if answer.content_type is not None:
            headers.append(("Content-Type", answer.content_type))
        headers.append(("Content-Length", str(len(answer.body))))
        headers.extend(answer.headers)
        if close and not _says_close(answer):
            headers.append(("Connection", "close"))  # the client asked for it
        return _wire.response_head(answer.status, headers)

    def _write(self, data: bytes) -> None:
        if self._writer.is_closing():
            raise ConnectionResetError  # a write now would only log asyncio warnings
        self._writer.write(data)

    async def _pause(self, seconds: float) -> bool:
        """Wait ``seconds`` without blocking the loop; True when the server is stopping."""
        if seconds > 0 and not self._stopping.done():
            await asyncio.wait([self._stopping], timeout=seconds)
        return self._stopping.done()

    async def _hold(self, seconds: float) -> None:
        """Keep the connection open, unanswered, until the time is up, the client leaves or stop."""
        client_left = self._loop.create_task(self._until_client_leaves())
        try:
            await asyncio.wait(
                [self._stopping, client_left], timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            client_left.cancel()

    async def _until_client_leaves(self) -> None:
        # Whatever else arrives is dropped: the connection closes after a hang anyway.
        while await self._reader.read(_READ_SIZE):
            pass


def _says_close(answer: Answer) -> bool:
    """A fault's own ``Connection: close`` header ends the connection, as the stdlib server did."""
    return any(
        name.lower() == "connection" and value.lower() == "close" for name, value in answer.headers
    )
