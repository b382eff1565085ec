"""``batch``: send a JSON Lines file of feedback bodies, resumably, with bounded concurrency.

A daemon thread streams the file into a bounded queue (so memory stays flat
and a blocked ``stdin`` never stalls the event loop or process exit);
``concurrency`` workers send through one :class:`AsyncFeedbackClient`, under
an optional rate limit, and append each line's outcome to the ledger.

What a line's outcome means:

* success / duplicate (``alreadySubmitted``): finished, skipped on re-run.
* failed, ``retryable: false``: the line itself is wrong (bad JSON, invalid
  body, 400, 404, 409, 413...); re-sending it cannot help, so a re-run skips
  it. Edit the line to have it sent again.
* failed, ``retryable: true``: 429, 5xx, connection or timeout errors that
  outlasted the client's retries; a re-run sends the line again.
* 401 and 403 stop the whole batch (every line would fail the same way);
  that line stays unrecorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, cast

from .. import _defaults
from .._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    FeedbackError,
    PermissionDeniedError,
    ValidationError,
)
from . import _ledger
from ._exitcodes import ExitCode, exit_code_for
from ._ledger import LedgerState, LedgerWriter, line_hash
from ._output import Console, describe_error
from ._progress import BarProgress, Counts, NoProgress, PlainProgress, Progress, per_minute

if TYPE_CHECKING:
    from aiolimiter import AsyncLimiter

    from .._client import AsyncFeedbackClient
    from .._result import FeedbackResult

_BOM: Final = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BatchOptions:
    """What the ``batch`` command was asked to do."""

    source: str  # a path, or "-" for standard input
    ledger: Path
    concurrency: int = _defaults.BATCH_CONCURRENCY
    max_rate_per_minute: float = _defaults.BATCH_MAX_RATE_PER_MINUTE  # 0: no limiter
    progress: str = "auto"  # auto, bar, plain or none
    progress_interval: float = 2.0


@dataclass
class BatchSummary:
    """How a run ended."""

    counts: Counts
    elapsed: float
    ledger: Path
    interrupted: bool = False
    aborted_by: dict[str, Any] | None = None
    abort_code: ExitCode | None = None
    unreadable_ledger_lines: int = 0

    @property
    def exit_code(self) -> ExitCode:
        if self.abort_code is not None:
            return self.abort_code
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if self.counts.failed:
            return ExitCode.BATCH_FAILED
        if self.counts.retryable:
            return ExitCode.BATCH_RETRYABLE
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "sent": c.sent,
            "succeeded": c.succeeded,
            "duplicates": c.duplicates,
            "failed": c.failed,
            "retryable": c.retryable,
            "skipped": c.skipped,
            "edited": c.edited,
            "blank": c.blank,
            "elapsed": round(self.elapsed, 3),
            "perMinute": round(per_minute(c.finished, self.elapsed), 1),
            "ledger": str(self.ledger),
            "interrupted": self.interrupted,
            "abortedBy": self.aborted_by,
            "exitCode": int(self.exit_code),
        }

    def render(self) -> str:
        c = self.counts
        rate = per_minute(c.finished, self.elapsed)
        lines = [
            "batch summary:",
            f"  sent          {c.sent}",
            f"  succeeded     {c.succeeded}",
            f"  duplicates    {c.duplicates} (already recorded by the server)",
            f"  failed        {c.failed} permanently, {c.retryable} transiently "
            "(a re-run retries transient ones)",
            f"  skipped       {c.skipped} (finished in an earlier run), {c.blank} blank",
            f"  elapsed       {self.elapsed:.1f} s ({rate:.0f} lines/min)",
            f"  ledger        {self.ledger}",
        ]
        if c.edited:
            lines.append(f"  edited        {c.edited} line(s) changed since recorded; sent again")
        if self.unreadable_ledger_lines:
            lines.append(
                f"  note          {self.unreadable_ledger_lines} unreadable ledger line(s) "
                "ignored (a record torn by an earlier crash)"
            )
        if self.interrupted:
            lines.append("  interrupted   run the same command again to resume")
        if self.aborted_by is not None:
            lines.append(
                f"  stopped       {self.aborted_by['class']} "
                f"(HTTP {self.aborted_by['status']}): every line would fail the same way"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class _Line:
    number: int
    raw: bytes
    digest: str


@dataclass(frozen=True)
class _ReadFailed:
    error: BaseException


_END: Final = object()  # end of input, or "stop taking lines"


class _Abort(Exception):
    """A failure that would hit every line (401, 403): stop the batch."""

    def __init__(self, error: FeedbackError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Run:
    options: BatchOptions
    client: AsyncFeedbackClient
    console: Console
    state: LedgerState
    writer: LedgerWriter
    progress: Progress
    limiter: AsyncLimiter | None
    counts: Counts = field(default_factory=Counts)
    stopping: bool = False
    interrupted: bool = False
    abort: _Abort | None = None
    stop_reading: threading.Event = field(default_factory=threading.Event)
    queue: asyncio.Queue[object] = field(init=False)
    #: (record, counter name) of finished lines, or _END, on their way to the ledger
    finished: asyncio.Queue[Any] = field(init=False)
    workers: list[asyncio.Task[None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.options.concurrency * 2)
        self.finished = asyncio.Queue(maxsize=self.options.concurrency * 4)

    # -- reading (in a daemon thread) ---------------------------------------

    def read(self, stream: IO[bytes], loop: asyncio.AbstractEventLoop) -> None:
        try:
            for number, raw in enumerate(stream, start=1):
                if self.stop_reading.is_set():
                    return
                self._consider(number, raw.removeprefix(_BOM) if number == 1 else raw, loop)
            self._hand_over(_END, loop)
        except _Stopped:
            return
        except Exception as exc:  # an I/O error reading the input
            with contextlib.suppress(_Stopped):
                self._hand_over(_ReadFailed(exc), loop)

    def _consider(self, number: int, raw: bytes, loop: asyncio.AbstractEventLoop) -> None:
        if not raw.strip():
            self.counts.blank += 1
            return
        digest = line_hash(raw)
        if self.state.is_finished(number, digest):
            self.counts.skipped += 1
            return
        if self.state.was_edited(number, digest):
            self.counts.edited += 1
        self._hand_over(_Line(number, raw, digest), loop)

    def _hand_over(self, item: object, loop: asyncio.AbstractEventLoop) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self.queue.put(item), loop).result()
        except BaseException as exc:  # the loop stopped or closed while we waited
            raise _Stopped from exc

    # -- sending ------------------------------------------------------------

    async def work(self) -> None:
        while True:
            item = await self.queue.get()
            if item is _END or self.stopping:
                with contextlib.suppress(asyncio.QueueFull):
                    self.queue.put_nowait(_END)  # let the next worker see it too
                return
            try:
                if isinstance(item, _ReadFailed):
                    raise item.error
                record, kind = await self.process(cast(_Line, item))
            except _Abort as abort:
                self.abort = self.abort or abort
                self.stop()
                return
            except BaseException:
                self.stop()  # a bug or an unreadable input: stop cleanly, ledger intact
                raise
            await self.finished.put((record, kind))

    async def record(self) -> None:
        """Append finished lines to the ledger; those that finish together share one fsync."""
        while True:
            batch = [await self.finished.get()]
            while not self.finished.empty():
                batch.append(self.finished.get_nowait())
            done = [item for item in batch if item is not _END]
            if done:
                # fsync in a thread: the loop keeps sending meanwhile.
                await asyncio.to_thread(self.writer.append_many, [r for r, _ in done])
                for _, kind in done:
                    setattr(self.counts, kind, getattr(self.counts, kind) + 1)
                self.progress.update(self.counts)
            if len(done) < len(batch):
                return

    async def process(self, line: _Line) -> tuple[dict[str, Any], str]:
        key: dict[str, Any] = {"line": line.number, "sha": line.digest}
        try:
            body = json.loads(line.raw)
        except ValueError as exc:
            return _invalid_line(key, f"not valid JSON: {exc}"), "failed"
        if not isinstance(body, dict):
            return _invalid_line(key, "a line must be a JSON object"), "failed"
        key |= _identity(body)
        if self.limiter is not None:
            await self.limiter.acquire()
        self.counts.sent += 1
        try:
            result = await self.client.submit_body(body)
        except (AuthenticationError, PermissionDeniedError) as exc:
            raise _Abort(exc) from exc
        except ValidationError as exc:
            self.counts.sent -= 1  # found by the client: nothing went out
            return _failure_record(key, exc, retryable=False), "failed"
        except FeedbackError as exc:
            retryable = _is_transient(exc)
            record = _failure_record(key, exc, retryable=retryable)
            return record, "retryable" if retryable else "failed"
        return _success_record(key, result)

    def stop(self) -> None:
        """Take no new lines; lines in flight finish and are recorded."""
        self.stopping = True
        self.stop_reading.set()
        for _ in self.workers:
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.put_nowait(_END)

    def on_signal(self) -> None:
        if self.stopping:  # a second Ctrl-C: abandon lines in flight (unrecorded, so resent)
            for worker in self.workers:
                worker.cancel()
            return
        self.interrupted = True
        self.console.error(
            "\ninterrupted: finishing lines in flight (Ctrl-C again to abandon them)"
        )
        self.stop()


class _Stopped(Exception):
    """The reader thread was told to stop."""


def _identity(body: dict[str, Any]) -> dict[str, Any]:
    """The job a line is about, for people reading the ledger."""
    return {k: body[k] for k in ("endpoint", "jobId") if isinstance(body.get(k), str)}


def _invalid_line(key: dict[str, Any], message: str) -> dict[str, Any]:
    error = {"class": "InvalidLine", "status": None, "code": None, "message": message}
    return {**key, "outcome": _ledger.FAILED, "retryable": False, "error": error}


def _failure_record(
    key: dict[str, Any], error: FeedbackError, *, retryable: bool
) -> dict[str, Any]:
    return {
        **key,
        "outcome": _ledger.FAILED,
        "retryable": retryable,
        "error": describe_error(error),
    }


def _success_record(key: dict[str, Any], result: FeedbackResult) -> tuple[dict[str, Any], str]:
    outcome = _ledger.DUPLICATE if result.already_submitted else _ledger.SUCCESS
    record = {
        **key,
        "outcome": outcome,
        "feedbackId": result.feedback_id,
        "creditsRefunded": result.credits_refunded,
        "attempts": result.attempts,
    }
    return record, "duplicates" if result.already_submitted else "succeeded"


def _is_transient(error: FeedbackError) -> bool:
    """Worth sending again later: rate limits, server trouble, no answer at all."""
    if isinstance(error, (APIConnectionError, APIResponseValidationError)):
        return True
    if isinstance(error, APIStatusError):
        return error.status_code in (408, 429) or error.status_code >= 500
    return False


def _choose_progress(options: BatchOptions, console: Console, total: int | None) -> Progress:
    mode = options.progress
    if mode == "auto":
        mode = "bar" if console.err.isatty() else "plain"
    if mode == "bar":
        return BarProgress(console.err, total=total)
    if mode == "plain":
        return PlainProgress(console.err, interval=options.progress_interval)
    return NoProgress()


def _count_lines(path: Path) -> int | None:
    """Lines in a regular file, for the bar's total; streamed, so memory stays flat."""
    if not path.is_file():
        return None
    count, last = 0, b"\n"
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def open_source(source: str) -> IO[bytes]:
    """The input stream; raises OSError when the file cannot be read."""
    if source == "-":
        return sys.stdin.buffer
    return Path(source).open("rb")


