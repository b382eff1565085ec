"""The batch ledger: one JSON record per finished line, append-only, fsynced per record.

A record is keyed by the line's number and a short hash of its bytes. On a
re-run, a line whose key has a final record (success, duplicate or a
permanent failure) is skipped; a line recorded as ``retryable`` is sent again.
The latest record for a line wins. A line whose number was recorded with a
different hash was edited since: it is sent again (see the README).

Records are written only once a line's outcome is known, in one ``write``
followed by ``fsync`` (records finishing together share them: group commit).
A torn last record (the process was killed mid-write) is ignored when
reading and sealed with a newline before appending.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from ._output import Redactor

FORMAT_VERSION: Final = 1

#: Outcomes that finish a line: a re-run skips it.
SUCCESS: Final = "success"
DUPLICATE: Final = "duplicate"
FAILED: Final = "failed"


def line_hash(raw: bytes) -> str:
    """16 hex digits identifying a line's content (the line ending is not part of it)."""
    return hashlib.blake2b(raw.rstrip(b"\r\n"), digest_size=8).hexdigest()


class LedgerInUseError(Exception):
    """Another run holds the ledger."""


@dataclass
class LedgerState:
    """What a re-run needs from the ledger: which lines are finished, compactly."""

    #: line number -> content hash (as an int: a third of the memory of the hex string)
    finished: dict[int, int] = field(default_factory=dict)
    records: int = 0
    unreadable: int = 0

    def is_finished(self, line: int, digest: str) -> bool:
        return self.finished.get(line) == int(digest, 16)

    def was_edited(self, line: int, digest: str) -> bool:
        """True when the line finished earlier with other content."""
        known = self.finished.get(line)
        return known is not None and known != int(digest, 16)

    def note(self, record: dict[str, Any]) -> None:
        line, digest = record["line"], int(record["sha"], 16)
        if record["outcome"] in (SUCCESS, DUPLICATE) or (
            record["outcome"] == FAILED and not record.get("retryable", False)
        ):
            self.finished[line] = digest
        else:
            self.finished.pop(line, None)


def load(path: Path) -> LedgerState:
    """Read an existing ledger; unreadable lines (a torn last write) are counted and skipped."""
    state = LedgerState()
    if not path.exists():
        return state
    with path.open("rb") as stream:
        for raw in stream:
            record = _parse(raw)
            if record is None:
                state.unreadable += 1
                continue
            state.records += 1
            state.note(record)
    return state


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    line, sha, outcome = record.get("line"), record.get("sha"), record.get("outcome")
    if not (isinstance(line, int) and isinstance(sha, str) and isinstance(outcome, str)):
        return None
    try:
        int(sha, 16)
    except ValueError:
        return None
    return record


class LedgerWriter:
    """Appends records; holds an exclusive lock so two runs cannot share a ledger."""

    def __init__(self, path: Path, redact: Redactor) -> None:
        self.path = path
        self._redact = redact
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            _lock(self._fd)
            self._seal_torn_tail()
        except BaseException:
            os.close(self._fd)
            raise

    def _seal_torn_tail(self) -> None:
        # A record cut short by kill -9 must not swallow the next one.
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        with self.path.open("rb") as stream:
            stream.seek(size - 1)
            if stream.read(1) != b"\n":
                self._write(b"\n")

    def append(self, record: dict[str, Any]) -> None:
        """Write one record durably: one write, then fsync."""
        self.append_many([record])

    def append_many(self, records: list[dict[str, Any]]) -> None:
        """Write records that finished together durably: one write, one fsync."""
        at = _now()
        lines = [
            json.dumps({"v": FORMAT_VERSION, **record, "at": at}, ensure_ascii=False,
                       separators=(",", ":"))
            for record in records
        ]  # fmt: skip
        self._write(("".join(self._redact(line) + "\n" for line in lines)).encode())

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

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
