"""Signal handlers for the time of a block: the command line's own (the library sets none)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any


@contextlib.contextmanager
def handling(
    sig: signal.Signals, handler: Callable[[int, FrameType | None], Any] | signal.Handlers
) -> Iterator[None]:
    """``handler`` answers ``sig`` while the block runs, then the previous one again.

    Only the main thread may set a handler: elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(sig, handler)
    try:
        yield
    finally:
        # None: a handler set outside Python, which leaves the default.
        signal.signal(sig, signal.SIG_DFL if previous is None else previous)
