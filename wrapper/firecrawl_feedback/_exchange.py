"""One HTTP exchange within the call's limits.

The body goes out as JSON that the server's ``JSON.parse`` reads back exactly
(lone surrogates as ``\\u`` escapes); the answer is read as a stream, at most
``MAX_RESPONSE_BYTES`` before and after decompression, and never past the
call's deadline, so that no answer (endless, huge, a gzip bomb, a trickle) can
hold the caller or fill its memory.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from dataclasses import dataclass
from typing import Any

import httpx

from . import _defaults

_LIMIT = _defaults.MAX_RESPONSE_BYTES
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Framing headers are the transport's: a copied one would describe another body.
_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def encode_json(data: Any) -> bytes:
    """Compact JSON in UTF-8, with every surrogate code point written as a ``\\u`` escape.

    UTF-8 cannot carry a lone surrogate, but the server accepts one sent as an
    escape (its ``JSON.parse`` does), so the client must not be stricter.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Answer:
    """The response with its decoded body, and whether that body was cut at the limit."""

    response: httpx.Response
    over_limit: bool


class _Collector:
    """Gathers raw chunks up to the limit and stops at the deadline."""

    def __init__(self, response: httpx.Response, deadline: float) -> None:
        self.response = response
        self.deadline = deadline
        self.chunks: list[bytes] = []
        self.size = 0
        self.over_limit = False

    def add(self, chunk: bytes) -> bool:
        """Keep ``chunk``; False when reading must stop (limit reached)."""
        self.size += len(chunk)
        if self.size > _LIMIT:
            self.over_limit = True
            return False
        self.chunks.append(chunk)
        if time.monotonic() >= self.deadline:
            raise httpx.ReadTimeout(
                "the call's total budget ran out while the answer was still arriving",
                request=self.response.request,
            )
        return True

    def answer(self) -> Answer:
        raw = b"".join(self.chunks)
        body, over = _decode(raw, self.response.headers.get("content-encoding", ""))
        response = self.response
        decoded = httpx.Response(
            response.status_code,
            headers=[
                (k, v) for k, v in response.headers.multi_items() if k.lower() not in _FRAMING
            ],
            content=body,
            request=response.request,
            extensions=response.extensions,
        )
        return Answer(decoded, self.over_limit or over)


def _in_memory(response: httpx.Response) -> Answer | None:
    """The answer of a transport that built it in memory (MockTransport...), already read."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    return Answer(response, over_limit=len(content) > _LIMIT)


def read_sync(response: httpx.Response, deadline: float) -> Answer:
    """Read a streamed answer within the limits, and close it."""
    ready = _in_memory(response)
    if ready is not None:
        return ready
    collector = _Collector(response, deadline)
    try:
        for chunk in response.iter_raw():
            if not collector.add(chunk):
                break
    finally:
        response.close()
    return collector.answer()


async def read_async(response: httpx.Response, deadline: float) -> Answer:
    """The async twin of :func:`read_sync`."""
    ready = _in_memory(response)
    if ready is not None:
        return ready
    collector = _Collector(response, deadline)
    try:
        async for chunk in response.aiter_raw():
            if not collector.add(chunk):
                break
    finally:
        await response.aclose()
    return collector.answer()


def _decode(raw: bytes, content_encoding: str) -> tuple[bytes, bool]:
    """Undo gzip/deflate under the limit; (body, over the limit). Unknown codings stay raw."""
    data = raw
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            wbits = 16 + zlib.MAX_WBITS
        elif coding == "deflate":
            # RFC 9110's deflate is zlib-wrapped; some servers send it raw.
            wbits = zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS
        elif coding == "identity":
            continue
        else:
            return raw, False  # not ours to decode: it will not parse as JSON
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(data, _LIMIT + 1)
        except zlib.error:
            return raw, False
        if len(out) > _LIMIT or inflater.unconsumed_tail:
            return out[:_LIMIT], True
        data = out
    return data, False
