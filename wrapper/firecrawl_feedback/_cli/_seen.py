"""The keys a batch run has read so far, to tell a repeated line from a new one.

Kept exactly (a false "seen" would leave a job unsent) and off the heap: a set
in memory grew by about 80 bytes per distinct job (8 MiB for 100,000 lines).
SQLite's private temporary database keeps them in a file behind a bounded page
cache; the file is unlinked as soon as it is opened, so nothing outlives the run.
"""

from __future__ import annotations

import sqlite3
from typing import Final

#: SQLite's page cache for the keys, in KiB (its file holds the rest).
_CACHE_KIB: Final = 1024


class SeenKeys:
    """An exact set of strings, on disk behind a small cache; usable from one thread at a time."""

    def __init__(self) -> None:
        # "": a private temporary database on disk; autocommit, no journal, no syncing:
        # nothing here needs to survive a crash.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        for pragma in (f"cache_size = -{_CACHE_KIB}", "journal_mode = OFF", "synchronous = OFF"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY) WITHOUT ROWID")

    def add(self, key: str) -> bool:
        """Add ``key``; False when it was there already."""
        # Bytes compare exactly; surrogatepass: any str has a form, a lone surrogate too.
        exact = key.encode("utf-8", "surrogatepass")
        try:
            cursor = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (exact,))
        except sqlite3.Error as exc:  # no temporary directory to write in, a full disk
            # An OSError: the batch reports it in one line, as an input it cannot read.
            raise OSError(
                0, f"cannot keep the lines read in a temporary file ({exc})", "SQLITE_TMPDIR"
            ) from exc
        return cursor.rowcount == 1
