"""FeedbackSender: the engine on an event loop in its own daemon thread, for sync code."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import os
import threading
import time
from types import TracebackType
from typing import Self, Unpack

import httpx

from .. import _defaults
from .._client import FeedbackClient
from .._config import check_wait
from .._errors import ConfigurationError
from .._logging import logger
from .._result import FeedbackResult
from .._sentinel import NotGiven
from ._base import SenderBase
from ._engine import Engine
from ._items import Item
from ._options import ARGUMENTS, SenderArguments
from ._outcomes import SenderCounts
from ._threads import LoopThread, Workers


class FeedbackSender(SenderBase[FeedbackClient, bool]):
    """Sends ratings in the background from any number of threads; calls return at once.

    Every ``scrape``/``parse``/``map``/``submit``/``submit_body``/``search``/
    ``search_body`` call validates its arguments (``ValidationError`` at the
    call, nothing queued), then returns True when the rating was queued, or
    False when it was dropped at once (queue full after ``block_timeout``, or
    its deadline already too close). Every rating handed over ends as exactly
    one ``SendOutcome``: ``stored``, ``duplicate``, ``rejected`` (with its
    error; ``maybe_stored`` when the server may hold it anyway) or ``dropped``
    (with its reason), counted in ``counts``.

    One 429 pauses the whole sender for the wait the server asks; a rate limit
    and a concurrency limit are shared by all items. ``close()`` (or leaving the
    ``with`` block) waits up to its timeout for pending ratings, then ends the
    rest as ``dropped``/``rejected`` with reason ``closed``. A sender not closed
    by the program is flushed at interpreter exit for at most ``exit_timeout``
    seconds (default 5; None: no exit-time flush).
    """

    __doc__ = (__doc__ or "") + ARGUMENTS

    def __init__(
        self,
        client: FeedbackClient | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        exit_timeout: float | None = _defaults.SENDER_EXIT_TIMEOUT,
        **arguments: Unpack[SenderArguments],
    ) -> None:
        if exit_timeout is not None:
            exit_timeout = check_wait("exit_timeout", exit_timeout)
        self._setup(client, FeedbackClient, arguments, http_client=http_client, transport=transport)
        self._exit_timeout = exit_timeout
        self._pid = os.getpid()
        self._room = threading.Semaphore(self._options.max_queue)
        self._state = threading.Lock()
        self._workers = Workers(self._options.concurrency, "firecrawl-feedback-sender-http")
        self._loop_thread = LoopThread("firecrawl-feedback-sender")
        self._engine = Engine(self._send_once, self._options, self._ledger, self._room.release)
        if exit_timeout is not None:
            atexit.register(self._flush_at_exit)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every rating handed over has its outcome; False if ``timeout`` passed.

        ``timeout``: seconds, or None to wait until then (every item has a deadline,
        so this ends).
        """
        if timeout is not None:
            timeout = check_wait("timeout", timeout)
        self._refuse_forked_copy()
        if self._closed:
            return self._ledger.snapshot().pending == 0
        self._refuse_own_thread("flush")
        waiting = asyncio.run_coroutine_threadsafe(
            self._engine.drained(timeout), self._loop_thread.loop
        )
        return waiting.result()

    def close(self, timeout: float = _defaults.SENDER_CLOSE_TIMEOUT) -> SenderCounts:
        """Stop taking ratings, wait up to ``timeout`` seconds for pending ones, end the rest.

        Ratings still pending at the timeout end as ``dropped`` (never attempted) or
        ``rejected`` (reason ``closed``; ``maybe_stored`` when an attempt was in
        flight). Returns within ``timeout`` (default 10 s); a timeout too short to
        end everything costs the moment it takes to report the rest (about 10 us each).
        Closes the client only if the sender built it. Calling it again does nothing.
        """
        timeout = check_wait("timeout", timeout)
        if self._is_forked_copy():  # its pending ratings are the parent's to end
            return self.counts
        with self._state:
            if self._closed:
                return self.counts
            self._refuse_own_thread("close")
            self._closed = True
        atexit.unregister(self._flush_at_exit)
        ends = time.monotonic() + timeout
        finishing = asyncio.run_coroutine_threadsafe(
            self._engine.finish(timeout), self._loop_thread.loop
        )
        try:
            finishing.result(max(0.0, ends - time.monotonic()))
        except concurrent.futures.TimeoutError:
            logger.warning("the sender's close() ran out of time ending pending ratings")
        self._loop_thread.stop(max(0.0, ends - time.monotonic()))
        self._engine.abandon()  # anything the loop had no time to end
        self._workers.stop()
        if self._owns_client:
            try:
                self._client.close()
            except Exception:  # a request given up at its deadline may still hold it
                logger.debug("closing the sender's client failed", exc_info=True)
        return self._closing_counts()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _enqueue(self, item: Item, block_timeout: float | NotGiven) -> bool:
        self._refuse_forked_copy()
        wait = self._arrival(item, block_timeout)
        if wait is None:
            return False
        try:
            has_room = self._room.acquire(timeout=wait) if wait > 0 else self._room.acquire(False)
        except BaseException:  # e.g. Ctrl-C: the call raises, so nothing was handed over
            self._ledger.withdraw()
            raise
        if not has_room:
            return self._drop_at_call(item, "queue_full")
        with self._state:
            if not self._closed:
                self._engine.hold(item)
                self._loop_thread.loop.call_soon_threadsafe(self._engine.accept, item)
                return True
        self._room.release()
        return self._drop_at_call(item, "closed")

    async def _send_once(self, item: Item) -> FeedbackResult:
        return await self._workers.run(self._one_request(item))

    def _refuse_own_thread(self, what: str) -> None:
        if self._loop_thread.is_current():
            raise ConfigurationError(f"{what}() cannot be called from the on_outcome callback")

    def _is_forked_copy(self) -> bool:
        """True in a child of os.fork(): the sender's threads stayed in the parent, and
        its client's connections are the parent's sockets."""
        return os.getpid() != self._pid

    def _refuse_forked_copy(self) -> None:
        if self._is_forked_copy():
            raise ConfigurationError(
                f"this sender belongs to process {self._pid}, which forked this one; "
                "create a new FeedbackSender in this process"
            )

    def _flush_at_exit(self) -> None:
        assert self._exit_timeout is not None  # noqa: S101 (registered only with one)
        logger.debug("interpreter exit: flushing the feedback sender")
        try:
            self.close(self._exit_timeout)
        except KeyboardInterrupt:  # Ctrl-C while the program ends: stop waiting, no traceback
            logger.warning(
                "the feedback sender's exit-time flush was interrupted; %d rating(s) not sent",
                self.counts.pending,
            )
