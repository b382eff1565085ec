"""What both senders share: their checks at construction and their rating methods.

A rating method validates on the caller's thread (bad input raises
``ValidationError``, nothing is queued), builds the item, and hands it to the
flavour's ``_enqueue``: the sync sender's returns a bool, the async sender's a
coroutine, so each method is written once for both (``Returns``).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Generic, TypedDict, TypeVar, Unpack

from .._client import AsyncFeedbackClient, FeedbackClient, Prepared
from .._config import check_wait
from .._docs import OPTIONS, document
from .._errors import APITimeoutError, ConfigurationError
from .._fieldpath import unexpected_argument
from .._logging import logger
from .._sentinel import NOT_GIVEN, NotGiven
from .._types import CallOptions as ClientCallOptions
from .._types import Endpoint, JobId, SearchFields, SubmitFields
from .._validation import (
    build_endpoint_request,
    build_search_request,
    endpoint_request_from_body,
    search_request_from_body,
)
from ._engine import Engine
from ._items import CallOptions, CreatedAt, Item
from ._options import SenderOptions, check_sender_options, split_arguments
from ._outcomes import Ledger, SenderCounts

Client = TypeVar("Client", FeedbackClient, AsyncFeedbackClient)
#: What a rating method returns: ``bool``, or a coroutine giving one.
Returns = TypeVar("Returns", bool, Coroutine[Any, Any, bool])


class SenderCallOptions(TypedDict, total=False):
    """The sender's own options of a rating call (docstrings: what an IDE shows)."""

    created_at: CreatedAt | None
    """When the job was created: an aware datetime or epoch seconds. The item's deadline is
    that plus the sender's feedback_window; without it, the time of this call."""
    block_timeout: float | NotGiven
    """Seconds this call may wait for room when the queue is full (0 or more; defaults to
    the sender's); then the item is dropped."""


class QueueOptions(ClientCallOptions, SenderCallOptions, total=False):
    """A rating call's options: the client's per-call ones, then the sender's two."""


class QueuedFields(SubmitFields, SenderCallOptions, total=False):
    """The keyword arguments of a sender's ``submit``: the client's, and two of its own."""


class QueuedSearchFields(SearchFields, SenderCallOptions, total=False):
    """The keyword arguments of a sender's ``search``: the client's, and two of its own."""


_OPTIONS = tuple(QueueOptions.__annotations__)


def _no_more(body: Mapping[str, Any], rest: Mapping[str, Any]) -> Mapping[str, Any]:
    """``body``, when a body method was given no names but its options (else a TypeError)."""
    for name in rest:
        raise unexpected_argument("", name, _OPTIONS)
    return body


def closed_error() -> ConfigurationError:
    return ConfigurationError("this sender is closed; create a new one")


