"""The senders' own options, checked once at construction (or per call)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._errors import ConfigurationError
from .._retry import RetryPolicy
from ._items import Timing


@dataclass(frozen=True, slots=True)
class SenderOptions:
    """Everything a sender decides besides the client."""

    policy: RetryPolicy
    concurrency: int
    max_rate_per_minute: float | None
    max_queue: int
    block_timeout: float
    timing: Timing


def _whole(option: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{option} must be a whole number, 1 or more; got {value!r}")
    return value


def seconds(option: str, value: object, *, positive: bool = False, unit: str = "seconds") -> float:
    """A finite number, 0 or more (more than 0 when ``positive``)."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value > 0 if positive else value >= 0)
    ):
        return float(value)
    rule = "a positive" if positive else "0 or a positive"
    raise ConfigurationError(f"{option} must be {rule}, finite number of {unit}; got {value!r}")


def check_sender_options(
    *,
    retry_policy: object,
    default_retries: int,
    concurrency: object,
    max_rate_per_minute: object,
    max_queue: object,
    block_timeout: object,
    feedback_window: object,
    send_margin: object,
) -> SenderOptions:
    """Check every option, naming the first bad one and what it takes."""
    if retry_policy is None:
        retry_policy = RetryPolicy(max_retries=default_retries)
    elif not isinstance(retry_policy, RetryPolicy):
        raise ConfigurationError(
            f"retry_policy must be a RetryPolicy or None; got {type(retry_policy).__name__}"
        )
    rate = None
    if max_rate_per_minute is not None:
        unit = "requests per minute, or None (no limit)"
        rate = seconds("max_rate_per_minute", max_rate_per_minute, positive=True, unit=unit)
    window = seconds("feedback_window", feedback_window, positive=True)
    margin = seconds("send_margin", send_margin)
    if margin >= window:
        raise ConfigurationError(
            f"send_margin ({margin:g} s) must be shorter than feedback_window ({window:g} s)"
        )
    return SenderOptions(
        policy=retry_policy,
        concurrency=_whole("concurrency", concurrency),
        max_rate_per_minute=rate,
        max_queue=_whole("max_queue", max_queue),
        block_timeout=seconds("block_timeout", block_timeout),
        timing=Timing(feedback_window=window, send_margin=margin),
    )
