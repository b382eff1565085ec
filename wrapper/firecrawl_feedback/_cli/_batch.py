"""``batch``: send a JSON Lines file of feedback bodies, resumably, with bounded concurrency.

A daemon thread streams the file into a bounded queue (so memory stays flat
and a blocked ``stdin`` never stalls the event loop or process exit);
``concurrency`` workers send through one :class:`AsyncFeedbackClient`, under
an optional rate limit, and append each line's outcome to the ledger (see
``_ledger`` for keys and records).

What a line's outcome means:

* success / duplicate (``alreadySubmitted``): finished, skipped on re-run.
* failed, ``retryable: false``: the line itself is wrong (bad JSON, invalid
  body, 400, 404, 409 on a job never sent before...); a re-run skips it.
  Edit the line to have it sent again.
* failed, ``retryable: true``: 429, 5xx, connection or timeout errors that
  outlasted the client's retries and that prove nothing reached storage.
* unknown: the server may hold the feedback (``maybe_stored``, or a 409
  ``FEEDBACK_WINDOW_EXPIRED`` for a job attempted before: the server checks
  the window before duplicates). Never called failed; a re-run asks again.
* 401 and 403 stop the whole batch (every line would fail the same way), and so do
  a redirect and a 404 without a code (the base URL is not the API).
* A later line for a job an earlier line of the same file already names is
  a repeat: counted, not sent (the first line for a job is the one that counts).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple, cast

from .. import _defaults
from .._errors import (
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    FeedbackError,
    PermissionDeniedError,
    ValidationError,
)
from .._failures import is_transient, reached_server, rules_out_storage
from .._limits import MAX_BODY_BYTES
from . import _ledger
from ._exitcodes import ExitCode, exit_code_for
from ._handlers import handling
from ._ledger import LedgerState, LedgerWriteError, LedgerWriter, line_hash, record_key
from ._output import Console, describe_error, usage_error
from ._progress import (
    BarProgress,
    Counts,
    NoProgress,
    PlainProgress,
    Progress,
    QuietWhenBroken,
)
from ._summary import BatchSummary, Totals
from ._tempdb import TemporaryTable

if TYPE_CHECKING:
    from aiolimiter import AsyncLimiter

    from .._client import AsyncFeedbackClient
    from .._result import FeedbackResult

_BOM: Final = b"\xef\xbb\xbf"
#: The longest line read: six times the server's body limit (a \u escape for every byte
#: sent), so that no line the server could take is refused, and memory stays bounded
#: (a file without line breaks, /dev/zero, is not read whole).
_MAX_LINE: Final = 6 * MAX_BODY_BYTES


@dataclass(frozen=True)
class BatchOptions:
    """What the ``batch`` command was asked to do."""

    source: str  # a path, or "-" for standard input
    ledger: Path
    concurrency: int = _defaults.BATCH_CONCURRENCY
    max_rate_per_minute: float = _defaults.BATCH_MAX_RATE_PER_MINUTE  # 0: no limiter
    progress: str = "auto"  # auto, bar, plain or none
    progress_interval: float = 2.0


@dataclass(frozen=True)
class _Line:
    number: int
    digest: str
    key: str
    body: Any  # the parsed JSON, or _UNPARSED with the reason in ``problem``
    problem: str | None
    #: The key's entry in the ledger as the run found it (the state does not change
    #: during a run): read once, by the reader.
    earlier: _ledger.Entry | None


@dataclass(frozen=True)
class _ReadFailed:
    error: BaseException


_END: Final = object()  # end of input, or "stop taking lines"
_UNPARSED: Final = object()


class _Overlong(NamedTuple):
    """A line over _MAX_LINE: its size, and the digest of its start (its ledger key)."""

    size: int
    digest: str


class InputEncodingError(Exception):
    """The input is not UTF-8 (UTF-16, say, as PowerShell writes): no line can be read."""


class _Unsent(Exception):
    """The batch stopped before the line was sent: it stays unrecorded, and a resume sends it."""


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
    #: Lines skipped as finished earlier, by their records (the reader thread's own).
    earlier: Totals = field(default_factory=Totals)
    #: Lines finished in this run (the recorder's own).
    now: Totals = field(default_factory=Totals)
    #: The keys read so far (the reader thread's own): seen again is a repeat.
    seen: TemporaryTable = field(default_factory=TemporaryTable)
    stopping: bool = False
    interrupted: bool = False
    terminated: bool = False
    abort: _Abort | None = None
    ledger_error: LedgerWriteError | None = None
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
        """Hand every line over; then close the input (this thread owns it once started)."""
        try:
            for number, raw in enumerate(_lines(stream), start=1):
                if self.stop_reading.is_set():
                    return
                self._consider(number, _first_line(raw) if number == 1 else raw, loop)
            self._hand_over(_END, loop)
        except _Stopped:
            return
        except Exception as exc:  # an I/O error reading the input
            if self.stop_reading.is_set():
                return  # the batch stopped meanwhile: not a read error
            with contextlib.suppress(_Stopped):
                self._hand_over(_ReadFailed(exc), loop)
        finally:
            # Closed here, not by the batch: a close from another thread would wait for a
            # read that may never end (a pipe whose writer stays silent).
            _close_unless_stdin(stream)

    def _consider(
        self, number: int, raw: bytes | _Overlong, loop: asyncio.AbstractEventLoop
    ) -> None:
        problem: str | None
        if isinstance(raw, _Overlong):
            digest, body = raw.digest, _UNPARSED
            problem = f"the line is {raw.size} bytes, over the {_MAX_LINE} a body can take"
        elif not raw.strip():
            self.counts.blank += 1
            return
        else:
            digest = line_hash(raw)
            body, problem = _parse_line(raw)
        key = record_key(body, digest)
        if not self.seen.add(key):
            self.counts.repeated += 1
            return
        entry = self.state.get(key)
        if entry is not None and entry.finished_with(digest):
            self.counts.skipped += 1
            self.earlier.add(entry, number)
            return
        if entry is not None and entry.edited_from(digest):
            self.counts.edited += 1
        self._hand_over(_Line(number, digest, key, body, problem, entry), loop)

    def _hand_over(self, item: object, loop: asyncio.AbstractEventLoop) -> None:
        put = self.queue.put(item)
        try:
            future = asyncio.run_coroutine_threadsafe(put, loop)
        except BaseException as exc:  # the loop is closed: the put never runs
            put.close()  # so it is not reported as a coroutine never awaited
            raise _Stopped from exc
        try:
            future.result()
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
                line = cast(_Line, item)
                record, kind = await self.process(line)
            except _Unsent:
                return
            except _Abort as abort:
                self.abort = self.abort or abort
                self.stop()
                return
            except LedgerWriteError as error:
                self.fail_ledger(error)
                return
            except BaseException:
                self.stop()  # a bug or an unreadable input: stop cleanly, ledger intact
                raise
            await self.finished.put((record, kind, line.earlier))

    async def record(self) -> None:
        """Append finished lines to the ledger; those that finish together share one fsync."""
        try:
            await self._record()
        except BaseException:
            # A bug: stop, and never leave a worker waiting on a queue nobody drains.
            self.stop()
            for worker in self.workers:
                worker.cancel()
            raise

    async def _record(self) -> None:
        while True:
            batch = [await self.finished.get()]
            while not self.finished.empty():
                batch.append(self.finished.get_nowait())
            done = [item for item in batch if item is not _END]
            if done and self.ledger_error is None:
                try:
                    # fsync in a thread: the loop keeps sending meanwhile.
                    records = [record for record, _, _ in done]
                    await asyncio.to_thread(self.writer.append_many, records)
                except LedgerWriteError as error:
                    self.fail_ledger(error)  # and keep draining, so no worker ever blocks
                else:
                    self._count(done)
            if len(done) < len(batch):
                return

    def _count(self, done: list[tuple[dict[str, Any], str, _ledger.Entry | None]]) -> None:
        for record, kind, earlier in done:
            setattr(self.counts, kind, getattr(self.counts, kind) + 1)
            # Not stored: each key comes once per run, and memory stays flat.
            self.now.add(_ledger.entry_after(record, earlier), record["line"])
        self.progress.update(self.counts)

    def fail_ledger(self, error: LedgerWriteError) -> None:
        """The ledger cannot be written: stop now; lines in flight are abandoned (resent)."""
        if self.ledger_error is None:
            self.ledger_error = error
            self.console.error(f"\nerror: {error}")
        self.stop()
        for worker in self.workers:
            if worker is not asyncio.current_task():
                worker.cancel()

    async def process(self, line: _Line) -> tuple[dict[str, Any], str]:
        return _after_earlier(*await self._process(line), line)

    async def _process(self, line: _Line) -> tuple[dict[str, Any], str]:
        key: dict[str, Any] = {"key": line.key, "line": line.number, "sha": line.digest}
        if line.problem is not None:
            return _invalid_line(key, line.problem), "failed"
        body = cast(dict[str, Any], line.body)
        key |= _identity(body)
        earlier = line.earlier
        if self.limiter is not None:
            await self.limiter.acquire()
            if self.stopping:  # stopped while it waited: no new request; the line stays pending
                raise _Unsent
        # Before sending: after a kill -9 this says the server may hold it.
        self.writer.append_many([{**key, "outcome": _ledger.ATTEMPT}], sync=False)
        self.counts.sent += 1
        try:
            result = await self.client.submit_body(body)
        except asyncio.CancelledError:
            self.counts.abandoned += 1  # its attempt record makes a resume send it again
            raise
        except (AuthenticationError, PermissionDeniedError, ConfigurationError) as exc:
            raise _Abort(exc) from exc
        except ValidationError as exc:
            self.counts.sent -= 1  # found by the client: nothing went out
            return _failure_record(key, exc, outcome=_ledger.FAILED, retryable=False), "failed"
        except FeedbackError as exc:
            if _not_the_api(exc):
                raise _Abort(exc) from exc
            return _classify(key, exc, earlier)
        except RecursionError:  # nested too deeply for the client to walk
            self.counts.sent -= 1
            return _invalid_line(key, _TOO_DEEP), "failed"
        return _success_record(key, result)

    def stop(self) -> None:
        """Take no new lines; lines in flight finish and are recorded."""
        self.stopping = True
        self.stop_reading.set()
        for _ in self.workers:
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.put_nowait(_END)

    def on_signal(self, sig: signal.Signals) -> None:
        if self.stopping:  # a second Ctrl-C: abandon lines in flight (unrecorded, so resent)
            for worker in self.workers:
                worker.cancel()
            return
        self.interrupted = True
        self.terminated = sig == signal.SIGTERM
        what = "terminated" if self.terminated else "interrupted"
        self.console.error(f"\n{what}: finishing lines in flight (Ctrl-C again to abandon them)")
        self.stop()


class _Stopped(Exception):
    """The reader thread was told to stop."""


_CHUNK: Final = 1 << 16


def _lines(stream: IO[bytes]) -> Iterator[bytes | _Overlong]:
    """The stream's lines, endings kept, read from its descriptor without a buffered reader.

    A buffered reader's lock is held for as long as a read blocks (a pipe whose writer
    stays silent): closing it would wait for good, and so would the interpreter's
    exit (a fatal error for ``sys.stdin``). A stream without a descriptor is iterated.
    """
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        yield from stream
        return
    partial: list[bytes] = []
    size = 0  # of the line being read, whether kept or not
    while chunk := os.read(fd, _CHUNK):
        start = 0
        while start < len(chunk):
            end = chunk.find(b"\n", start)
            stop = len(chunk) if end < 0 else end + 1
            if size <= _MAX_LINE:  # of an over-long line, only its start is kept
                partial.append(chunk[start:stop])
            size, start = size + stop - start, stop
            if end >= 0:
                yield _joined(partial, size)
                partial.clear()
                size = 0
    if partial:
        yield _joined(partial, size)


def _joined(parts: list[bytes], size: int) -> bytes | _Overlong:
    line = b"".join(parts)
    return line if size <= _MAX_LINE else _Overlong(size, line_hash(line[:_MAX_LINE]))


def _first_line(raw: bytes | _Overlong) -> bytes | _Overlong:
    """The first line without its UTF-8 byte order mark; raises when the input is no UTF-8."""
    if isinstance(raw, _Overlong):
        return raw
    encoding = json.detect_encoding(raw)  # a byte order mark, or the NULs of UTF-16 or 32
    if not encoding.startswith("utf-8"):
        name = encoding.upper().replace("-LE", "LE").replace("-BE", "BE")  # as iconv spells it
        raise InputEncodingError(
            f"the input is {name} text, and JSON Lines is UTF-8: convert it first "
            f"(iconv -f {name} -t UTF-8)"
        )
    return raw.removeprefix(_BOM)


def _close_unless_stdin(stream: IO[bytes]) -> None:
    if stream is not _stdin():
        stream.close()


_TOO_DEEP: Final = "nested too deeply to read"


def _parse_line(raw: bytes) -> tuple[Any, str | None]:
    """The line's JSON object, or why it is not one (a problem of this line only)."""
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as exc:
        # Not exc's own text: it counts lines within the line ("line 2" for the newline).
        return _UNPARSED, f"not valid JSON: {exc.msg} (character {exc.pos + 1} of the line)"
    except ValueError as exc:  # not UTF-8 text
        return _UNPARSED, f"not valid JSON: {exc}"
    except RecursionError:
        return _UNPARSED, _TOO_DEEP
    if not isinstance(body, dict):
        return _UNPARSED, "a line must be a JSON object"
    return body, None


