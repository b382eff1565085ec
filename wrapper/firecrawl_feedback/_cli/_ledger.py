"""The batch ledger: append-only JSON Lines, one record per outcome, keyed by job.

**Keys.** The server deduplicates feedback per (team, endpoint, job); the team
is the same for a whole run, so a record is keyed by ``endpoint:jobId`` (the
search route and ``POST /feedback`` with endpoint "search" share the key).
A line without a usable endpoint and job id (not JSON, not an object, no
UUID) is keyed by a hash of its content: ``sha:<16 hex>``. Moving lines
around or inserting one therefore changes nothing.

**Records.** Before a line is sent an ``attempt`` record is written (no fsync
of its own: ``kill -9`` keeps the page cache, and the next group commit
flushes it). Once the outcome is known: ``success``, ``duplicate``,
``failed`` (``retryable`` says whether a re-run sends it again) or
``unknown`` (the server may hold the feedback: never called failed). The
latest record of a key wins. Outcome records are fsynced before they count;
records finishing together share one ``write`` and one ``fsync``.

**Reading.** A line cut short by ``kill -9`` or a full disk cannot parse and
is ignored (and sealed off with a newline before appending); any other line
that is not a ledger record means the file is not a ledger (it may be the
input): it is refused, never appended to.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, NamedTuple

from ._fields import ENDPOINTS
from ._output import Redactor
from ._tempdb import TemporaryTable

FORMAT_VERSION: Final = 2

SUCCESS: Final = "success"
DUPLICATE: Final = "duplicate"
FAILED: Final = "failed"
UNKNOWN: Final = "unknown"  # the server may hold it: retried on the next run, never "failed"
ATTEMPT: Final = "attempt"  # written before sending; alone, it means "maybe sent"
OUTCOMES: Final = frozenset({SUCCESS, DUPLICATE, FAILED, UNKNOWN, ATTEMPT})

_ENDPOINTS: Final = frozenset(ENDPOINTS)
_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
#: How every record starts: a line starting so that does not parse is a torn record.
_RECORD_START: Final = b'{"v":'
#: Longer than any record written (they list at most RECORDED_VIOLATIONS violations): a
#: longer line is not read whole (a file without line breaks must not fill the memory).
_MAX_RECORD: Final = 1 << 24
#: Violations a failure record lists; the summary shows the first, and a body with a
#: million unknown keys must not make a record too long to read back.
RECORDED_VIOLATIONS: Final = 100


def line_hash(raw: bytes) -> str:
    """16 hex digits identifying a line's content (the line ending is not part of it)."""
    return hashlib.blake2b(raw.rstrip(b"\r\n"), digest_size=8).hexdigest()


def record_key(body: object, digest: str) -> str:
    """What the server deduplicates on, ``endpoint:jobId``; else the content hash."""
    if isinstance(body, dict):
        endpoint, job_id = body.get("endpoint"), body.get("jobId")
        if endpoint in _ENDPOINTS and isinstance(job_id, str) and _UUID.fullmatch(job_id):
            return f"{endpoint}:{job_id.lower()}"
    return f"sha:{digest}"


class LedgerInUseError(Exception):
    """Another run holds the ledger."""


class NotALedgerError(Exception):
    """The file holds lines that are not ledger records (the input file, say)."""


class Entry(NamedTuple):
    """The latest record of a key, compactly, plus what earlier records proved."""

    outcome: str
    sha: int
    retryable: bool
    #: The server holds feedback for this job (a success or duplicate was recorded).
    held: bool
    #: The server may hold it: an attempt, an unknown outcome or a transient failure was seen.
    maybe_held: bool
    credits: float
    cap_reached: bool
    #: For failures and unknown outcomes: what the summary lists.
    detail: dict[str, Any] | None

    @property
    def finished(self) -> bool:
        """A re-run skips this content: success, duplicate or a permanent failure."""
        return self.outcome in (SUCCESS, DUPLICATE) or (
            self.outcome == FAILED and not self.retryable
        )

    def finished_with(self, digest: str) -> bool:
        """Finished, with the content whose line hash is ``digest``: a re-run skips it."""
        return self.finished and self.sha == int(digest, 16)

    def edited_from(self, digest: str) -> bool:
        """Finished with other content than ``digest``'s: the line was edited since."""
        return self.finished and self.sha != int(digest, 16)


