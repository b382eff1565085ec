"""Batch progress: a tqdm bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol, TextIO


@dataclass
class Counts:
    """What a batch run has done so far (this run only)."""

    sent: int = 0
    succeeded: int = 0
    duplicates: int = 0
    failed: int = 0
    retryable: int = 0
    unknown: int = 0
    skipped: int = 0
    edited: int = 0
    repeated: int = 0
    blank: int = 0
    #: Sent, then given up while waiting for the answer (a second Ctrl-C, a ledger error).
    abandoned: int = 0

    @property
    def finished(self) -> int:
        return self.succeeded + self.duplicates + self.failed + self.retryable + self.unknown

    @property
    def all_failed(self) -> int:
        return self.failed + self.retryable


def per_minute(count: int, elapsed: float) -> float:
    return count * 60.0 / elapsed if elapsed > 0 else 0.0


class Progress(Protocol):
    def update(self, counts: Counts) -> None: ...

    def close(self, counts: Counts) -> None: ...


class NoProgress:
    """Shows nothing (``--progress none``)."""

    def update(self, counts: Counts) -> None:
        pass

    def close(self, counts: Counts) -> None:
        pass


class QuietWhenBroken:
    """Another display, silenced for good when its stream fails (stderr a closed pipe):
    progress is never worth stopping a batch, or the recording of its lines, for."""

    def __init__(self, shown: Progress) -> None:
        self._shown = shown

    def update(self, counts: Counts) -> None:
        try:
            self._shown.update(counts)
        except (OSError, ValueError):  # ValueError: the stream was closed
            self._shown = NoProgress()

    def close(self, counts: Counts) -> None:
        try:
            self._shown.close(counts)
        except (OSError, ValueError):
            self._shown = NoProgress()


class PlainProgress:
    """One line every ``interval`` seconds, for logs and pipes."""

    def __init__(self, stream: TextIO, *, interval: float = 2.0) -> None:
        self._stream = stream
        self._interval = interval
        self._started = time.monotonic()
        self._last = self._started

    def update(self, counts: Counts) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self._emit(counts, now)

    def close(self, counts: Counts) -> None:
        self._emit(counts, time.monotonic())

    def _emit(self, counts: Counts, now: float) -> None:
        rate = per_minute(counts.finished, now - self._started)
        self._stream.write(
            f"progress: {counts.sent} sent, {counts.succeeded} succeeded, "
            f"{counts.duplicates} duplicate{'' if counts.duplicates == 1 else 's'}, "
            f"{counts.all_failed} failed, "
            f"{counts.unknown} unknown, "
            f"{counts.skipped} skipped, {rate:.0f}/min\n"
        )
        self._stream.flush()


class BarProgress:
    """A tqdm bar counting finished lines, with the outcome counts beside it."""

    def __init__(self, stream: TextIO, *, total: int | None) -> None:
        from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415 (batch only)

        self._bar = tqdm(total=total, file=stream, unit="line", dynamic_ncols=True, mininterval=0.2)
        self._shown = 0

    def update(self, counts: Counts) -> None:
        done = counts.finished + counts.skipped + counts.blank + counts.repeated
        if done != self._shown:
            self._bar.update(done - self._shown)
            self._shown = done
            self._bar.set_postfix(
                sent=counts.sent,
                ok=counts.succeeded,
                dup=counts.duplicates,
                failed=counts.all_failed,
                refresh=False,
            )

    def close(self, counts: Counts) -> None:
        self.update(counts)
        self._bar.close()