def _identity(body: dict[str, Any]) -> dict[str, Any]:
    """The job a line is about, for people reading the ledger."""
    return {k: body[k] for k in ("endpoint", "jobId") if isinstance(body.get(k), str)}


def _invalid_line(key: dict[str, Any], message: str) -> dict[str, Any]:
    error = {"class": "InvalidLine", "status": None, "code": None, "message": message}
    return {**key, "outcome": _ledger.FAILED, "retryable": False, "error": error}


def _failure_record(
    key: dict[str, Any], error: FeedbackError, *, outcome: str, retryable: bool
) -> dict[str, Any]:
    described = describe_error(error)
    listed = described.get("violations", ())
    if len(listed) > _ledger.RECORDED_VIOLATIONS:
        described["violations"] = listed[: _ledger.RECORDED_VIOLATIONS]
        described["violationsNotListed"] = len(listed) - _ledger.RECORDED_VIOLATIONS
    return {**key, "outcome": outcome, "retryable": retryable, "error": described}


def _not_the_api(error: FeedbackError) -> bool:
    """A redirect, or a 404 without a ``feedbackErrorCode`` (the server's 404 for a job has
    one; a missing route has none): the base URL is wrong, for every line alike."""
    if not isinstance(error, APIStatusError):
        return False
    return error.response.is_redirect or (error.status_code == 404 and error.code is None)


