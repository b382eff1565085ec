"""The fake as an httpx transport: one object for ``httpx.Client`` and ``httpx.AsyncClient``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx

from ._answers import Answer
from ._faults import Fault

if TYPE_CHECKING:
    from ._exchanger import Exchanger


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers requests in-process; faults become the exceptions httpx would raise."""

    def __init__(self, fake: Exchanger) -> None:
        self._fake = fake

    def __repr__(self) -> str:
        return f"<FakeTransport for {self._fake!r}>"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The fake's answer to ``request`` (or the fault scheduled for it)."""
        body = request.read()
        fault = self._fake.faults.draw()
        if fault is not None and fault.delay and not fault.after_processing:
            time.sleep(fault.delay)
        answer = self._exchange(request, body, fault)
        if fault is not None and fault.delay and fault.after_processing:
            time.sleep(fault.delay)
        return self._response(request, answer, fault)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The fake's answer to ``request``; delays sleep on the running event loop."""
        import anyio  # noqa: PLC0415 - sleeps the way the running event loop wants

        body = await request.aread()
        fault = self._fake.faults.draw()
        if fault is not None and fault.delay and not fault.after_processing:
            await anyio.sleep(fault.delay)
        answer = self._exchange(request, body, fault)
        if fault is not None and fault.delay and fault.after_processing:
            await anyio.sleep(fault.delay)
        return self._response(request, answer, fault)

    def _exchange(self, request: httpx.Request, body: bytes, fault: Fault | None) -> Answer | None:
        return self._fake.exchange(
            request.method, request.url.path, dict(request.headers), body, fault
        )

    @staticmethod
    def _response(
        request: httpx.Request, answer: Answer | None, fault: Fault | None
    ) -> httpx.Response:
        if answer is None:
            assert fault is not None  # noqa: S101 - only faults withhold an answer
            if fault.drop:
                raise httpx.RemoteProtocolError(
                    "Server disconnected without sending a response.", request=request
                )
            # A hang ends, for the client, in its read timeout: raise it at once.
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        headers = [("content-length", str(len(answer.body))), *answer.headers]
        if answer.content_type is not None:
            headers.insert(0, ("content-type", answer.content_type))
        if fault is not None and fault.drip is not None:
            stream = _DripStream(answer.body, fault.drip, fault.drip_chunk)
            return httpx.Response(answer.status, headers=headers, stream=stream, request=request)
        return httpx.Response(answer.status, headers=headers, content=answer.body, request=request)


class _DripStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives a few bytes at a time."""

    def __init__(self, body: bytes, pause: float, chunk: int) -> None:
        self._chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)]
        self._pause = pause

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            time.sleep(self._pause)
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import anyio  # noqa: PLC0415

        for chunk in self._chunks:
            await anyio.sleep(self._pause)
            yield chunk
