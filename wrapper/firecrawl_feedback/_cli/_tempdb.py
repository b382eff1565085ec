"""What a batch run keeps per job, off the heap: a table in a private temporary database.

Kept in memory, per-job state grows with the file: a set of the keys read
took about 80 bytes a job, the ledger's latest entries about 340 (34 MiB on
re-running a 100,000-job ledger). SQLite's private temporary database keeps
them in a file behind a bounded page cache; SQLite unlinks the file as soon as
it opens it, so nothing outlives the run.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from typing import Final

#: SQLite's page cache per table, in KiB (its file holds the rest).
_CACHE_KIB: Final = 1024


class TemporaryTable:
    """Text values by exact string keys, on disk behind a small cache; safe across threads.

    Every failure of the database (no temporary directory to write in, a full
    disk) is an OSError, which the batch reports in one line.
    """

    def __init__(self) -> None:
        # "": a private temporary database on disk; autocommit, no journal, no syncing:
        # nothing here needs to survive a crash.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        # One connection (a temporary database has no other), shared by the batch's
        # reader thread and its event loop: one statement at a time.
        self._lock = threading.Lock()
        with self._using() as db:
            for pragma in ("journal_mode = OFF", "synchronous = OFF"):
                db.execute(f"PRAGMA {pragma}")
            db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            db.execute("CREATE TABLE t (key BLOB PRIMARY KEY, value TEXT) WITHOUT ROWID")

    def add(self, key: str) -> bool:
        """Add ``key`` (with no value); False when it was there already."""
        with self._using() as db:
            cursor = db.execute("INSERT OR IGNORE INTO t VALUES (?, NULL)", (_exact(key),))
            return cursor.rowcount == 1

    def get(self, key: str) -> str | None:
        """The value stored for ``key``, or None."""
        with self._using() as db:
            row = db.execute("SELECT value FROM t WHERE key = ?", (_exact(key),)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        """Store ``value`` for ``key``, replacing any earlier one."""
        with self._using() as db:
            db.execute("INSERT OR REPLACE INTO t VALUES (?, ?)", (_exact(key), value))

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Many changes as one transaction: pages are written once, not once per change."""
        with self._using() as db:
            db.execute("BEGIN")
        try:
            yield
        finally:
            with self._using() as db:
                db.execute("COMMIT")

    @contextlib.contextmanager
    def _using(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._lock:
                yield self._db
        except sqlite3.Error as exc:
            raise OSError(
                0, f"cannot keep the lines read in a temporary file ({exc})", "SQLITE_TMPDIR"
            ) from exc


def _exact(key: str) -> bytes:
    # Bytes compare exactly; surrogatepass: any str has a form, a lone surrogate too.
    return key.encode("utf-8", "surrogatepass")