def _classify(
    key: dict[str, Any], error: FeedbackError, earlier: _ledger.Entry | None
) -> tuple[dict[str, Any], str]:
    """A failed send: failed (permanently or not), or unknown when the server may hold it."""
    if not rules_out_storage(error):
        may_hold = (
            getattr(error, "maybe_stored", False)
            or reached_server(error)
            or (earlier is not None and earlier.maybe_held)
        )
        if may_hold:
            return _failure_record(key, error, outcome=_ledger.UNKNOWN, retryable=True), "unknown"
    retryable = is_transient(error)
    record = _failure_record(key, error, outcome=_ledger.FAILED, retryable=retryable)
    return record, "retryable" if retryable else "failed"


def _after_earlier(record: dict[str, Any], kind: str, line: _Line) -> tuple[dict[str, Any], str]:
    """A failure of a line edited since an earlier run, as what the server holds of the job.

    The failure is of the new content; the server keeps one feedback per job, so what an
    earlier content stored (or may have) stays: a duplicate (or unknown), never failed.
    """
    earlier = line.earlier
    if record["outcome"] != _ledger.FAILED or earlier is None:
        return record, kind
    if earlier.held:
        return {**record, "outcome": _ledger.DUPLICATE}, "duplicates"
    if earlier.maybe_held and earlier.sha != int(line.digest, 16):
        return {**record, "outcome": _ledger.UNKNOWN, "retryable": True}, "unknown"
    return record, kind


