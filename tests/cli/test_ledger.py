"""The batch ledger: durable records, resume keys, torn tails, one run at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from firecrawl_feedback._cli import _ledger
from firecrawl_feedback._cli._ledger import LedgerInUseError, LedgerWriter, line_hash
from firecrawl_feedback._cli._output import Redactor

NO_SECRET = Redactor(None)


def _append(path: Path, *records: dict[str, object]) -> None:
    with LedgerWriter(path, NO_SECRET) as writer:
        for record in records:
            writer.append(record)


def test_line_hash_ignores_the_line_ending() -> None:
    """The same content hashes the same with \\n, \\r\\n or no ending (the last line)."""
    assert line_hash(b'{"a":1}\n') == line_hash(b'{"a":1}\r\n') == line_hash(b'{"a":1}')
    assert line_hash(b'{"a":1}') != line_hash(b'{"a":2}')
    assert len(line_hash(b"x")) == 16


def test_success_duplicate_and_permanent_failure_finish_a_line(tmp_path: Path) -> None:
    """Lines recorded as success, duplicate or permanent failure are skipped on resume."""
    ledger = tmp_path / "ledger.jsonl"
    sha = line_hash(b"x")
    _append(
        ledger,
        {"line": 1, "sha": sha, "outcome": "success"},
        {"line": 2, "sha": sha, "outcome": "duplicate"},
        {"line": 3, "sha": sha, "outcome": "failed", "retryable": False},
        {"line": 4, "sha": sha, "outcome": "failed", "retryable": True},
    )
    state = _ledger.load(ledger)
    assert [state.is_finished(n, sha) for n in (1, 2, 3, 4, 5)] == [True, True, True, False, False]
    assert state.records == 4


def test_the_latest_record_for_a_line_wins(tmp_path: Path) -> None:
    """A transient failure recorded after a success (edited line) makes the line unfinished."""
    ledger = tmp_path / "ledger.jsonl"
    old, new = line_hash(b"old"), line_hash(b"new")
    _append(
        ledger,
        {"line": 1, "sha": old, "outcome": "failed", "retryable": True},
        {"line": 1, "sha": old, "outcome": "success"},
        {"line": 2, "sha": old, "outcome": "success"},
        {"line": 2, "sha": new, "outcome": "failed", "retryable": True},
    )
    state = _ledger.load(ledger)
    assert state.is_finished(1, old)
    assert not state.is_finished(2, old)
    assert not state.is_finished(2, new)


def test_an_edited_line_is_detected(tmp_path: Path) -> None:
    """A line finished with other content is reported as edited, not as finished."""
    ledger = tmp_path / "ledger.jsonl"
    _append(ledger, {"line": 7, "sha": line_hash(b"before"), "outcome": "success"})
    state = _ledger.load(ledger)
    assert state.was_edited(7, line_hash(b"after"))
    assert not state.is_finished(7, line_hash(b"after"))
    assert not state.was_edited(8, line_hash(b"after"))


def test_a_torn_last_record_is_ignored_and_sealed(tmp_path: Path) -> None:
    """A record cut short by kill -9 is skipped on load and does not swallow the next one."""
    ledger = tmp_path / "ledger.jsonl"
    sha = line_hash(b"x")
    _append(ledger, {"line": 1, "sha": sha, "outcome": "success"})
    with ledger.open("ab") as stream:
        stream.write(b'{"v":1,"line":2,"sha":"' + sha.encode()[:5])
    state = _ledger.load(ledger)
    assert (state.records, state.unreadable) == (1, 1)
    _append(ledger, {"line": 2, "sha": sha, "outcome": "success"})
    state = _ledger.load(ledger)
    assert (state.records, state.unreadable) == (2, 1)
    assert state.is_finished(2, sha)


def test_records_are_one_json_object_per_line_with_version_and_time(tmp_path: Path) -> None:
    """Each record is a compact JSON line carrying the format version and a UTC timestamp."""
    ledger = tmp_path / "ledger.jsonl"
    _append(ledger, {"line": 1, "sha": line_hash(b"x"), "outcome": "success", "note": "é"})
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
        writer.append({"line": 1, "sha": line_hash(b"x"), "outcome": "failed", "m": secret})
    assert secret not in ledger.read_text()
    assert "***" in ledger.read_text()


def test_records_that_are_not_ledger_records_are_unreadable(tmp_path: Path) -> None:
    """Lines without an integer line, a hex sha and an outcome are counted, never trusted."""
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text(
        '[1,2]\n{"line":"1","sha":"ab","outcome":"success"}\n'
        '{"line":1,"sha":"zz","outcome":"success"}\nnot json\n'
    )
    state = _ledger.load(ledger)
    assert (state.records, state.unreadable) == (0, 4)
