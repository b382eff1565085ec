"""A loopback server that answers every request with bytes a test writes by hand.

For answers no real HTTP server library would send: a gigabyte, an endless
chunked body, a gzip bomb, a trickle. Every loop is bounded (bytes and time)
and ends when the client goes away.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Writes the answer on the connection; returns when done or the client left.
Answer = Callable[[socket.socket], None]

_LIMIT_SECONDS = 60.0


def _read_request(conn: socket.socket) -> bool:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


@contextmanager
def raw_server(answer: Answer) -> Iterator[str]:
    """Serve ``answer`` on 127.0.0.1 for every request; yields the base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(_LIMIT_SECONDS)
            try:
                if _read_request(conn):
                    answer(conn)
            except OSError:
                pass  # the client went away: that is how these answers end

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def head(status: int, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *headers, "Connection: close", "", ""]
    return "\r\n".join(lines).encode()


def gigabyte(conn: socket.socket) -> None:
    """A 200 that announces and sends 1 GB of spaces (valid JSON padding)."""
    conn.sendall(head(200, "Content-Type: application/json", f"Content-Length: {10**9}"))
    block = b" " * 65536
    for _ in range(10**9 // len(block)):
        conn.sendall(block)


def endless_chunked(conn: socket.socket) -> None:
    """A chunked 200 that never ends (until the client leaves, or a minute passes)."""
    conn.sendall(head(200, "Content-Type: application/json", "Transfer-Encoding: chunked"))
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    ends = time.monotonic() + _LIMIT_SECONDS
    while time.monotonic() < ends:
        conn.sendall(chunk)


def gzip_bomb(compressed: bytes, status: int = 200) -> Answer:
    """An answer whose gzip body inflates to far more than it weighs."""

    def send(conn: socket.socket) -> None:
        conn.sendall(
            head(
                status,
                "Content-Type: application/json",
                "Content-Encoding: gzip",
                f"Content-Length: {len(compressed)}",
            )
            + compressed
        )

    return send


def trickle(interval: float, length: int = 1000) -> Answer:
    """A 200 that sends its body one byte every ``interval`` seconds."""

    def send(conn: socket.socket) -> None:
        conn.sendall(head(200, "Content-Type: application/json", f"Content-Length: {length}"))
        for _ in range(length):
            time.sleep(interval)
            conn.sendall(b" ")

    return send


def trickle_head(interval: float) -> Answer:
    """A status line and headers sent one byte every ``interval`` seconds, without end."""

    def send(conn: socket.socket) -> None:
        ends = time.monotonic() + _LIMIT_SECONDS
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while time.monotonic() < ends:
            time.sleep(interval)
            conn.sendall(b"X")

    return send


def endless_informational(interval: float) -> Answer:
    """``100 Continue`` every ``interval`` seconds, and never a final answer."""

    def send(conn: socket.socket) -> None:
        ends = time.monotonic() + _LIMIT_SECONDS
        while time.monotonic() < ends:
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            time.sleep(interval)

    return send


def make_gzip_bomb(inflated: int) -> bytes:
    """gzip of ``inflated`` zero bytes (about 1 KB per MB)."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(inflated // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)