async def run_batch(
    options: BatchOptions, client: AsyncFeedbackClient, console: Console
) -> BatchSummary:
    """Send every unfinished line of ``options.source``; the ledger records each outcome.

    Raises OSError if the input cannot be opened and LedgerInUseError if
    another run holds the ledger.
    """
    started = time.monotonic()
    state = _ledger.load(options.ledger)
    stream = open_source(options.source)
    try:
        with LedgerWriter(options.ledger, console.redact) as writer:
            total = None if options.source == "-" else _count_lines(Path(options.source))
            run = _Run(
                options=options,
                client=client,
                console=console,
                state=state,
                writer=writer,
                progress=_choose_progress(options, console, total),
                limiter=_limiter(options.max_rate_per_minute),
            )
            await _drive(run, stream)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return BatchSummary(
        counts=run.counts,
        elapsed=time.monotonic() - started,
        ledger=options.ledger,
        interrupted=run.interrupted,
        aborted_by=describe_error(run.abort.error) if run.abort else None,
        abort_code=exit_code_for(run.abort.error) if run.abort else None,
        unreadable_ledger_lines=state.unreadable,
    )


async def _drive(run: _Run, stream: IO[bytes]) -> None:
    loop = asyncio.get_running_loop()
    run.workers = [asyncio.create_task(run.work()) for _ in range(run.options.concurrency)]
    recorder = asyncio.create_task(run.record())
    reader = threading.Thread(
        target=run.read, args=(stream, loop), name="batch-reader", daemon=True
    )
    reader.start()
    with _signals(loop, run.on_signal):
        try:
            results = await asyncio.gather(*run.workers, return_exceptions=True)
        finally:
            run.stop_reading.set()
            await run.finished.put(_END)  # every worker is done: flush what they finished
            await recorder
            run.progress.close(run.counts)
    for outcome in results:
        if isinstance(outcome, BaseException) and not isinstance(outcome, asyncio.CancelledError):
            raise outcome


