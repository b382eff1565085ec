"""Per-team request limit: fixed one-minute windows, as Firecrawl's limiter keeps them."""

from __future__ import annotations

import math
from dataclasses import dataclass

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Limited:
    """A refused request: how long until the window resets, and how many were made."""

    wait_seconds: int
    resets_at: float
    consumed: int


def js_round(value: float) -> int:
    """``Math.round``: halves go up (Python's ``round`` goes to even)."""
    return math.floor(value + 0.5)


def wait_seconds(ms_before_next: float) -> int:
    """The server's ``Math.round(msBeforeNext / 1000) || 1``: rounded, never 0."""
    return js_round(ms_before_next / 1000) or 1


class RateLimiter:
    """Counts requests per team per window; not thread-safe (the fake holds its lock)."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, team: str, limit: int, now: float) -> Limited | None:
        """Count one request; a Limited when it is over ``limit`` in the current window."""
        start, count = self._windows.get(team, (now, 0))
        if now >= start + WINDOW_SECONDS:
            start, count = now, 0
        count += 1  # refused requests count too, as in rate-limiter-flexible
        self._windows[team] = (start, count)
        if count <= limit:
            return None
        resets_at = start + WINDOW_SECONDS
        return Limited(
            wait_seconds=wait_seconds((resets_at - now) * 1000),
            resets_at=resets_at,
            consumed=count,
        )