@dataclass
class LedgerState:
    """The latest record of every key in a ledger, kept on disk (see ``_tempdb``)."""

    entries: TemporaryTable = field(default_factory=TemporaryTable)
    records: int = 0
    unreadable: int = 0

    def get(self, key: str) -> Entry | None:
        value = self.entries.get(key)
        return None if value is None else Entry(*json.loads(value))

    def is_finished(self, key: str, digest: str) -> bool:
        entry = self.get(key)
        return entry is not None and entry.finished_with(digest)

    def was_edited(self, key: str, digest: str) -> bool:
        """True when the key finished earlier with other content."""
        entry = self.get(key)
        return entry is not None and entry.edited_from(digest)

    def note(self, record: dict[str, Any]) -> None:
        key = key_of(record)
        self.entries.put(key, json.dumps(entry_after(record, self.get(key))))


def entry_after(record: dict[str, Any], earlier: Entry | None) -> Entry:
    """A key's entry once ``record`` is appended, ``earlier`` being its entry before."""
    outcome = record["outcome"]
    retryable = bool(record.get("retryable", False))
    held = (earlier is not None and earlier.held) or outcome in (SUCCESS, DUPLICATE)
    maybe_held = (earlier is not None and earlier.maybe_held) or (
        outcome in (ATTEMPT, UNKNOWN) or (outcome == FAILED and retryable)
    )
    detail = None
    if outcome in (FAILED, UNKNOWN):
        detail = summary_detail(record)
    elif outcome == ATTEMPT and earlier is not None:
        detail = earlier.detail
    credits = record.get("creditsRefunded")
    return Entry(
        outcome=outcome,
        sha=int(record["sha"], 16),
        retryable=retryable,
        held=held,
        maybe_held=maybe_held,
        credits=float(credits) if isinstance(credits, int | float) else 0.0,
        cap_reached=record.get("dailyCapReached") is True,
        detail=detail,
    )


def key_of(record: dict[str, Any]) -> str:
    """A record's key; version 1 records (keyed by line number) get theirs from their fields."""
    key = record.get("key")
    if isinstance(key, str):
        return key
    return record_key(record, record["sha"])


def summary_detail(record: dict[str, Any]) -> dict[str, Any]:
    """What the summary says about a failed or unknown line: which, and why, in short."""
    error = record.get("error") or {}
    violations = error.get("violations") or []
    reason = (
        f"{violations[0]['field']}: {violations[0]['rule']}"
        if violations and isinstance(violations[0], dict)
        else error.get("message")
    )
    return {
        "line": record.get("line"),
        "endpoint": record.get("endpoint"),
        "jobId": record.get("jobId"),
        "outcome": record["outcome"],
        "retryable": bool(record.get("retryable", False)),
        "class": error.get("class"),
        "status": error.get("status"),
        "code": error.get("code"),
        "reason": reason,
    }


def load(path: Path) -> LedgerState:
    """Read a ledger; torn records are counted and skipped, anything else foreign is refused."""
    state = LedgerState()
    if not path.exists():
        return state
    with path.open("rb") as stream, state.entries.bulk():
        lines = iter(lambda: stream.readline(_MAX_RECORD), b"")
        for number, raw in enumerate(lines, start=1):
            if len(raw) >= _MAX_RECORD:
                raise NotALedgerError(
                    f"line {number} is longer than any ledger record: is it the input file? "
                    "(name a new file, or the ledger of an earlier run)"
                )
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)  # once per line: every verdict below reads it
            except ValueError:
                if _starts_as_record(raw):  # a record cut short (torn): counted, skipped
                    state.unreadable += 1
                    continue
                value = None
            except RecursionError:  # complete enough to nest that deep: not cut short
                value = None
            record = _record(value)
            if record is None:
                if (version := _version(value)) is not None and version > FORMAT_VERSION:
                    raise NotALedgerError(
                        f"line {number} was written by a newer firecrawl-feedback (ledger "
                        f"format {version}, this one writes {FORMAT_VERSION}): upgrade it to "
                        "resume this ledger"
                    )
                raise NotALedgerError(
                    f"line {number} is not a ledger record: is it the input file? "
                    "(name a new file, or the ledger of an earlier run)"
                )
            state.records += 1
            state.note(record)
    return state


