"""One queued rating: its validated request, per-call options and deadline."""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .._api import EndpointFeedbackRequest
from .._client import Prepared
from .._config import check_headers, check_max_retries, check_timeout, finite
from .._errors import APIError, ValidationError
from .._problems import Violation
from .._result import FeedbackResult
from .._sentinel import NOT_GIVEN
from ._options import SenderOptions
from ._outcomes import OutcomeStatus, SendOutcome

#: When the job was created: an aware datetime, or epoch seconds.
CreatedAt = datetime.datetime | float | int


@dataclass(frozen=True, slots=True)
class CallOptions:
    """A call's ``timeout``, ``max_retries`` and ``extra_headers``, checked (None: not given)."""

    timeout: httpx.Timeout | None
    max_retries: int | None
    extra_headers: Mapping[str, str] | None

    @classmethod
    def pop(cls, fields: dict[str, Any]) -> CallOptions:
        """Take the call options out of a method's keyword arguments, and check them."""
        timeout = fields.pop("timeout", NOT_GIVEN)
        max_retries = fields.pop("max_retries", NOT_GIVEN)
        extra_headers = fields.pop("extra_headers", None)
        return cls(
            None if timeout is NOT_GIVEN else check_timeout(timeout),
            None if max_retries is NOT_GIVEN else check_max_retries(max_retries),
            None if extra_headers is None else check_headers("extra_headers", extra_headers),
        )


@dataclass(slots=True, eq=False)
class Item:
    """A rating on its way: the request, its options, its deadline, its attempts so far."""

    endpoint: str
    job_id: str
    request: Prepared
    options: CallOptions
    #: Epoch seconds: the end of the feedback window (reported in outcomes).
    deadline: float
    #: time.monotonic() values: the deadline, and the last moment an attempt may start.
    ends: float
    last_start: float
    attempts: int = 0
    #: An earlier attempt may have reached the server (see ``_failures.reached_server``).
    ambiguous: bool = False
    #: From the start of an attempt until its failure is noted or the item ends.
    in_flight: bool = False
    #: A close() is ending it (maybe from another thread): no attempt starts any more.
    closing: bool = False
    finished: bool = False
    #: The last attempt's error, if it failed.
    error: APIError | None = None

    @classmethod
    def new(
        cls,
        request: Prepared,
        options: CallOptions,
        created_at: CreatedAt | None,
        sender: SenderOptions,
    ) -> Item:
        """An item whose deadline is ``created_at`` (default: now) plus the feedback window."""
        body = request.body
        if isinstance(body, EndpointFeedbackRequest):
            endpoint, job_id = body.endpoint.value, str(body.job_id)
        else:
            endpoint, job_id = "search", str(request.path_id)
        wall, mono = time.time(), time.monotonic()
        start = wall if created_at is None else epoch_seconds(created_at)
        deadline = start + sender.feedback_window
        ends = mono + (deadline - wall)
        return cls(endpoint, job_id, request, options, deadline, ends, ends - sender.send_margin)

    def outcome(
        self,
        status: OutcomeStatus,
        *,
        reason: str | None = None,
        result: FeedbackResult | None = None,
        error: APIError | None = None,
    ) -> SendOutcome:
        """This item's outcome, as reported to counters and callbacks."""
        return SendOutcome(
            status, self.endpoint, self.job_id, self.deadline, self.attempts, reason, result, error
        )


def epoch_seconds(created_at: object) -> float:
    """``created_at`` as epoch seconds: an aware datetime, or a finite number of seconds."""
    if isinstance(created_at, datetime.datetime) and created_at.utcoffset() is not None:
        return created_at.timestamp()
    if (
        isinstance(created_at, int | float)
        and not isinstance(created_at, bool)
        and finite(created_at)
    ):
        return float(created_at)
    naive = isinstance(created_at, datetime.datetime)
    got = "a naive datetime, which is ambiguous" if naive else type(created_at).__name__
    rule = f"must be a timezone-aware datetime or epoch seconds (a finite number); got {got}"
    raise ValidationError([Violation("created_at", rule)])
