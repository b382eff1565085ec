"""How long the server asks us to wait, in every form it may say it."""

from __future__ import annotations

import email.utils
import re
import time

import httpx

# Firecrawl's rate limiter sends no header; the wait is only in the text:
# "... please retry after 17s, resets at Fri Nov 20 2026 ...".
_TEXT_WAIT = re.compile(r"retry after (\d+(?:\.\d+)?)\s*s\b", re.IGNORECASE)


def server_wait(
    response: httpx.Response, error_text: str | None = None, *, now: float | None = None
) -> float | None:
    """Seconds to wait: ``retry-after-ms``, ``Retry-After`` (seconds or date), or the 429 text."""
    headers = response.headers
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            value = float(millis) / 1000
        except ValueError:
            value = -1.0
        if value >= 0:
            return value
    header = headers.get("retry-after")
    if header is not None:
        parsed = _seconds_or_date(header.strip(), now)
        if parsed is not None:
            return parsed
    if error_text:
        match = _TEXT_WAIT.search(error_text)
        if match:
            return float(match.group(1))
    return None


def _seconds_or_date(value: str, now: float | None) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
