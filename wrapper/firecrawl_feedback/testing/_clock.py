"""Time for the fake: any ``() -> epoch seconds`` callable, and a manual one for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]


class ManualClock:
    """A clock that moves only when told to: ``clock.advance(121)``."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward (never backward)."""
        if seconds < 0:
            raise ValueError("a clock does not go backward")
        with self._lock:
            self._now += seconds

    def __repr__(self) -> str:
        return f"ManualClock({self._now!r})"