def _limiter(per_minute_rate: float) -> AsyncLimiter | None:
    if per_minute_rate <= 0:
        return None
    from aiolimiter import AsyncLimiter  # noqa: PLC0415 (only the batch command needs it)

    # A bucket of a tenth of the minute's budget, refilled continuously, so
    # a run never starts with a burst of a whole minute's worth of requests.
    bucket = max(1.0, per_minute_rate / 10)
    return AsyncLimiter(bucket, time_period=bucket * 60.0 / per_minute_rate)


@contextlib.contextmanager
def _signals(loop: asyncio.AbstractEventLoop, handler: Callable[[], None]) -> Iterator[None]:
    """SIGINT and SIGTERM call ``handler`` while the batch runs (main thread, POSIX only)."""
    installed: list[signal.Signals] = []
    if threading.current_thread() is threading.main_thread() and sys.platform != "win32":
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, handler)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def run_batch_command(
    options: BatchOptions, client: AsyncFeedbackClient, console: Console, *, as_json: bool
) -> ExitCode:
    """The ``batch`` command: run, print the summary, return the exit code."""
    summary = await run_batch_reporting(options, client, console)
    if summary is None:
        return ExitCode.USAGE
    if as_json:
        console.json(summary.to_dict())
    else:
        console.error(summary.render())
    return summary.exit_code


async def run_batch_reporting(
    options: BatchOptions, client: AsyncFeedbackClient, console: Console
) -> BatchSummary | None:
    """Run a batch with the client, or explain on stderr why it could not start (None)."""
    try:
        async with client:
            return await run_batch(options, client, console)
    except _ledger.LedgerInUseError as exc:
        console.error(f"error: {options.ledger}: {exc}")
    except OSError as exc:
        console.error(f"error: {exc.filename or options.source}: {exc.strerror or exc}")
    return None
