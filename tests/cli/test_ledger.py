"""The batch ledger: durable records, job keys, torn tails, one run at a time, no foreign file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from firecrawl_feedback._cli import _ledger
from firecrawl_feedback._cli._ledger import (
    LedgerInUseError,
    LedgerWriter,
    NotALedgerError,
    line_hash,
    record_key,
)
from firecrawl_feedback._cli._output import Redactor

NO_SECRET = Redactor(None)
JOB = "0190B6F4-7C1E-7A3B-9D2E-4F5A6B7C8D9E"
KEYS = [f"scrape:0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9{n}" for n in range(10)]


def _append(path: Path, *records: dict[str, object]) -> None:
    with LedgerWriter(path, NO_SECRET) as writer:
        for record in records:
            writer.append(record)


def test_line_hash_ignores_the_line_ending() -> None:
    """The same content hashes the same with \\n, \\r\\n or no ending (the last line)."""
    assert line_hash(b'{"a":1}\n') == line_hash(b'{"a":1}\r\n') == line_hash(b'{"a":1}')
    assert line_hash(b'{"a":1}') != line_hash(b'{"a":2}')
    assert len(line_hash(b"x")) == 16


def test_records_are_keyed_by_what_the_server_deduplicates_on() -> None:
    """endpoint:jobId (lower case) for a usable body; the content hash for anything else."""
    assert record_key({"endpoint": "search", "jobId": JOB}, "ab") == f"search:{JOB.lower()}"
    assert record_key({"endpoint": "scrape", "jobId": "nope"}, "ab") == "sha:ab"
    assert record_key({"endpoint": "crawl", "jobId": JOB}, "ab") == "sha:ab"
    assert record_key([1, 2], "ab") == "sha:ab"


def test_success_duplicate_and_permanent_failure_finish_a_line(tmp_path: Path) -> None:
    """Keys recorded as success, duplicate or permanent failure are skipped on resume."""
    ledger = tmp_path / "ledger.jsonl"
    sha = line_hash(b"x")
    _append(
        ledger,
        {"key": KEYS[1], "line": 1, "sha": sha, "outcome": "success"},
        {"key": KEYS[2], "line": 2, "sha": sha, "outcome": "duplicate"},
        {"key": KEYS[3], "line": 3, "sha": sha, "outcome": "failed", "retryable": False},
        {"key": KEYS[4], "line": 4, "sha": sha, "outcome": "failed", "retryable": True},
        {"key": KEYS[5], "line": 5, "sha": sha, "outcome": "unknown", "retryable": True},
        {"key": KEYS[6], "line": 6, "sha": sha, "outcome": "attempt"},
    )
    state = _ledger.load(ledger)
    finished = [state.is_finished(KEYS[n], sha) for n in (1, 2, 3, 4, 5, 6, 7)]
    assert finished == [True, True, True, False, False, False, False]
    assert state.records == 6
    maybe = [_entry(state, KEYS[n]).maybe_held for n in (1, 4, 5, 6)]
    assert maybe == [False, True, True, True]


def test_the_latest_record_for_a_key_wins(tmp_path: Path) -> None:
    """A transient failure recorded after a success (edited line) makes the key unfinished."""
    ledger = tmp_path / "ledger.jsonl"
    old, new = line_hash(b"old"), line_hash(b"new")
    _append(
        ledger,
        {"key": KEYS[1], "line": 1, "sha": old, "outcome": "failed", "retryable": True},
        {"key": KEYS[1], "line": 1, "sha": old, "outcome": "success"},
        {"key": KEYS[2], "line": 2, "sha": old, "outcome": "success"},
        {"key": KEYS[2], "line": 2, "sha": new, "outcome": "failed", "retryable": True},
    )
    state = _ledger.load(ledger)
    assert state.is_finished(KEYS[1], old)
    assert not state.is_finished(KEYS[2], old)
    assert not state.is_finished(KEYS[2], new)
    assert _entry(state, KEYS[2]).held  # the server held it once: never forgotten


def test_an_edited_line_is_detected(tmp_path: Path) -> None:
    """A key finished with other content is reported as edited, not as finished."""
    ledger = tmp_path / "ledger.jsonl"
    _append(ledger, {"key": KEYS[7], "line": 7, "sha": line_hash(b"before"), "outcome": "success"})
    state = _ledger.load(ledger)
    assert state.was_edited(KEYS[7], line_hash(b"after"))
    assert not state.is_finished(KEYS[7], line_hash(b"after"))
    assert not state.was_edited(KEYS[8], line_hash(b"after"))


def test_version_1_records_keyed_by_line_are_read_by_job(tmp_path: Path) -> None:
    """A ledger from before job keys still works: its records name endpoint and jobId."""
    ledger = tmp_path / "ledger.jsonl"
    sha = line_hash(b"x")
    ledger.write_text(
        json.dumps({"v": 1, "line": 3, "sha": sha, "endpoint": "scrape", "jobId": JOB,
                    "outcome": "success"}) + "\n"
        + json.dumps({"v": 1, "line": 4, "sha": sha, "outcome": "failed"}) + "\n"
    )  # fmt: skip
    state = _ledger.load(ledger)
    assert state.is_finished(f"scrape:{JOB.lower()}", sha)
    assert state.is_finished(f"sha:{sha}", sha)


def test_a_torn_last_record_is_ignored_and_sealed(tmp_path: Path) -> None:
    """A record cut short by kill -9 is skipped on load and does not swallow the next one."""
    ledger = tmp_path / "ledger.jsonl"
    sha = line_hash(b"x")
    _append(ledger, {"key": KEYS[1], "line": 1, "sha": sha, "outcome": "success"})
    with ledger.open("ab") as stream:
        stream.write(b'{"v":2,"key":"' + KEYS[2].encode()[:5])
    state = _ledger.load(ledger)
    assert (state.records, state.unreadable) == (1, 1)
    with LedgerWriter(ledger, NO_SECRET) as writer:
        writer.seal_torn_tail()
        writer.append({"key": KEYS[2], "line": 2, "sha": sha, "outcome": "success"})
    state = _ledger.load(ledger)
    assert (state.records, state.unreadable) == (2, 1)
    assert state.is_finished(KEYS[2], sha)


@pytest.mark.parametrize("torn", [b"{", b'{"', b'{"v', b'{"v"', b'{"v":', b'{"v":2,"ke'])
def test_a_record_torn_anywhere_after_its_first_byte_is_ignored(
    tmp_path: Path, torn: bytes
) -> None:
    """A full disk cuts a record at any byte, within its first five too: still just torn,
    never "not a ledger", whether last or sealed off and followed by records."""
    ledger = tmp_path / "ledger.jsonl"
    sha = line_hash(b"x")
    _append(ledger, {"key": KEYS[1], "line": 1, "sha": sha, "outcome": "success"})
    with ledger.open("ab") as stream:
        stream.write(torn)
    assert (_ledger.load(ledger).records, _ledger.load(ledger).unreadable) == (1, 1)
    with LedgerWriter(ledger, NO_SECRET) as writer:
        writer.seal_torn_tail()
        writer.append({"key": KEYS[2], "line": 2, "sha": sha, "outcome": "success"})
    state = _ledger.load(ledger)
    assert (state.records, state.unreadable) == (2, 1)
    assert state.is_finished(KEYS[2], sha)


@pytest.mark.parametrize("outcome", ["success", "stored"])
def test_a_ledger_written_by_a_newer_version_is_refused_saying_so(
    tmp_path: Path, outcome: str
) -> None:
    """A newer format's records may mean something else: refused, never read as ours."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(json.dumps({"v": _ledger.FORMAT_VERSION + 1, "key": KEYS[1], "line": 1,
                                  "sha": "ab", "outcome": outcome}) + "\n")  # fmt: skip
    with pytest.raises(NotALedgerError, match="line 1 was written by a newer firecrawl-feedback"):
        _ledger.load(ledger)


