"""Argument types for numeric options: each refuses what would crash, spin or hang later.

argparse turns an ``ArgumentTypeError`` into a one-line usage error (exit 2)
naming the option, before anything is sent.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Final

from .._defaults import MAX_CONCURRENCY

MAX_PORT: Final = 65535
#: Upper bounds where a larger value is a typo, not a wish: each would only exhaust memory,
#: sockets or patience (and MAX_CONCURRENCY, which the senders share).
MAX_RETRIES: Final = 100
MAX_SERVE_JOBS: Final = 10_000
MAX_TIMEOUT: Final = 24 * 3600.0
#: The slowest rate accepted (one request an hour); 0 switches the limit off instead.
MIN_RATE_PER_MINUTE: Final = 1 / 60
MAX_RATE_PER_MINUTE: Final = 1e9
_RATE_UNITS: Final = {"": 1.0, "min": 1.0, "m": 1.0, "s": 60.0, "sec": 60.0}


def int_between(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` (inclusive)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}; got {value}")
        return value

    parse.__name__ = "whole number"  # argparse names the type in "invalid ... value"
    return parse


port = int_between(0, MAX_PORT)
concurrency = int_between(1, MAX_CONCURRENCY)
retries = int_between(0, MAX_RETRIES)
serve_jobs = int_between(1, MAX_SERVE_JOBS)


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number; got {text!r}")
    return value


def timeout_seconds(text: str) -> float:
    """Seconds above 0 and at most a day."""
    value = _finite(text)
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most {MAX_TIMEOUT:.0f} s")
    return value


def rate_per_minute(text: str) -> float:
    """``1000/min``, ``20/s`` or a bare number of requests per minute; 0 means no limit."""
    number, _, unit = text.strip().partition("/")
    if unit not in _RATE_UNITS:
        raise argparse.ArgumentTypeError(f"unknown unit {unit!r}: use N/min or N/s")
    try:
        value = _finite(number) * _RATE_UNITS[unit]
    except argparse.ArgumentTypeError as exc:
        raise argparse.ArgumentTypeError(f"not a finite rate: {text!r}") from exc
    if value == 0:
        return 0.0
    if not MIN_RATE_PER_MINUTE <= value <= MAX_RATE_PER_MINUTE:
        raise argparse.ArgumentTypeError(
            f"must be 0 (no limit) or from 1/h to {MAX_RATE_PER_MINUTE:.0e}/min; got {text!r}"
        )
    return value


def not_empty(text: str) -> str:
    """A value given explicitly must say something: ``--base-url "$UNSET"`` is a mistake,
    not a wish for the environment's or the built-in default."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty (leave the option out for the default)")
    return text