def _starts_as_record(raw: bytes) -> bool:
    """Whether ``raw`` starts as records do, or is cut within that start: a full disk can
    cut a record anywhere, after its first byte too."""
    start = raw.rstrip(b"\r\n")
    return start.startswith(_RECORD_START) or _RECORD_START.startswith(start)


def _ours(version: object) -> bool:
    """A format this version reads: a newer one's fields may mean something else."""
    return isinstance(version, int) and version <= FORMAT_VERSION


def _version(value: object) -> int | None:
    """The format version of a line's JSON value, when an object with an integer ``v``."""
    version = value.get("v") if isinstance(value, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _record(record: object) -> dict[str, Any] | None:
    """A line's JSON value when it is a record of ours, else None."""
    if not isinstance(record, dict) or not _ours(record.get("v")):
        return None
    sha, outcome = record.get("sha"), record.get("outcome")
    if not (isinstance(sha, str) and outcome in OUTCOMES):
        return None
    if not (isinstance(record.get("key"), str) or isinstance(record.get("line"), int)):
        return None
    try:
        int(sha, 16)
    except ValueError:
        return None
    return record


class LedgerWriteError(Exception):
    """The ledger could not be written (disk full, I/O error): the batch must stop."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"cannot write the ledger {path}: {error.strerror or error}")
        self.error = error


_NOT_REGULAR: Final = "is not a regular file; a ledger is read back on a re-run"


class LedgerWriter:
    """Appends records; holds an exclusive lock so two runs cannot share a ledger.

    After any failed write it refuses every later one: a torn record must stay
    the last thing in the file, so that it can never be glued to a later one
    and read back as complete.
    """

    def __init__(self, path: Path, redact: Redactor) -> None:
        self.path = path
        self._redact = redact
        self._write_lock = threading.Lock()
        self._failed: LedgerWriteError | None = None
        # Read back and appended to: only a regular file will do (opening a named pipe
        # would wait for a reader; /dev/zero would be read for ever).
        if path.exists() and not path.is_file():
            raise NotALedgerError(_NOT_REGULAR)
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(self._fd).st_mode):  # replaced since the check
                raise NotALedgerError(_NOT_REGULAR)
            _lock(self._fd)
        except BaseException:
            os.close(self._fd)
            raise

    def identity(self) -> tuple[int, int]:
        """(device, inode) of the ledger, to tell it apart from the input."""
        info = os.fstat(self._fd)
        return info.st_dev, info.st_ino

    def seal_torn_tail(self) -> None:
        """A record cut short by kill -9 must not swallow the next one."""
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        with self.path.open("rb") as stream:
            stream.seek(size - 1)
            if stream.read(1) != b"\n":
                self._write(b"\n", sync=True)

    def append(self, record: dict[str, Any]) -> None:
        """Write one record durably: one write, then fsync."""
        self.append_many([record])

    def append_many(self, records: list[dict[str, Any]], *, sync: bool = True) -> None:
        """Write records that finished together: one write, one fsync (unless ``sync=False``)."""
        at = _now()
        lines = [
            json.dumps({"v": FORMAT_VERSION, **record, "at": at}, ensure_ascii=False,
                       separators=(",", ":"))
            for record in records
        ]  # fmt: skip
        text = "".join(self._redact(line) + "\n" for line in lines)
        # A lone surrogate (a server's text may carry one) becomes its JSON escape.
        self._write(text.encode("utf-8", "backslashreplace"), sync=sync)

    def _write(self, data: bytes, *, sync: bool) -> None:
        if self._failed is not None:
            raise self._failed
        try:
            with self._write_lock:
                view = memoryview(data)
                while view:
                    written = os.write(self._fd, view)
                    view = view[written:]
            if sync:
                os.fsync(self._fd)
        except OSError as exc:
            self._failed = LedgerWriteError(self.path, exc)
            raise self._failed from exc

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __enter__(self) -> LedgerWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover (no flock; runs are not guarded there)
        return
    import fcntl  # noqa: PLC0415 (POSIX only)

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise LedgerInUseError("the ledger is in use by another run") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
