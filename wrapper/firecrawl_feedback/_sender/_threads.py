"""The sync sender's threads: one runs the engine's event loop, a few run sync requests.

All are daemon threads, so an unclosed sender never keeps the interpreter
alive; the sender's exit-time flush (atexit) runs while they still work.
No ``concurrent.futures`` executor: its threads stop taking work before atexit
handlers run, which would defeat the exit-time flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Callable[[], Any], "asyncio.Future[Any]", asyncio.AbstractEventLoop]


class LoopThread:
    """An event loop running forever in its own daemon thread."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_forever()
            # Let what was cut short end quietly (each item already has its outcome).
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        finally:
            self.loop.close()

    def is_current(self) -> bool:
        """True on the loop's own thread (where outcome callbacks run)."""
        return threading.current_thread() is self._thread

    def stop(self, timeout: float) -> None:
        """Stop the loop and wait for its thread, at most ``timeout`` seconds."""
        with contextlib.suppress(RuntimeError):  # already closed
            self.loop.call_soon_threadsafe(self.loop.stop)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)


class Workers:
    """A fixed set of daemon threads running blocking calls for a loop's coroutines."""

    def __init__(self, count: int, name: str) -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self._threads:
            thread.start()

    def run(self, call: Callable[[], T]) -> asyncio.Future[T]:
        """Run ``call`` on a worker thread; await the returned future on the running loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((call, future, loop))
        return future

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            call, future, loop = job
            try:
                value = call()
            except BaseException as exc:
                _post(loop, future, None, exc)
            else:
                _post(loop, future, value, None)

    def stop(self) -> None:
        """Let every thread finish its current call and end (does not wait)."""
        for _ in self._threads:
            self._jobs.put(None)


def _post(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    value: object,
    error: BaseException | None,
) -> None:
    def settle() -> None:
        if future.done():  # the attempt was given up (deadline, close)
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(settle)