def _success_record(key: dict[str, Any], result: FeedbackResult) -> tuple[dict[str, Any], str]:
    outcome = _ledger.DUPLICATE if result.already_submitted else _ledger.SUCCESS
    record = {
        **key,
        "outcome": outcome,
        "feedbackId": result.feedback_id,
        "creditsRefunded": result.credits_refunded,
        "dailyCapReached": result.daily_cap_reached,
        "attempts": result.attempts,
    }
    return record, "duplicates" if result.already_submitted else "succeeded"


def _choose_progress(options: BatchOptions, console: Console, total: int | None) -> Progress:
    mode = options.progress
    if mode == "auto":
        mode = "bar" if console.err.isatty() else "plain"
    if mode == "bar":
        return QuietWhenBroken(BarProgress(console.err, total=total))
    if mode == "plain":
        return QuietWhenBroken(PlainProgress(console.err, interval=options.progress_interval))
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


def _stdin() -> IO[bytes] | None:
    """Standard input's byte stream; None when the process has none (started with it closed)."""
    return None if sys.stdin is None else sys.stdin.buffer


def open_source(source: str) -> IO[bytes]:
    """The input stream; raises OSError when the file cannot be read."""
    if source == "-":
        stdin = _stdin()
        if stdin is None:
            raise OSError(errno.EBADF, "standard input is closed", "-")
        return stdin
    return Path(source).open("rb")


