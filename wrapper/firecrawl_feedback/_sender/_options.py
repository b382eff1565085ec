"""The senders' keyword arguments, checked once at construction."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import _defaults
from .._config import check_max_retries, check_wait, finite
from .._errors import ConfigurationError, shown
from .._fieldpath import unexpected_argument
from .._retry import RetryPolicy
from .._sentinel import NOT_GIVEN
from .._types import ConnectionSettings
from ._outcomes import OutcomeCallback


class ClientArguments(ConnectionSettings, total=False):
    """The client's own arguments (same defaults), for a sender that builds its client."""

    api_key: str | None


class SenderArguments(ClientArguments, total=False):
    """Both senders' keyword arguments but ``http_client`` and ``transport``."""

    retry: RetryPolicy | None
    retry_policy: RetryPolicy | None  # deprecated: retry, as the clients name it
    concurrency: int
    max_rate_per_minute: float | None
    max_queue: int
    block_timeout: float
    feedback_window: float
    send_margin: float
    on_outcome: OutcomeCallback | None


ARGUMENTS = f"""
    ``client``: the client to send through; the sender never closes a client it is
    given (close the sender first, then the client). Without one, the sender builds
    a client from ``api_key``, ``base_url``, ``timeout``, ``max_retries``,
    ``total_budget``, ``http_client``, ``transport``, ``default_headers`` and
    ``allow_insecure_http`` (the client's own arguments, same defaults) and closes
    it in ``close()``. Passing both is a ``ConfigurationError``.

    ``retry``: retries of one item (a ``RetryPolicy``); by default the
    client's ``max_retries`` with the default waits. Retries also stop at the
    item's deadline; the policy's ``total_budget`` is not used. (``retry_policy``,
    its former name, still works, with a ``DeprecationWarning``.)
    ``concurrency``: requests in flight at once (default {_defaults.SENDER_CONCURRENCY}).
    ``max_rate_per_minute``: requests per minute for the whole sender (default
    {_defaults.SENDER_MAX_RATE_PER_MINUTE}, the server's per-team limit; None: no limit).
    ``max_queue``: items held at once, queued, in flight or waiting to retry
    (default {_defaults.SENDER_MAX_QUEUE}).
    ``block_timeout``: how long a call waits for room when ``max_queue`` items
    are held, before dropping the rating with reason ``queue_full`` (default
    {_defaults.SENDER_BLOCK_TIMEOUT:g}: never wait). Each call can override it.
    ``feedback_window``: the server's feedback window in seconds (default
    {_defaults.FEEDBACK_WINDOW:g}). An item's deadline is its job's ``created_at``
    (given per call) plus this, or, without it, the time it was queued plus this.
    ``send_margin``: no attempt starts later than this many seconds before the
    deadline (default {_defaults.SENDER_SEND_MARGIN:g}), so it reaches the server
    inside the window.
    ``on_outcome``: called once per item with its ``SendOutcome``, on the
    sender's thread (or on the calling thread for a rating dropped at the call);
    keep it short; what it raises is logged and ignored.
"""


@dataclass(frozen=True, slots=True)
class SenderOptions:
    """Everything a sender decides besides the client."""

    policy: RetryPolicy
    concurrency: int
    max_rate_per_minute: float | None
    max_queue: int
    block_timeout: float
    feedback_window: float
    send_margin: float


def split_arguments(
    arguments: Mapping[str, Any], sender: type
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the client's arguments, the sender's own); a name neither takes is a TypeError."""
    unknown = sorted(arguments.keys() - SenderArguments.__annotations__.keys())
    if unknown:
        known = [*SenderArguments.__annotations__, *inspect.signature(sender).parameters]
        raise unexpected_argument(f"{sender.__name__}() ", unknown[0], known)
    client = {k: v for k, v in arguments.items() if k in ClientArguments.__annotations__}
    return client, {k: v for k, v in arguments.items() if k not in client}


def check_sender_options(retries: object, given: Mapping[str, Any]) -> SenderOptions:
    """Check the sender's own options (defaults from ``_defaults``), naming the first bad one.

    ``retries``: the client's ``max_retries``, the default retry policy's count.
    """
    policy = given.get("retry")
    if "retry_policy" in given:
        if "retry" in given:
            raise ConfigurationError("pass retry only (retry_policy is its former name)")
        warnings.warn(
            "retry_policy is deprecated; pass retry (the same RetryPolicy, as the clients take)",
            DeprecationWarning,
            stacklevel=4,  # the code building the sender
        )
        policy = given["retry_policy"]
    if policy is None:
        retries = _defaults.MAX_RETRIES if retries is NOT_GIVEN else check_max_retries(retries)
        policy = RetryPolicy(max_retries=retries)
    elif not isinstance(policy, RetryPolicy):
        raise ConfigurationError(
            f"retry must be a RetryPolicy or None; got {type(policy).__name__}"
        )
    rate = given.get("max_rate_per_minute", _defaults.SENDER_MAX_RATE_PER_MINUTE)
    if rate is not None:
        rate = _positive("max_rate_per_minute", rate, "requests per minute, or None (no limit)")
    window = _positive("feedback_window", given.get("feedback_window", _defaults.FEEDBACK_WINDOW))
    margin = check_wait("send_margin", given.get("send_margin", _defaults.SENDER_SEND_MARGIN))
    if margin >= window:
        raise ConfigurationError(
            f"send_margin ({margin:g} s) must be shorter than feedback_window ({window:g} s)"
        )
    block_timeout = given.get("block_timeout", _defaults.SENDER_BLOCK_TIMEOUT)
    if (on_outcome := given.get("on_outcome")) is not None and not callable(on_outcome):
        # Taken as it is, every outcome would log the TypeError of its call.
        raise ConfigurationError(
            f"on_outcome must be callable or None; got {type(on_outcome).__name__}"
        )
    return SenderOptions(
        policy=policy,
        concurrency=_whole(
            "concurrency",
            given.get("concurrency", _defaults.SENDER_CONCURRENCY),
            most=_defaults.MAX_CONCURRENCY,
        ),
        max_rate_per_minute=rate,
        max_queue=_whole("max_queue", given.get("max_queue", _defaults.SENDER_MAX_QUEUE)),
        block_timeout=check_wait("block_timeout", block_timeout),
        feedback_window=window,
        send_margin=margin,
    )


def _whole(option: str, value: object, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= (most or value):
        span = "1 or more" if most is None else f"1 to {most}"
        raise ConfigurationError(f"{option} must be a whole number, {span}; got {shown(value)}")
    return value


def _positive(option: str, value: object, unit: str = "seconds") -> float:
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and finite(value)
        and value > 0
    ):
        return float(value)
    raise ConfigurationError(
        f"{option} must be a positive, finite number of {unit}; got {shown(value)}"
    )