class SenderBase(ABC, Generic[Client, Returns]):
    """The rating methods, the counters and the construction both senders share."""

    _client: Client
    _owns_client: bool
    _options: SenderOptions
    _ledger: Ledger
    _engine: Engine
    _closed: bool

    def _setup(
        self,
        client: Client | None,
        client_type: type[Client],
        arguments: Mapping[str, Any],
        **connection: Any,
    ) -> None:
        """Check everything, then build the client if none was given."""
        client_arguments, own = split_arguments(arguments, type(self))
        client_arguments.update(connection)  # http_client and transport
        given = [
            name
            for name, value in client_arguments.items()
            if value is not NOT_GIVEN and value is not None and value is not False
        ]
        if client is not None and given:
            raise ConfigurationError(
                f"pass a client or the arguments to build one, not both (got client and {given})"
            )
        if client is not None and not isinstance(client, client_type):
            raise ConfigurationError(
                f"client must be a {client_type.__name__}; got {type(client).__name__} "
                "(FeedbackClient goes with FeedbackSender, AsyncFeedbackClient with "
                "AsyncFeedbackSender)"
            )
        retries = (
            client_arguments.get("max_retries", NOT_GIVEN) if client is None else client.max_retries
        )
        self._options = check_sender_options(retries, own)
        self._owns_client = client is None
        self._client = client if client is not None else client_type(**client_arguments)
        self._ledger = Ledger(own.get("on_outcome"))
        self._closed = False

    # -- POST /v2/feedback ------------------------------------------------------

    def submit(self, endpoint: Endpoint, job_id: JobId, **fields: Unpack[QueuedFields]) -> Returns:
        """Queue a rating for ``POST /v2/feedback``; True when queued, False when dropped."""

        def build(given: dict[str, Any]) -> Prepared:
            request = build_endpoint_request(endpoint, job_id, options_named=_OPTIONS, **given)
            return Prepared(request)

        return self._queue(fields, build)

    def scrape(self, job_id: JobId, **fields: Unpack[QueuedFields]) -> Returns:
        """Queue a rating of a scrape job (``POST /v2/feedback``, endpoint ``"scrape"``)."""
        return self.submit("scrape", job_id, **fields)

    def parse(self, job_id: JobId, **fields: Unpack[QueuedFields]) -> Returns:
        """Queue a rating of a parse job (``POST /v2/feedback``, endpoint ``"parse"``)."""
        return self.submit("parse", job_id, **fields)

    def map(self, job_id: JobId, **fields: Unpack[QueuedFields]) -> Returns:
        """Queue a rating of a map job (``POST /v2/feedback``, endpoint ``"map"``)."""
        return self.submit("map", job_id, **fields)

    def submit_body(self, body: Mapping[str, Any], **options: Unpack[QueueOptions]) -> Returns:
        """Queue a wire-form ``POST /v2/feedback`` body (camelCase keys), validated now."""
        return self._queue(
            options, lambda rest: Prepared(endpoint_request_from_body(_no_more(body, rest)))
        )

    # -- POST /v2/search/{jobId}/feedback --------------------------------------

    def search(self, job_id: JobId, **fields: Unpack[QueuedSearchFields]) -> Returns:
        """Queue a rating of a search job for the search route."""

        def build(given: dict[str, Any]) -> Prepared:
            path_id, body = build_search_request(job_id, options_named=_OPTIONS, **given)
            return Prepared(body, path_id)

        return self._queue(fields, build)

    def search_body(
        self, job_id: JobId, body: Mapping[str, Any], **options: Unpack[QueueOptions]
    ) -> Returns:
        """Queue a wire-form search feedback body for ``job_id`` (the search route)."""

        def build(rest: dict[str, Any]) -> Prepared:
            path_id, model = search_request_from_body(job_id, _no_more(body, rest))
            return Prepared(model, path_id)

        return self._queue(options, build)

    # -- state ------------------------------------------------------------------

    @property
    def counts(self) -> SenderCounts:
        """A snapshot of the counters (safe from any thread)."""
        return self._ledger.snapshot()

    @property
    def client(self) -> Client:
        """The client this sender sends through."""
        return self._client

    def _closing_counts(self) -> SenderCounts:
        """The final counts, after one line for what close() ended (DEBUG each item)."""
        counts = self.counts
        never_sent = counts.dropped_reasons.get("closed", 0)
        cut_off = counts.rejected_reasons.get("closed", 0)
        if never_sent or cut_off:
            logger.warning(
                "the feedback sender closed with %d rating(s) pending: %d never sent, %d cut "
                "off in flight or before a retry; counts: %s",
                never_sent + cut_off,
                never_sent,
                cut_off,
                counts,
            )
        return counts

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._client.base_url!r}, closed={self._closed})"

    # -- plumbing ---------------------------------------------------------------

    def _queue(
        self, fields: Mapping[str, Any], build: Callable[[dict[str, Any]], Prepared]
    ) -> Returns:
        """Check the call's options, validate the rating on this thread, hand it over."""
        given = dict(fields)
        created_at = given.pop("created_at", None)
        block_timeout = given.pop("block_timeout", NOT_GIVEN)
        options = CallOptions.pop(given)
        item = Item.new(build(given), options, created_at, self._options)
        return self._enqueue(item, block_timeout)

    def _one_request(self, item: Item) -> Callable[[], Any]:
        """One attempt through the client, without its retries (the engine retries, so that
        one 429 pauses every item), timed when it starts: a sync sender's worker thread may
        take it up later than the engine handed it over."""
        options = item.options
        call_options: ClientCallOptions = {
            "timeout": options.timeout or NOT_GIVEN,
            "max_retries": 0,
            "extra_headers": options.extra_headers,
        }

        def attempt() -> Any:
            now = time.monotonic()  # the window counts from the job's creation: what is left
            if now >= item.ends:  # nothing sent (maybe_stored stays False)
                raise APITimeoutError("the item's deadline passed before it was sent")
            return self._client._send(item.request, call_options, total_budget=item.ends - now)

        return attempt

    @abstractmethod
    def _enqueue(self, item: Item, block_timeout: float | NotGiven) -> Returns:
        """Hand ``item`` over: True when queued, False when dropped at once."""

    def _arrival(self, item: Item, block_timeout: float | NotGiven) -> float | None:
        """What every rating meets first, in both flavours: the seconds it may wait for
        room in the queue, or None when it is dropped at the call (its deadline passed)."""
        if self._closed:
            raise closed_error()
        wait = (
            self._options.block_timeout
            if block_timeout is NOT_GIVEN
            else check_wait("block_timeout", block_timeout)
        )
        self._ledger.note("submitted")
        if time.monotonic() >= item.last_start:
            self._drop_at_call(item, "deadline")
            return None
        return wait

    def _drop_at_call(self, item: Item, reason: str) -> bool:
        self._ledger.record(item.outcome("dropped", reason=reason))
        return False


#: The sender's own arguments, beside the body fields (documented from the spec).
_QUEUE_OPTIONS: dict[str, str] = {
    **OPTIONS,
    "timeout": (
        "Seconds each attempt of this item may take: a positive, finite number, an "
        "httpx.Timeout, or None for no limit. Defaults to the client's timeout."
    ),
    "max_retries": (
        "How many times this item is retried after a transient failure: a whole number, "
        "0 or more. Defaults to the sender's retry policy."
    ),
    "created_at": (
        "When the job was created: an aware datetime or epoch seconds. The item's deadline "
        "is that plus the sender's feedback_window; without it, the time of this call."
    ),
    "block_timeout": (
        "Seconds this call may wait for room when the queue is full (0 or more; "
        "defaults to the sender's); then the item is dropped."
    ),
}
_QUEUE_RETURNS = """Returns:
    True when queued; False when dropped at once (its deadline already passed, the
    queue stayed full for block_timeout, or the sender is closing). With
    AsyncFeedbackSender, an awaitable giving that. The outcome comes later, through
    on_outcome and counts.

Raises:
    ValidationError: the input breaks a rule (raised at the call; nothing is queued).
    ConfigurationError: the sender is closed, an option is out of range, or (with
        AsyncFeedbackSender) the call runs on another event loop than its first."""

document(SenderBase, _QUEUE_OPTIONS, _QUEUE_RETURNS)
