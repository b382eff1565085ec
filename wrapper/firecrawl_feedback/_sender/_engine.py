"""The one engine behind both senders: an asyncio loop that delivers queued ratings.

Each accepted item is a task on the engine's loop. Before every attempt it
waits for a sender-wide pause (a 429) to end, for a token of the rate limiter
(aiolimiter) and for one of ``concurrency`` request slots, all shared by every
item; it gives up as soon as its last start time passes. An attempt is one
request through the client (``max_retries=0``), so a 429 is seen at once and
pauses every item; retries follow the same ``RetryPolicy`` decisions and
``_failures`` classification as the clients' own loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .. import _retry
from .._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    FeedbackError,
    RateLimitError,
)
from .._failures import is_transient, reached_server, rules_out_storage
from .._logging import logger
from .._result import FeedbackResult
from .._retry_after import server_wait
from ._items import Item
from ._options import SenderOptions
from ._outcomes import DropReason, Ledger, OutcomeStatus, RejectReason, SendOutcome

if TYPE_CHECKING:
    from aiolimiter import AsyncLimiter

#: One attempt: send ``item`` once, before its deadline.
SendOnce = Callable[[Item], Awaitable[FeedbackResult]]


def rate_limiter(per_minute: float | None) -> AsyncLimiter | None:
    """A limiter allowing ``per_minute`` requests, in bursts of about one second's worth.

    A one-minute bucket would let a full minute's worth out at once, and then
    up to twice the limit within one of the server's fixed one-minute windows.
    """
    if per_minute is None:
        return None
    from aiolimiter import AsyncLimiter  # noqa: PLC0415 (loaded only when a sender is built)

    period = max(1.0, 60.0 / per_minute)  # at least one request per bucket
    return AsyncLimiter(per_minute * period / 60.0, period)


class Engine:
    """Delivers items; lives on one event loop (call every method on that loop)."""

    def __init__(
        self, send: SendOnce, options: SenderOptions, ledger: Ledger, release: Callable[[], None]
    ) -> None:
        self._send = send
        self._policy = options.policy
        self._limiter = rate_limiter(options.max_rate_per_minute)
        self._slots = asyncio.Semaphore(options.concurrency)
        self._ledger = ledger
        self._release_room = release  # one unit of the queue's room
        self._paused_until = 0.0  # time.monotonic()
        self._tasks: set[asyncio.Task[None]] = set()
        self._held: set[Item] = set()  # accepted, without an outcome yet
        self._finishing = threading.Condition(threading.Lock())  # abandon() runs elsewhere
        self._reporting = 0  # outcomes counted, their callbacks still running
        self._idle = asyncio.Event()
        self._idle.set()

    def hold(self, item: Item) -> None:
        """From any thread, before handing ``item`` to the loop: from now on a close ends it.

        An item on its way to :meth:`accept` when the loop stops would otherwise
        be in no one's hands, and end without an outcome.
        """
        with self._finishing:
            self._held.add(item)

    def accept(self, item: Item) -> None:
        """Start delivering ``item`` (it holds one unit of the queue's room until it ends)."""
        with self._finishing:
            if item.finished:  # ended by a close while it was on its way here
                return
            self._held.add(item)
        task = asyncio.get_running_loop().create_task(self._deliver(item))
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()

    async def drained(self, timeout: float | None) -> bool:
        """Wait until every item has its outcome, at most ``timeout`` seconds."""
        if not self._tasks:
            return True
        try:
            async with asyncio.timeout(timeout):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True

    async def finish(self, timeout: float) -> None:
        """Wait for pending items, then end the rest (reason ``closed``), in about ``timeout``."""
        # Leave part of the timeout for ending what is left and stopping threads.
        await self.drained(max(0.0, timeout - min(0.5, timeout / 4)))
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def abandon(self) -> None:
        """From any thread, once the loop is stopping: end what ``finish`` had no time for.

        Returns once every outcome is reported, those the loop's thread is still
        reporting included, so that close() returns after the last callback.
        """
        with self._finishing:
            held = list(self._held)
        for item in held:
            self._closed(item)
        with self._finishing:
            self._finishing.wait_for(lambda: self._reporting == 0)

    def _closed(self, item: Item) -> None:
        with self._finishing:  # decided together with _deliver's start of an attempt
            item.closing = True
            in_flight = item.in_flight
        error = item.error
        if in_flight:
            error = APIConnectionError("the sender was closed while this attempt was in flight")
            error.maybe_stored = True
        self._give_up(item, error, "closed")

    async def _deliver(self, item: Item) -> None:
        try:
            while True:
                if not await self._turn(item):
                    self._give_up(item, item.error, "deadline")
                    return
                with self._finishing:
                    if item.closing:  # a close() off this loop ended it meanwhile
                        self._slots.release()
                        return
                    item.in_flight = True
                item.attempts += 1
                self._ledger.note("requests")
                final = False
                try:
                    result = await self._attempt(item)
                except APIError as exc:
                    error = exc
                except FeedbackError as exc:  # e.g. the caller closed the client: nothing sent,
                    # and no retry can change that (it is no connection error to retry)
                    error = _unexpected(exc, maybe_stored=getattr(exc, "maybe_stored", False))
                    final = True
                except Exception as exc:  # never lose an item to a surprise
                    error = _unexpected(exc, maybe_stored=True)
                else:
                    # Still in flight for a racing close(): until _succeed records the
                    # answer, it must not be reported as never sent.
                    self._slots.release()
                    self._succeed(item, result)
                    return
                item.error = error
                item.in_flight = False
                self._slots.release()
                wait, reason = (None, "error") if final else self._after_failure(item, error)
                if wait is None:
                    self._give_up(item, error, reason)
                    return
                if wait > 0:
                    await asyncio.sleep(wait)
        except asyncio.CancelledError:
            # close() ran out of time: report the item, then let the task end.
            self._closed(item)

    async def _turn(self, item: Item) -> bool:
        """Wait out any pause, then take a rate token and a request slot; False: too late."""
        while True:
            now = time.monotonic()
            if now >= item.last_start:
                return False
            if self._paused_until > now:
                await asyncio.sleep(min(self._paused_until, item.last_start) - now)
                continue
            try:
                async with asyncio.timeout(item.last_start - now):
                    if self._limiter is not None:
                        await self._limiter.acquire()
                    await self._slots.acquire()
            except TimeoutError:
                return False
            # A 429 may have come in while this item waited: wait again.
            now = time.monotonic()
            if self._paused_until > now or now >= item.last_start:
                self._slots.release()
                continue
            return True

    async def _attempt(self, item: Item) -> FeedbackResult:
        """One request, cut off at the item's deadline whatever the transport does."""
        remaining = item.ends - time.monotonic()
        try:
            async with asyncio.timeout(remaining):
                return await self._send(item)
        except TimeoutError:
            error = APITimeoutError(
                "the item's deadline passed during the attempt (the feedback window closes)"
            )
            error.maybe_stored = True  # the request may have been sent
            raise error from None

    def _after_failure(self, item: Item, error: APIError) -> tuple[float | None, RejectReason]:
        """The wait before the next attempt (None: give up, for the reason given)."""
        if isinstance(error, APIStatusError) and error.status_code == 429:
            self._pause(error)
        limit = item.options.max_retries
        if limit is None:
            limit = self._policy.max_retries
        wait = None
        if item.attempts <= limit:
            wait = self._policy.wait_before_retry(error, item.attempts)
        if wait is None:
            return None, "retries" if is_transient(error) else "error"
        if _retry._testing:
            wait = 0.0
        if time.monotonic() + wait >= item.last_start:
            return None, "deadline"
        item.ambiguous = item.ambiguous or reached_server(error)
        return wait, "retries"

    def _pause(self, error: APIStatusError) -> None:
        """Hold every item back for the wait the server asked for."""
        asked = error.retry_after if isinstance(error, RateLimitError) else None
        if asked is None:
            asked = server_wait(error.response)
        # Capped as a retry's wait is: a Retry-After of years would stop the sender for good.
        wait = (
            self._policy.backoff(1) if asked is None else min(asked, self._policy.max_server_wait)
        )
        if _retry._testing:
            wait = 0.0
        until = time.monotonic() + wait
        if until > self._paused_until:
            self._paused_until = until
            self._ledger.note("rate_limit_pauses")
            logger.info("rate limited (HTTP 429): the sender pauses for %.2f s", wait)

    def _succeed(self, item: Item, result: FeedbackResult) -> None:
        result = dataclasses.replace(
            result,
            attempts=item.attempts,
            stored_by_earlier_attempt=result.already_submitted and item.ambiguous,
        )
        status: OutcomeStatus = "duplicate" if result.already_submitted else "stored"
        self._finish(item, item.outcome(status, result=result))

    def _give_up(
        self, item: Item, error: APIError | None, reason: RejectReason | DropReason
    ) -> None:
        if error is None:
            self._finish(item, item.outcome("dropped", reason=reason))
            return
        error.attempts = item.attempts
        # The client set maybe_stored for the last attempt; earlier ones count too.
        error.maybe_stored = error.maybe_stored or (item.ambiguous and not rules_out_storage(error))
        self._finish(item, item.outcome("rejected", reason=reason, error=error))

    def _finish(self, item: Item, outcome: SendOutcome) -> None:
        with self._finishing:  # one outcome per item, whatever races close() brings
            if item.finished:
                return
            item.finished = True
            self._held.discard(item)
            # Counted with the flag: a close() that sees the item finished also sees it
            # counted, even while this thread is still on its way to the callback.
            self._ledger.count(outcome)
            self._reporting += 1
        self._release_room()
        try:
            self._ledger.report(outcome)
        finally:
            with self._finishing:
                self._reporting -= 1
                self._finishing.notify_all()


def _unexpected(exc: Exception, *, maybe_stored: bool) -> APIError:
    error = APIConnectionError(f"{type(exc).__name__}: {exc}")
    error.__cause__ = exc
    error.maybe_stored = maybe_stored
    return error