async def run_batch(
    options: BatchOptions, client: AsyncFeedbackClient, console: Console
) -> BatchSummary:
    """Send every unfinished line of ``options.source``; the ledger records each outcome.

    Order matters: lock the ledger, then read it, then open the input (which
    may take a while, a named pipe say), so that no other run can append
    to the ledger between our reading it and our sending.

    Raises OSError if the input cannot be opened, LedgerInUseError if another
    run holds the ledger, NotALedgerError if the ledger is something else
    (the input file, say).
    """
    started = time.monotonic()
    _refuse_input_as_ledger(options)  # before the ledger is opened, so nothing is written
    with LedgerWriter(options.ledger, console.redact) as writer:
        # Until the run's own handlers: reading a long ledger or counting the input's lines
        # takes seconds, opening a named pipe waits for its writer.
        with _interruptible():
            state = _ledger.load(options.ledger)
            writer.seal_torn_tail()
            stream = open_source(options.source)
            try:
                _refuse_same_file(stream, writer, options)
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
            except BaseException:
                _close_unless_stdin(stream)
                raise
        await _drive(run, stream)  # its reader thread closes the stream
    run.earlier.merge(run.now)
    return BatchSummary(
        counts=run.counts,
        totals=run.earlier,
        elapsed=time.monotonic() - started,
        ledger=options.ledger,
        interrupted=run.interrupted,
        terminated=run.terminated,
        aborted_by=describe_error(run.abort.error) if run.abort else None,
        abort_code=exit_code_for(run.abort.error) if run.abort else None,
        ledger_error=str(run.ledger_error) if run.ledger_error else None,
        unreadable_ledger_lines=state.unreadable,
    )


class SameFileError(Exception):
    """The ledger is the input file: records would be appended to it and sent as feedback."""


_SAME_FILE: Final = "the ledger is the input file; name another file with --ledger"


def _refuse_input_as_ledger(options: BatchOptions) -> None:
    """The same file by inode, whatever the names (links, ./, symlinks)."""
    if not options.ledger.exists():
        return
    ledger = options.ledger.stat()
    if options.source == "-":
        stdin = _stdin()
        try:
            source = os.fstat(stdin.fileno()) if stdin is not None else None
        except (OSError, ValueError):  # no descriptor: it cannot be the ledger
            return
        if source is None:
            return  # opening it will say what is wrong
    else:
        try:
            source = Path(options.source).stat()
        except OSError:
            return  # opening it will say what is wrong
    if (source.st_dev, source.st_ino) == (ledger.st_dev, ledger.st_ino):
        raise SameFileError(_SAME_FILE)


def _refuse_same_file(stream: IO[bytes], writer: LedgerWriter, options: BatchOptions) -> None:
    """Checked again on the open files: the names may have moved meanwhile."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):  # a stream without a descriptor cannot be the ledger
        return
    if (info.st_dev, info.st_ino) == writer.identity():
        raise SameFileError(_SAME_FILE)


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
            if not recorder.done():  # every worker is done: flush what they finished
                await run.finished.put(_END)
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


def _interruptible() -> contextlib.AbstractContextManager[None]:
    """Ctrl-C raises KeyboardInterrupt at once, even in a blocking call (POSIX main thread).

    asyncio.run's own handler only cancels the main task, which a call blocked outside
    the loop never sees: the first Ctrl-C would do nothing.
    """
    if sys.platform == "win32":
        return contextlib.nullcontext()
    return handling(signal.SIGINT, signal.default_int_handler)


@contextlib.contextmanager
def _signals(
    loop: asyncio.AbstractEventLoop, handler: Callable[[signal.Signals], None]
) -> Iterator[None]:
    """SIGINT and SIGTERM call ``handler`` while the batch runs (main thread, POSIX only)."""
    installed: list[signal.Signals] = []
    if threading.current_thread() is threading.main_thread() and sys.platform != "win32":
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, handler, sig)
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
    summary = await run_batch_reporting(options, client, console, as_json=as_json)
    if summary is None:
        return ExitCode.USAGE
    if as_json:
        console.json(summary.to_dict())
    else:
        console.error(summary.render())
    return summary.exit_code


async def run_batch_reporting(
    options: BatchOptions, client: AsyncFeedbackClient, console: Console, *, as_json: bool = False
) -> BatchSummary | None:
    """Run a batch with the client, or explain in one line why it could not start (None)."""
    message: str
    try:
        async with client:
            return await run_batch(options, client, console)
    except (_ledger.LedgerInUseError, _ledger.NotALedgerError, SameFileError) as exc:
        message = f"error: {options.ledger}: {exc}"
    except InputEncodingError as exc:
        message = f"error: {options.source}: {exc}"
    except LedgerWriteError as exc:  # sealing the torn tail of a ledger on a full disk
        message = f"error: {exc}"
    except OSError as exc:
        message = f"error: {exc.filename or options.source}: {exc.strerror or exc}"
    console.error(message)
    if as_json:
        console.json({"error": usage_error(message.removeprefix("error: "))})
    return None