def test_records_are_one_json_object_per_line_with_version_and_time(tmp_path: Path) -> None:
    """Each record is a compact JSON line carrying the format version and a UTC timestamp."""
    ledger = tmp_path / "ledger.jsonl"
    _append(ledger, {"key": KEYS[1], "line": 1, "sha": line_hash(b"x"), "outcome": "success",
                     "note": "é"})  # fmt: skip
    (line,) = ledger.read_bytes().splitlines()
    record = json.loads(line)
    assert record["v"] == _ledger.FORMAT_VERSION
    assert record["at"].endswith("Z")
    assert record["note"] == "é"


def test_two_runs_cannot_share_a_ledger(tmp_path: Path) -> None:
    """A second writer on the same ledger is refused while the first holds it."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger, NO_SECRET), pytest.raises(LedgerInUseError):
        LedgerWriter(ledger, NO_SECRET)
    LedgerWriter(ledger, NO_SECRET).close()  # released once the first is closed


def test_the_api_key_is_masked_in_records(tmp_path: Path) -> None:
    """Should a message ever contain the key, the ledger holds *** instead."""
    ledger = tmp_path / "ledger.jsonl"
    secret = "fc-secret-key-123456"
    with LedgerWriter(ledger, Redactor(secret)) as writer:
        writer.append({"key": KEYS[1], "line": 1, "sha": line_hash(b"x"), "outcome": "failed",
                       "m": secret})  # fmt: skip
    assert secret not in ledger.read_text()
    assert "***" in ledger.read_text()


@pytest.mark.parametrize(
    "text",
    [
        "[1,2]\n",
        '{"v":1,"line":"1","sha":"ab","outcome":"success"}\n',
        '{"v":1,"line":1,"sha":"zz","outcome":"success"}\n',
        '{"endpoint":"scrape","jobId":"' + JOB + '","rating":"bad","note":"n"}\n',
        "not json\n",
    ],
)
def test_a_file_with_lines_that_are_not_ledger_records_is_refused(
    tmp_path: Path, text: str
) -> None:
    """Lines that are not records (an input file, say) make the file no ledger: refused."""
    ledger = tmp_path / "ledger.jsonl"
    good = json.dumps({"v": 2, "key": KEYS[1], "line": 1, "sha": "ab", "outcome": "success"})
    ledger.write_text(text + good + "\n")
    with pytest.raises(NotALedgerError, match="line 1 is not a ledger record"):
        _ledger.load(ledger)


def test_a_failed_write_refuses_every_later_one(tmp_path: Path) -> None:
    """After a write error nothing more is appended: a torn record stays last, never glued."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger, NO_SECRET) as writer:
        writer._fd, real = 10_000, writer._fd  # a closed descriptor: EBADF, like ENOSPC would
        with pytest.raises(_ledger.LedgerWriteError):
            writer.append({"key": KEYS[1], "line": 1, "sha": "ab", "outcome": "success"})
        writer._fd = real
        with pytest.raises(_ledger.LedgerWriteError):
            writer.append({"key": KEYS[2], "line": 2, "sha": "ab", "outcome": "success"})
    assert ledger.read_bytes() == b""


def _entry(state: _ledger.LedgerState, key: str) -> _ledger.Entry:
    entry = state.get(key)
    assert entry is not None, key
    return entry
