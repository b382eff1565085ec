"""FeedbackSender and AsyncFeedbackSender: rate jobs from a pipeline without waiting.

Both validate on the caller's thread (bad input raises ``ValidationError`` and
nothing is queued), then hand the rating to one engine (``_sender_engine``),
which sends it in the background with the same client, failure classification
and retry policy as a direct call, before the item's deadline or not at all.
The sync sender runs that engine on an event loop in its own daemon thread.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import threading
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self, Unpack

import httpx

from . import _defaults
from ._client import AsyncFeedbackClient, FeedbackClient
from ._config import check_max_retries
from ._errors import ConfigurationError
from ._logging import logger
from ._result import FeedbackResult
from ._retry import RetryPolicy
from ._sender_engine import Engine
from ._sender_items import (
    CreatedAt,
    Item,
    endpoint_body_item,
    endpoint_item,
    search_item,
)
from ._sender_options import SenderOptions, check_sender_options, seconds
from ._sender_outcomes import Ledger, OutcomeCallback, SenderCounts
from ._sender_threads import LoopThread, Workers
from ._sentinel import NOT_GIVEN, NotGiven
from ._types import (
    Endpoint,
    JobId,
    MissingContentInput,
    Rating,
    SubmitFields,
    TimeoutTypes,
    ValuableSourceInput,
)

__all__ = ["AsyncFeedbackSender", "FeedbackSender"]

_ARGUMENTS = """
    ``client``: the client to send through; the sender never closes a client it is
    given (close the sender first, then the client). Without one, the sender builds
    a client from ``api_key``, ``base_url``, ``timeout``, ``max_retries``,
    ``total_budget``, ``http_client``, ``transport``, ``default_headers`` and
    ``allow_insecure_http`` (the client's own arguments, same defaults) and closes
    it in ``close()``. Passing both is a ``ConfigurationError``.

    ``retry_policy``: retries of one item (a ``RetryPolicy``); by default the
    client's ``max_retries`` with the default waits. Retries also stop at the
    item's deadline; the policy's ``total_budget`` is not used.
    ``concurrency``: requests in flight at once (default 4).
    ``max_rate_per_minute``: requests per minute for the whole sender (default
    1000, the server's per-team limit; None: no limit).
    ``max_queue``: items held at once, queued, in flight or waiting to retry
    (default 2000).
    ``block_timeout``: how long a call waits for room when ``max_queue`` items
    are held, before dropping the rating with reason ``queue_full`` (default 0:
    never wait). Each call can override it.
    ``feedback_window``: the server's feedback window in seconds (default 120).
    An item's deadline is its job's ``created_at`` (given per call) plus this,
    or, without ``created_at``, the time it was queued plus this.
    ``send_margin``: no attempt starts later than this many seconds before the
    deadline (default 5), so it reaches the server inside the window.
    ``on_outcome``: called once per item with its ``SendOutcome``, on the
    sender's thread (or on the calling thread for a rating dropped at the call);
    keep it short; what it raises is logged and ignored.
"""


def _client_arguments_given(**given: object) -> list[str]:
    defaults: dict[str, object] = {"allow_insecure_http": False}
    return [
        name
        for name, value in given.items()
        if value is not NOT_GIVEN and value is not None and value != defaults.get(name)
    ]


def _refuse_both(client: object, given: list[str]) -> None:
    if client is not None and given:
        raise ConfigurationError(
            f"pass a client or the arguments to build one, not both (got client and {given})"
        )


def _closed() -> ConfigurationError:
    return ConfigurationError("this sender is closed; create a new one")


def _drop_at_call(ledger: Ledger, item: Item, reason: str) -> bool:
    ledger.record(item.outcome("dropped", reason=reason))
    return False


def _log_closed(counts: SenderCounts) -> None:
    """One line for what close() ended (each of those items is logged at DEBUG only)."""
    cut = counts.dropped_reasons.get("closed", 0) + counts.rejected_reasons.get("closed", 0)
    if cut:
        logger.warning(
            "the feedback sender closed with %d rating(s) pending: %d never sent, %d cut off "
            "in flight or before a retry; counts: %s",
            cut,
            counts.dropped_reasons.get("closed", 0),
            counts.rejected_reasons.get("closed", 0),
            counts,
        )


class FeedbackSender:
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

    __doc__ = (__doc__ or "") + _ARGUMENTS

    def __init__(
        self,
        client: FeedbackClient | None = None,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        total_budget: float | NotGiven = NOT_GIVEN,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        default_headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
        concurrency: int = _defaults.SENDER_CONCURRENCY,
        max_rate_per_minute: float | None = _defaults.SENDER_MAX_RATE_PER_MINUTE,
        max_queue: int = _defaults.SENDER_MAX_QUEUE,
        block_timeout: float = _defaults.SENDER_BLOCK_TIMEOUT,
        feedback_window: float = _defaults.FEEDBACK_WINDOW,
        send_margin: float = _defaults.SENDER_SEND_MARGIN,
        on_outcome: OutcomeCallback | None = None,
        exit_timeout: float | None = _defaults.SENDER_EXIT_TIMEOUT,
    ) -> None:
        _refuse_both(
            client,
            _client_arguments_given(
                api_key=api_key,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                total_budget=total_budget,
                http_client=http_client,
                transport=transport,
                default_headers=default_headers,
                allow_insecure_http=allow_insecure_http,
            ),
        )
        if client is not None and not isinstance(client, FeedbackClient):
            raise ConfigurationError(
                f"client must be a FeedbackClient; got {type(client).__name__} "
                "(an AsyncFeedbackClient goes with AsyncFeedbackSender)"
            )
        self._exit_timeout = None if exit_timeout is None else seconds("exit_timeout", exit_timeout)
        self._owns_client = client is None
        self._client = client or FeedbackClient(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            total_budget=total_budget,
            http_client=http_client,
            transport=transport,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
        )
        try:
            self._options: SenderOptions = check_sender_options(
                retry_policy=retry_policy,
                default_retries=self._client.max_retries,
                concurrency=concurrency,
                max_rate_per_minute=max_rate_per_minute,
                max_queue=max_queue,
                block_timeout=block_timeout,
                feedback_window=feedback_window,
                send_margin=send_margin,
            )
        except BaseException:
            if self._owns_client:
                self._client.close()
            raise
        self._ledger = Ledger(on_outcome)
        self._room = threading.Semaphore(self._options.max_queue)
        self._state = threading.Lock()
        self._closed = False
        self._workers = Workers(self._options.concurrency, "firecrawl-feedback-sender-http")
        self._loop_thread = LoopThread("firecrawl-feedback-sender")
        self._engine = Engine(
            send=self._send_once,
            policy=self._options.policy,
            per_minute=self._options.max_rate_per_minute,
            concurrency=self._options.concurrency,
            ledger=self._ledger,
            release_room=self._room.release,
        )
        if self._exit_timeout is not None:
            atexit.register(self._flush_at_exit)

    # -- POST /v2/feedback ------------------------------------------------------

    def submit(
        self,
        endpoint: Endpoint,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating for ``POST /v2/feedback``; True when queued, False when dropped.

        Takes the keyword arguments of ``FeedbackClient.submit`` (``timeout`` is per
        attempt, ``max_retries`` overrides the retry policy's count for this item),
        plus ``created_at``, when the job was created (an aware ``datetime`` or epoch
        seconds; the deadline is that plus ``feedback_window``), and
        ``block_timeout``, this call's wait for room when the queue is full.
        """
        return self._enqueue(
            endpoint_item(str(endpoint), job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    def scrape(
        self,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating of a scrape job; the same arguments as :meth:`submit`."""
        return self._enqueue(
            endpoint_item("scrape", job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    def parse(
        self,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating of a parse job; the same arguments as :meth:`submit`."""
        return self._enqueue(
            endpoint_item("parse", job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    def map(
        self,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating of a map job; the same arguments as :meth:`submit`."""
        return self._enqueue(
            endpoint_item("map", job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    def submit_body(
        self,
        body: Mapping[str, Any],
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> bool:
        """Queue a wire-form ``POST /v2/feedback`` body (camelCase keys), validated now.

        ``created_at``, ``block_timeout``, ``timeout``, ``max_retries`` and
        ``extra_headers`` as in :meth:`submit`.
        """
        return self._enqueue(
            endpoint_body_item(
                body, created_at, self._options.timing, timeout, max_retries, extra_headers
            ),
            block_timeout,
        )

    # -- POST /v2/search/{jobId}/feedback --------------------------------------

    def search(
        self,
        job_id: JobId,
        *,
        rating: Rating,
        valuable_sources: Sequence[ValuableSourceInput] | None = None,
        missing_content: Sequence[MissingContentInput] | None = None,
        query_suggestions: str | None = None,
        integration: str | None = None,
        origin: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
    ) -> bool:
        """Queue a rating of a search job for the search route.

        The arguments of ``FeedbackClient.search``, plus ``created_at`` and
        ``block_timeout`` as in :meth:`submit`.
        """
        fields = {
            "rating": rating,
            "valuable_sources": valuable_sources,
            "missing_content": missing_content,
            "query_suggestions": query_suggestions,
            "integration": integration,
            "origin": origin,
            "timeout": timeout,
            "max_retries": max_retries,
            "extra_headers": extra_headers,
        }
        return self._enqueue(
            search_item(job_id, created_at, self._options.timing, fields), block_timeout
        )

    def search_body(
        self,
        job_id: JobId,
        body: Mapping[str, Any],
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> bool:
        """Queue a wire-form search feedback body for ``job_id``; arguments as in :meth:`submit`."""
        fields = {"timeout": timeout, "max_retries": max_retries, "extra_headers": extra_headers}
        return self._enqueue(
            search_item(job_id, created_at, self._options.timing, fields, body), block_timeout
        )

    # -- lifecycle ----------------------------------------------------------------

    @property
    def counts(self) -> SenderCounts:
        """A snapshot of the counters (safe from any thread)."""
        return self._ledger.snapshot()

    @property
    def client(self) -> FeedbackClient:
        """The client this sender sends through."""
        return self._client

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every rating handed over has its outcome; False if ``timeout`` passed.

        ``timeout``: seconds, or None to wait until then (every item has a deadline,
        so this ends).
        """
        if timeout is not None:
            timeout = seconds("timeout", timeout)
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
        timeout = seconds("timeout", timeout)
        with self._state:
            if self._closed:
                return self.counts
            self._refuse_own_thread("close")
            self._closed = True
        atexit.unregister(self._flush_at_exit)
        ends = time.monotonic() + timeout
        # Leave part of the timeout for ending what is left and stopping threads.
        drain = max(0.0, timeout - min(0.5, timeout / 4))
        finishing = asyncio.run_coroutine_threadsafe(self._finish(drain), self._loop_thread.loop)
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
        counts = self.counts
        _log_closed(counts)
        return counts

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"FeedbackSender(base_url={self._client.base_url!r}, closed={self._closed})"

    # -- plumbing -------------------------------------------------------------------

    def _enqueue(self, item: Item, block_timeout: float | NotGiven) -> bool:
        if self._closed:
            raise _closed()
        wait = (
            self._options.block_timeout
            if block_timeout is NOT_GIVEN
            else seconds("block_timeout", block_timeout)
        )
        self._ledger.submitted()
        if time.monotonic() >= item.last_start:
            return _drop_at_call(self._ledger, item, "deadline")
        has_room = self._room.acquire(timeout=wait) if wait > 0 else self._room.acquire(False)
        if not has_room:
            return _drop_at_call(self._ledger, item, "queue_full")
        with self._state:
            if not self._closed:
                self._engine.hold(item)
                self._loop_thread.loop.call_soon_threadsafe(self._engine.accept, item)
                return True
        self._room.release()
        return _drop_at_call(self._ledger, item, "closed")

    async def _send_once(self, item: Item, remaining: float) -> FeedbackResult:
        call = functools.partial(
            self._client._send,
            item.request,
            {
                "timeout": item.timeout or NOT_GIVEN,
                "max_retries": 0,  # the sender retries itself: one 429 pauses every worker
                "extra_headers": item.extra_headers,
            },
            total_budget=remaining,
        )
        return await self._workers.run(call)

    async def _finish(self, drain: float) -> None:
        await self._engine.drained(drain)
        await self._engine.stop()

    def _refuse_own_thread(self, what: str) -> None:
        if self._loop_thread.is_current():
            raise ConfigurationError(f"{what}() cannot be called from the on_outcome callback")

    def _flush_at_exit(self) -> None:
        assert self._exit_timeout is not None  # noqa: S101 (registered only with one)
        logger.debug("interpreter exit: flushing the feedback sender")
        self.close(self._exit_timeout)


class AsyncFeedbackSender:
    """The asyncio twin of :class:`FeedbackSender`: the same engine, on the caller's loop.

    Its rating methods are coroutines that return at once (True: queued, False:
    dropped), waiting only when the queue is full and ``block_timeout`` allows;
    ``await sender.aclose()`` or ``async with`` ends it. Use it from one event
    loop. There is no exit-time flush: close it before the loop ends.
    """

    __doc__ = (__doc__ or "") + _ARGUMENTS

    def __init__(
        self,
        client: AsyncFeedbackClient | None = None,
        *,
        api_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        total_budget: float | NotGiven = NOT_GIVEN,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        default_headers: Mapping[str, str] | None = None,
        allow_insecure_http: bool = False,
        retry_policy: RetryPolicy | None = None,
        concurrency: int = _defaults.SENDER_CONCURRENCY,
        max_rate_per_minute: float | None = _defaults.SENDER_MAX_RATE_PER_MINUTE,
        max_queue: int = _defaults.SENDER_MAX_QUEUE,
        block_timeout: float = _defaults.SENDER_BLOCK_TIMEOUT,
        feedback_window: float = _defaults.FEEDBACK_WINDOW,
        send_margin: float = _defaults.SENDER_SEND_MARGIN,
        on_outcome: OutcomeCallback | None = None,
    ) -> None:
        _refuse_both(
            client,
            _client_arguments_given(
                api_key=api_key,
                base_url=base_url,
                timeout=timeout,
                max_retries=max_retries,
                total_budget=total_budget,
                http_client=http_client,
                transport=transport,
                default_headers=default_headers,
                allow_insecure_http=allow_insecure_http,
            ),
        )
        if client is not None and not isinstance(client, AsyncFeedbackClient):
            raise ConfigurationError(
                f"client must be an AsyncFeedbackClient; got {type(client).__name__} "
                "(a FeedbackClient goes with FeedbackSender)"
            )
        self._options: SenderOptions = check_sender_options(
            retry_policy=retry_policy,
            default_retries=(
                client.max_retries
                if client is not None
                else _defaults.MAX_RETRIES
                if max_retries is NOT_GIVEN
                else check_max_retries(max_retries)
            ),
            concurrency=concurrency,
            max_rate_per_minute=max_rate_per_minute,
            max_queue=max_queue,
            block_timeout=block_timeout,
            feedback_window=feedback_window,
            send_margin=send_margin,
        )
        self._owns_client = client is None
        self._client = client or AsyncFeedbackClient(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            total_budget=total_budget,
            http_client=http_client,
            transport=transport,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
        )
        self._ledger = Ledger(on_outcome)
        self._room = asyncio.Semaphore(self._options.max_queue)
        self._closed = False
        self._engine = Engine(
            send=self._send_once,
            policy=self._options.policy,
            per_minute=self._options.max_rate_per_minute,
            concurrency=self._options.concurrency,
            ledger=self._ledger,
            release_room=self._room.release,
        )

    async def submit(
        self,
        endpoint: Endpoint,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating for ``POST /v2/feedback``; as ``FeedbackSender.submit``."""
        return await self._enqueue(
            endpoint_item(str(endpoint), job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    async def scrape(
        self,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating of a scrape job; the same arguments as :meth:`submit`."""
        return await self._enqueue(
            endpoint_item("scrape", job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    async def parse(
        self,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating of a parse job; the same arguments as :meth:`submit`."""
        return await self._enqueue(
            endpoint_item("parse", job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    async def map(
        self,
        job_id: JobId,
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        **fields: Unpack[SubmitFields],
    ) -> bool:
        """Queue a rating of a map job; the same arguments as :meth:`submit`."""
        return await self._enqueue(
            endpoint_item("map", job_id, created_at, self._options.timing, fields),
            block_timeout,
        )

    async def submit_body(
        self,
        body: Mapping[str, Any],
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> bool:
        """Queue a wire-form ``POST /v2/feedback`` body; as ``FeedbackSender.submit_body``."""
        return await self._enqueue(
            endpoint_body_item(
                body, created_at, self._options.timing, timeout, max_retries, extra_headers
            ),
            block_timeout,
        )

    async def search(
        self,
        job_id: JobId,
        *,
        rating: Rating,
        valuable_sources: Sequence[ValuableSourceInput] | None = None,
        missing_content: Sequence[MissingContentInput] | None = None,
        query_suggestions: str | None = None,
        integration: str | None = None,
        origin: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
    ) -> bool:
        """Queue a rating of a search job for the search route; as ``FeedbackSender.search``."""
        fields = {
            "rating": rating,
            "valuable_sources": valuable_sources,
            "missing_content": missing_content,
            "query_suggestions": query_suggestions,
            "integration": integration,
            "origin": origin,
            "timeout": timeout,
            "max_retries": max_retries,
            "extra_headers": extra_headers,
        }
        return await self._enqueue(
            search_item(job_id, created_at, self._options.timing, fields), block_timeout
        )

    async def search_body(
        self,
        job_id: JobId,
        body: Mapping[str, Any],
        *,
        created_at: CreatedAt | None = None,
        block_timeout: float | NotGiven = NOT_GIVEN,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> bool:
        """Queue a wire-form search feedback body; as ``FeedbackSender.search_body``."""
        fields = {"timeout": timeout, "max_retries": max_retries, "extra_headers": extra_headers}
        return await self._enqueue(
            search_item(job_id, created_at, self._options.timing, fields, body), block_timeout
        )

    @property
    def counts(self) -> SenderCounts:
        """A snapshot of the counters."""
        return self._ledger.snapshot()

    @property
    def client(self) -> AsyncFeedbackClient:
        """The client this sender sends through."""
        return self._client

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until every rating handed over has its outcome; False if ``timeout`` passed.

        ``timeout``: seconds, or None to wait until then (every item has a deadline).
        """
        if timeout is not None:
            timeout = seconds("timeout", timeout)
        return await self._engine.drained(timeout)

    async def aclose(self, timeout: float = _defaults.SENDER_CLOSE_TIMEOUT) -> SenderCounts:
        """Stop taking ratings, wait up to ``timeout`` seconds for pending ones, end the rest.

        As ``FeedbackSender.close``; closes the client only if the sender built it.
        """
        timeout = seconds("timeout", timeout)
        if self._closed:
            return self.counts
        self._closed = True
        await self._engine.drained(max(0.0, timeout - min(0.5, timeout / 4)))
        await self._engine.stop()
        if self._owns_client:
            await self._client.aclose()
        counts = self.counts
        _log_closed(counts)
        return counts

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncFeedbackSender(base_url={self._client.base_url!r}, closed={self._closed})"

    async def _enqueue(self, item: Item, block_timeout: float | NotGiven) -> bool:
        if self._closed:
            raise _closed()
        wait = (
            self._options.block_timeout
            if block_timeout is NOT_GIVEN
            else seconds("block_timeout", block_timeout)
        )
        self._ledger.submitted()
        if time.monotonic() >= item.last_start:
            return _drop_at_call(self._ledger, item, "deadline")
        if self._room.locked():
            if wait <= 0:
                return _drop_at_call(self._ledger, item, "queue_full")
            try:
                async with asyncio.timeout(wait):
                    await self._room.acquire()
            except TimeoutError:
                return _drop_at_call(self._ledger, item, "queue_full")
        else:
            await self._room.acquire()  # free room: returns without suspending
        if self._closed:  # closed while this call waited for room
            self._room.release()
            return _drop_at_call(self._ledger, item, "closed")
        self._engine.accept(item)
        return True

    async def _send_once(self, item: Item, remaining: float) -> FeedbackResult:
        return await self._client._send(
            item.request,
            {
                "timeout": item.timeout or NOT_GIVEN,
                "max_retries": 0,  # the sender retries itself: one 429 pauses every worker
                "extra_headers": item.extra_headers,
            },
            total_budget=remaining,
        )
