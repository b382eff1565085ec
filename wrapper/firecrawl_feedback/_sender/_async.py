"""AsyncFeedbackSender: the engine on the caller's event loop, for asyncio code."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self, Unpack

import httpx

from .. import _defaults
from .._client import AsyncFeedbackClient
from .._config import check_wait
from .._errors import ConfigurationError
from .._result import FeedbackResult
from .._sentinel import NotGiven
from ._base import SenderBase
from ._engine import Engine
from ._items import Item
from ._options import ARGUMENTS, SenderArguments
from ._outcomes import SenderCounts


class AsyncFeedbackSender(SenderBase[AsyncFeedbackClient, Coroutine[Any, Any, bool]]):
    """The asyncio twin of :class:`FeedbackSender`: the same engine, on the caller's loop.

    Its rating methods are awaited and return at once (True: queued, False:
    dropped), waiting only when the queue is full and ``block_timeout`` allows;
    ``await sender.aclose()`` or ``async with`` ends it. Use it from one event
    loop. There is no exit-time flush: close it before the loop ends.
    """

    __doc__ = (__doc__ or "") + ARGUMENTS

    def __init__(
        self,
        client: AsyncFeedbackClient | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **arguments: Unpack[SenderArguments],
    ) -> None:
        self._setup(
            client, AsyncFeedbackClient, arguments, http_client=http_client, transport=transport
        )
        self._room = asyncio.Semaphore(self._options.max_queue)
        self._engine = Engine(self._send_once, self._options, self._ledger, self._room.release)
        self._loop: asyncio.AbstractEventLoop | None = None  # the first one it runs on

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until every rating handed over has its outcome; False if ``timeout`` passed.

        ``timeout``: seconds, or None to wait until then (every item has a deadline).
        """
        self._check_loop()
        return await self._engine.drained(
            None if timeout is None else check_wait("timeout", timeout)
        )

    async def aclose(self, timeout: float = _defaults.SENDER_CLOSE_TIMEOUT) -> SenderCounts:
        """Stop taking ratings, wait up to ``timeout`` seconds for pending ones, end the rest.

        As ``FeedbackSender.close``; closes the client only if the sender built it.
        """
        timeout = check_wait("timeout", timeout)
        self._check_loop()
        if self._closed:
            return self.counts
        self._closed = True
        await self._engine.finish(timeout)
        if self._owns_client:
            await self._client.aclose()
        return self._closing_counts()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _enqueue(self, item: Item, block_timeout: float | NotGiven) -> bool:
        self._check_loop()
        wait = self._arrival(item, block_timeout)
        if wait is None:
            return False
        if self._room.locked():
            if wait <= 0:
                return self._drop_at_call(item, "queue_full")
            try:
                async with asyncio.timeout(wait):
                    await self._room.acquire()
            except TimeoutError:
                return self._drop_at_call(item, "queue_full")
            except BaseException:  # the awaiting task was cancelled: nothing was handed over
                self._ledger.withdraw()
                raise
        else:
            await self._room.acquire()  # free room: returns without suspending
        if self._closed:  # closed while this call waited for room
            self._room.release()
            return self._drop_at_call(item, "closed")
        self._engine.accept(item)
        return True

    def _check_loop(self) -> None:
        """Its queue, engine and client belong to one loop; another gets a clear error
        (asyncio's own, from deep inside, came only once a wait was needed)."""
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise ConfigurationError(
                "this AsyncFeedbackSender runs on the event loop it was first used on; "
                "create one sender per event loop"
            )

    async def _send_once(self, item: Item) -> FeedbackResult:
        result: FeedbackResult = await self._one_request(item)()
        return result
