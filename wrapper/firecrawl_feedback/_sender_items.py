"""One queued rating: its validated request, per-call options and deadline.

Everything here runs on the caller's thread when a rating is handed to a
sender: validation (the same functions as the clients'), so bad input raises
``ValidationError`` at the call and nothing is queued.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ._client import Prepared
from ._config import check_headers, check_max_retries, check_timeout
from ._errors import APIError, ValidationError, Violation
from ._result import FeedbackResult
from ._sender_outcomes import OutcomeStatus, SendOutcome
from ._sentinel import NOT_GIVEN, NotGiven
from ._types import JobId, SubmitFields, TimeoutTypes
from ._validation import (
    build_endpoint_request,
    build_search_request,
    endpoint_request_from_body,
    search_request_from_body,
)

#: When the job was created: an aware datetime, or epoch seconds.
CreatedAt = datetime.datetime | float | int


@dataclass(slots=True, eq=False)
class Item:
    """A rating on its way: the request, its options, its deadline, its attempts so far."""

    endpoint: str
    job_id: str
    request: Prepared
    timeout: httpx.Timeout | None
    max_retries: int | None
    extra_headers: Mapping[str, str] | None
    #: Epoch seconds: the end of the feedback window (reported in outcomes).
    deadline: float
    #: time.monotonic() values: the deadline, and the last moment an attempt may start.
    ends: float
    last_start: float
    attempts: int = 0
    #: An earlier attempt may have reached the server (see ``_failures.reached_server``).
    ambiguous: bool = False
    in_flight: bool = False
    finished: bool = False
    #: The last attempt's error, if it failed.
    error: APIError | None = None

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
            status,
            endpoint=self.endpoint,
            job_id=self.job_id,
            deadline=self.deadline,
            attempts=self.attempts,
            reason=reason,
            result=result,
            error=error,
        )


@dataclass(frozen=True, slots=True)
class Timing:
    """The sender's window settings, used to give each item its deadline."""

    feedback_window: float
    send_margin: float


def _request_options(fields: dict[str, Any]) -> dict[str, Any]:
    """Pop and check the per-call options (timeout, max_retries, extra_headers)."""
    timeout = fields.pop("timeout", NOT_GIVEN)
    max_retries = fields.pop("max_retries", NOT_GIVEN)
    extra_headers = fields.pop("extra_headers", None)
    return {
        "timeout": None if timeout is NOT_GIVEN else check_timeout(timeout),
        "max_retries": None if max_retries is NOT_GIVEN else check_max_retries(max_retries),
        "extra_headers": (
            None if extra_headers is None else check_headers("extra_headers", extra_headers)
        ),
    }


def endpoint_item(
    endpoint: str,
    job_id: JobId,
    created_at: CreatedAt | None,
    timing: Timing,
    fields: SubmitFields,
) -> Item:
    """Validate a ``POST /v2/feedback`` rating given as keyword arguments."""
    given: dict[str, Any] = dict(fields)
    options = _request_options(given)
    body = build_endpoint_request(endpoint=endpoint, job_id=job_id, **given)
    return _item(body.endpoint.value, str(body.job_id), Prepared(body), options, created_at, timing)


def endpoint_body_item(
    body: Mapping[str, Any],
    created_at: CreatedAt | None,
    timing: Timing,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int | NotGiven,
    extra_headers: Mapping[str, str] | None,
) -> Item:
    """Validate a wire-form ``POST /v2/feedback`` body."""
    options = _request_options(
        {"timeout": timeout, "max_retries": max_retries, "extra_headers": extra_headers}
    )
    model = endpoint_request_from_body(body)
    return _item(
        model.endpoint.value, str(model.job_id), Prepared(model), options, created_at, timing
    )


def search_item(
    job_id: JobId,
    created_at: CreatedAt | None,
    timing: Timing,
    fields: Mapping[str, Any],
    body: Mapping[str, Any] | None = None,
) -> Item:
    """Validate a rating for the search route (keyword arguments, or a wire-form body)."""
    given = dict(fields)
    options = _request_options(given)
    if body is None:
        path_id, model = build_search_request(job_id, **given)
    else:
        path_id, model = search_request_from_body(job_id, body)
    return _item("search", str(path_id), Prepared(model, path_id), options, created_at, timing)


def _item(
    endpoint: str,
    job_id: str,
    request: Prepared,
    options: dict[str, Any],
    created_at: CreatedAt | None,
    timing: Timing,
) -> Item:
    wall, mono = time.time(), time.monotonic()
    start = wall if created_at is None else epoch_seconds(created_at)
    deadline = start + timing.feedback_window
    ends = mono + (deadline - wall)
    return Item(
        endpoint=endpoint,
        job_id=job_id,
        request=request,
        deadline=deadline,
        ends=ends,
        last_start=ends - timing.send_margin,
        **options,
    )


def epoch_seconds(created_at: object) -> float:
    """``created_at`` as epoch seconds: an aware datetime, or a finite number of seconds."""
    if isinstance(created_at, datetime.datetime):
        if created_at.tzinfo is None or created_at.utcoffset() is None:
            raise ValidationError(
                [Violation("created_at", "must be timezone-aware (a naive datetime is ambiguous)")]
            )
        return created_at.timestamp()
    if (
        isinstance(created_at, (int, float))
        and not isinstance(created_at, bool)
        and math.isfinite(created_at)
    ):
        return float(created_at)
    raise ValidationError(
        [
            Violation(
                "created_at",
                "must be a timezone-aware datetime or epoch seconds (a finite number); "
                f"got {type(created_at).__name__}",
            )
        ]
    )
