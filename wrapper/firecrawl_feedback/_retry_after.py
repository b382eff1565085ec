"""How long the server asks us to wait, in every form it may say it."""

from __future__ import annotations

import email.utils
import math
import re
import time

import httpx

# Firecrawl's rate limiter sends no header; the wait is only in the text:
# "... please retry after 17s, resets at Fri Nov 20 2026 ...".
_DECIMAL = r"[0-9]+(?:\.[0-9]+)?"  # ASCII digits only: not whatever float() reads
_TEXT_WAIT = rf"(?i)retry after ({_DECIMAL})\s*s\b"  # compiled on first use (re's cache)
_NUMBER = rf"\s*{_DECIMAL}\s*"


def server_wait(
    response: httpx.Response, error_text: str | None = None, *, now: float | None = None
) -> float | None:
    """Seconds to wait: ``retry-after-ms``, ``Retry-After`` (seconds or date), or the 429 text."""
    millis = _seconds(response.headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000
    header = response.headers.get("retry-after")
    seconds = None if header is None else _seconds(header)
    if header is not None and seconds is None:
        seconds = _until(header, now)
    if seconds is not None:
        return seconds
    match = re.search(_TEXT_WAIT, error_text) if error_text else None
    return _seconds(match.group(1)) if match else None


def _seconds(value: str | None) -> float | None:
    """A plain, finite number of 0 or more (RFC 9110's delay-seconds, decimals allowed), or None.

    Not whatever float() takes: "inf", "1e400", "1_0" or non-ASCII digits are no wait
    a server means (an infinite one paused a sender until every item's deadline).
    """
    if value is None or not re.fullmatch(_NUMBER, value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _until(value: str, now: float | None) -> float | None:
    """Seconds until an HTTP date (never negative), or None when it is not one."""
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):  # Overflow: a year like 10**20
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
