"""The fake behind a real HTTP/1.1 server on loopback: stdlib threads, keep-alive, faults."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from ._answers import Answer
from ._faults import Fault

if TYPE_CHECKING:
    from ._fake import FakeFirecrawl

#: Idle keep-alive connections are closed after this many seconds.
_IDLE_TIMEOUT = 120.0


class FakeServer:
    """Serves one FakeFirecrawl until ``stop()``; ``url`` is the base URL (no ``/v2``)."""

    def __init__(self, fake: FakeFirecrawl, host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = _HTTPServer((host, port), _Handler, fake)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="firecrawl-fake-server",
            daemon=True,
        )
        bound_host, bound_port = self._httpd.server_address[:2]
        shown = f"[{bound_host!s}]" if ":" in str(bound_host) else str(bound_host)
        self.url = f"http://{shown}:{bound_port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, end hangs and delays, and close every open connection."""
        self._httpd.stopping.set()
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    #: 64 clients connecting at once must not overflow the listen backlog.
    request_queue_size = 256

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], fake: FakeFirecrawl
    ) -> None:
        self.fake = fake
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer (timeouts, fault tests) are expected; stay quiet.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    timeout = _IDLE_TIMEOUT
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: request lines are not needed, and nothing here may leak a key."""

    def do_POST(self) -> None:
        self._serve()

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            self.close_connection = True
            return
        fault = self.server.fake.faults.draw()
        if fault is not None and not fault.after_processing:
            self.server.stopping.wait(fault.delay)
        answer = self.server.fake.exchange(
            self.command, self.path, dict(self.headers.items()), body, fault
        )
        if fault is not None and fault.after_processing:
            self.server.stopping.wait(fault.delay)
        if answer is None:
            assert fault is not None  # noqa: S101 - only faults withhold an answer
            if fault.hang is not None:
                self.server.stopping.wait(fault.hang)
            self.close_connection = True  # closing without a word: the client sees a drop
            return
        try:
            self._send(answer, fault)
        except OSError:
            self.close_connection = True  # the client gave up first

    def _send(self, answer: Answer, fault: Fault | None) -> None:
        self.send_response(answer.status)
        if answer.content_type is not None:
            self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")  # the client asked for it
        self.end_headers()
        if fault is None or fault.drip is None:
            self.wfile.write(answer.body)
            return
        for start in range(0, len(answer.body), fault.drip_chunk):
            if self.server.stopping.wait(fault.drip):
                break
            self.wfile.write(answer.body[start : start + fault.drip_chunk])

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None when the framing is broken."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            return None
        return self.rfile.read(size) if size >= 0 else None

    def _read_chunked(self) -> bytes | None:
        parts: list[bytes] = []
        while True:
            line = self.rfile.readline(65537)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                return None
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline(3)  # the CRLF after each chunk
