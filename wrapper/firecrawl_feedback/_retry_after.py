"""How long the server asks us to wait, in every form it may say it."""

from __future__ import annotations

import email.utils
import re
import time

import httpx

# Firecrawl's rate limiter sends no header; the wait is only in the text:
# "... please retry after 17s, resets at Fri Nov 20 2026 ...".
_TEXT_WAIT = r"(?i)retry after (\d+(?:\.\d+)?)\s*s\b"  # compiled on first use (re's cache)


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
    return float(match.group(1)) if match else None


def _seconds(value: str | None) -> float | None:
    """A number of 0 or more, or None."""
    try:
        number = float(value) if value is not None else -1.0
    except ValueError:
        return None
    return number if number >= 0 else None


def _until(value: str, now: float | None) -> float | None:
    """Seconds until an HTTP date (never negative), or None when it is not one."""
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
