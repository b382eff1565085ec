"""The batch at its edges: whole-ledger summaries, job keys, unknown outcomes, foreign ledgers,
deep nesting, write errors and the order of lock, ledger and input."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from firecrawl_feedback._cli import _batch as _batch_module
from firecrawl_feedback._cli import _ledger, main
from firecrawl_feedback._cli._exitcodes import ExitCode
from firecrawl_feedback.testing import FakeFirecrawl

from .conftest import body_for, read_ledger, write_batch

pytestmark = pytest.mark.usefixtures("env")
CLI = str(Path(sys.executable).with_name("firecrawl-feedback"))
PATIENCE = 120.0


def _batch(source: Path | str, ledger: Path, *extra: str) -> int:
    return main(["batch", str(source), "--ledger", str(ledger), "--progress", "none", *extra])


def _summary(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    value = json.loads(capsys.readouterr().out)
    assert isinstance(value, dict)
    return value


def test_a_rerun_reports_earlier_permanent_failures(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failures recorded in an earlier run stay in the summary and the exit code."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 3)
    with source.open("a") as stream:
        stream.write("{broken\n")
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    capsys.readouterr()
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    err = capsys.readouterr().err
    assert "failed        1 permanently" in err
    assert "line 4: failed (InvalidLine): not valid JSON" in err


def test_the_summary_lists_failures_credits_and_the_refund_cap(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Which lines failed and why (line, code, first violation), credits refunded, cap notice."""
    fake.team.daily_cap = 1  # a plain scrape rated partial refunds 1: the first fills it
    jobs = [fake.add_job("scrape", credits=4) for _ in range(2)]
    expired = fake.add_job("parse", age=fake.feedback_window + 1)
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    lines = [
        body_for("scrape", jobs[0]),
        body_for("scrape", jobs[1]),
        {"endpoint": "map", "jobId": fake.add_job("map"), "rating": "meh"},
        body_for("parse", expired),
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    err = capsys.readouterr().err
    assert "line 3: failed (ValidationError): rating: " in err
    assert "line 4: failed (ConflictError 409 FEEDBACK_WINDOW_EXPIRED)" in err
    assert "credits       1 refunded" in err
    assert "daily refund cap was reached" in err
    assert _batch(source, ledger, "--json") == ExitCode.BATCH_FAILED
    summary = _summary(capsys)
    totals = summary["ledgerTotals"]
    assert isinstance(totals, dict)
    assert (totals["creditsRefunded"], totals["dailyCapReached"], totals["failed"]) == (1, True, 2)
    problems = summary["problems"]
    assert isinstance(problems, list)
    assert [(p["line"], p["code"]) for p in problems] == [
        (3, None), (4, "FEEDBACK_WINDOW_EXPIRED"),
    ]  # fmt: skip


def test_a_terminal_summary_shows_the_first_failures_json_all(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Many failures: the first few on stderr with a count of the rest; --json lists every one."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    source.write_text("".join(f"{{broken {n}\n" for n in range(25)))
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    err = capsys.readouterr().err
    assert "line 10: failed" in err
    assert "line 11: failed" not in err
    assert "... and 15 more" in err
    assert _batch(source, ledger, "--json") == ExitCode.BATCH_FAILED
    assert len(_summary(capsys)["problems"]) == 25  # type: ignore[arg-type]


def test_inserting_a_line_at_the_top_resends_nothing(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records are keyed by job, not line number: only the new line is sent."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 10)
    assert _batch(source, ledger) == ExitCode.OK
    requests = len(fake.requests)
    new = fake.add_job("map")
    source.write_text(json.dumps(body_for("map", new)) + "\n" + source.read_text())
    assert _batch(source, ledger, "--json") == ExitCode.OK
    summary = _summary(capsys)
    assert (summary["sent"], summary["skipped"]) == (1, 10)
    assert len(fake.requests) == requests + 1


def test_a_second_line_for_the_same_job_is_a_repeat_and_not_sent(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first line for a job counts; later ones in the same file are counted as repeats."""
    job = fake.add_job("search")
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    line = json.dumps(body_for("search", job))
    source.write_text(line + "\n" + line.replace("partial", "bad") + "\n")
    assert _batch(source, ledger, "--json") == ExitCode.OK
    summary = _summary(capsys)
    assert (summary["sent"], summary["repeated"]) == (1, 1)
    assert len(fake.feedback) == 1


def test_jobs_whose_python_hashes_collide_are_each_sent(
    fake: FakeFirecrawl,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Repeats are told apart by the exact key, not by hash(): here every hash() the
    batch module could use collides, and both jobs are still sent."""
    monkeypatch.setattr(_batch_module, "hash", lambda _: 0, raising=False)
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 2)
    assert _batch(source, ledger, "--json") == ExitCode.OK
    summary = _summary(capsys)
    assert (summary["sent"], summary["repeated"]) == (2, 0)


def test_a_lost_answer_then_an_expired_window_is_unknown_never_failed(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Stored, answer lost; after the window the server says 409: the line stays unknown."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 4)
    fake.faults.next(4, drop=True, after_processing=True)
    assert _batch(source, ledger, "--max-retries", "0", "--concurrency", "1") == 75
    assert {r["outcome"] for r in read_ledger(ledger)} == {"unknown"}
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs)  # the server holds them all
    fake.advance(fake.feedback_window + 1)
    capsys.readouterr()
    assert _batch(source, ledger, "--json") == ExitCode.BATCH_RETRYABLE
    summary = _summary(capsys)
    assert (summary["sent"], summary["unknown"], summary["failed"]) == (4, 4, 0)
    final = read_ledger(ledger)[4:]
    assert {(r["outcome"], r["error"]["code"]) for r in final} == {
        ("unknown", "FEEDBACK_WINDOW_EXPIRED")
    }


def test_a_line_cut_off_by_kill_9_resumed_after_the_window_is_unknown(
    fake: FakeFirecrawl, tmp_path: Path
) -> None:
    """Only an attempt record (kill -9 in flight): resent, and a 409 then means unknown."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    (job,) = write_batch(fake, source, 1)
    assert main(["scrape", job, "--rating", "bad", "--note", "stored"]) == 0  # it got through
    sha = _ledger.line_hash(source.read_bytes())
    attempt = {"v": 2, "key": f"scrape:{job}", "line": 1, "sha": sha, "outcome": "attempt"}
    ledger.write_text(json.dumps(attempt) + "\n")
    fake.advance(fake.feedback_window + 1)
    assert _batch(source, ledger) == ExitCode.BATCH_RETRYABLE
    (record,) = read_ledger(ledger)
    assert (record["outcome"], record["error"]["code"]) == ("unknown", "FEEDBACK_WINDOW_EXPIRED")


def test_a_job_never_attempted_and_expired_is_a_permanent_failure(
    fake: FakeFirecrawl, tmp_path: Path
) -> None:
    """Without an earlier attempt the 409 proves the job is too old: failed, not unknown."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 1)
    fake.advance(fake.feedback_window + 1)
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    assert read_ledger(ledger)[0]["outcome"] == "failed"


def test_an_attempt_is_recorded_before_the_request_is_sent(
    fake: FakeFirecrawl, tmp_path: Path
) -> None:
    """Each sent line's attempt record precedes its outcome record."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 3)
    assert _batch(source, ledger, "--concurrency", "1") == ExitCode.OK
    outcomes = [(r["key"], r["outcome"]) for r in read_ledger(ledger, attempts=True)]
    for key in {k for k, _ in outcomes}:
        assert [o for k, o in outcomes if k == key] == ["attempt", "success"]


@pytest.mark.parametrize("how", ["name", "hard link", "symlink"])
def test_the_input_file_is_refused_as_ledger(
    how: str, fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--ledger naming the input (by any name) exits 2 and leaves the input untouched."""
    source = tmp_path / "batch.jsonl"
    write_batch(fake, source, 2)
    before = source.read_bytes()
    ledger = tmp_path / "other-name.jsonl"
    if how == "name":
        ledger = source
    elif how == "hard link":
        os.link(source, ledger)
    else:
        ledger.symlink_to(source)
    assert _batch(source, ledger) == ExitCode.USAGE
    assert "the ledger is the input file" in capsys.readouterr().err
    assert source.read_bytes() == before
    assert fake.requests == []


def test_standard_input_that_is_the_ledger_is_refused(fake: FakeFirecrawl, tmp_path: Path) -> None:
    """`batch - --ledger FILE < FILE` is the same mistake."""
    source = tmp_path / "batch.jsonl"
    write_batch(fake, source, 2)
    with source.open("rb") as stdin:
        done = subprocess.run(
            [CLI, "batch", "-", "--ledger", str(source)], stdin=stdin,
            capture_output=True, text=True, check=False, timeout=PATIENCE,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "the ledger is the input file" in done.stderr


def test_a_ledger_holding_other_lines_is_refused(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not a ledger (another batch's input, say) is never appended to."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "old-input.jsonl"
    write_batch(fake, source, 2)
    write_batch(fake, ledger, 2)
    before = ledger.read_bytes()
    assert _batch(source, ledger, "--json") == ExitCode.USAGE
    captured = capsys.readouterr()
    assert "not a ledger record" in captured.err
    assert "not a ledger record" in json.loads(captured.out)["error"]["message"]
    assert ledger.read_bytes() == before
    assert fake.requests == []


def test_a_line_nested_too_deeply_fails_alone(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """100,000 levels of nesting: that line fails permanently, named; the others are sent."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 2)
    deep = "[" * 100_000 + "]" * 100_000
    deep_job = fake.add_job("scrape")
    deep_metadata = f'{{"endpoint":"scrape","jobId":"{deep_job}","rating":"bad","metadata":{deep}}}'
    with source.open("a") as stream:
        stream.write(deep + "\n")
        stream.write(deep_metadata + "\n")
    more = write_batch(fake, tmp_path / "more.jsonl", 2)
    with source.open("a") as stream:
        stream.write((tmp_path / "more.jsonl").read_text())
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "line 3: failed (InvalidLine): nested too deeply" in err
    assert "line 4: failed (InvalidLine): nested too deeply" in err
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs + more)


def test_a_ledger_write_error_stops_the_batch_with_one_line_and_exit_2(
    fake: FakeFirecrawl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """ENOSPC while recording: the batch ends promptly, says why in one line, exits 2."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 200)
    real_write, writes = os.write, []

    def write(fd: int, data: bytes) -> int:
        writes.append(fd)
        if len(writes) > 20:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(_ledger.os, "write", write)
    assert _batch(source, ledger, "--max-rate", "0") == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "error: cannot write the ledger" in err
    assert "No space left on device" in err
    assert "Traceback" not in err
    assert len(fake.requests) < 200


def test_a_failing_temporary_store_stops_the_batch_with_one_line_and_exit_2(
    fake: FakeFirecrawl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The keys already read live in a temporary file: when it cannot grow, the batch says
    so in one line, and a re-run sends each line that was not recorded, once."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 50)
    real_add, calls = _batch_module.TemporaryTable.add, []

    def add(self: _batch_module.TemporaryTable, key: str) -> bool:
        calls.append(key)
        if len(calls) > 20:
            raise OSError(0, "cannot keep the lines read in a temporary file (disk full)", "x")
        return real_add(self, key)

    monkeypatch.setattr(_batch_module.TemporaryTable, "add", add)
    assert _batch(source, ledger, "--max-rate", "0") == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "cannot keep the lines read in a temporary file" in err
    assert "Traceback" not in err
    monkeypatch.setattr(_batch_module.TemporaryTable, "add", real_add)
    assert _batch(source, ledger, "--max-rate", "0") == ExitCode.OK
    assert len(fake.feedback) == 50
    assert len(fake.requests) == 50  # none sent twice


def test_the_ledger_is_locked_before_the_input_is_opened(
    fake: FakeFirecrawl, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run waiting on a slow input (a named pipe) holds the ledger: a second is refused."""
    fifo, ledger = tmp_path / "input.fifo", tmp_path / "ledger.jsonl"
    os.mkfifo(fifo)
    lines = tmp_path / "lines.jsonl"
    jobs = write_batch(fake, lines, 3)
    first = subprocess.Popen(
        [CLI, "batch", str(fifo), "--ledger", str(ledger), "--progress", "none"],
        env={**os.environ, "FIRECRAWL_API_KEY": fake.api_key, "FIRECRAWL_API_URL": url},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + PATIENCE
        while not ledger.exists():  # created and locked before the input is opened
            assert time.monotonic() < deadline, "the first run never created its ledger"
            assert first.poll() is None, first.communicate()
            time.sleep(0.02)
        assert _batch(lines, ledger) == ExitCode.USAGE
        assert "in use by another run" in capsys.readouterr().err
        feeder = threading.Thread(target=lambda: fifo.write_bytes(lines.read_bytes()))
        feeder.start()
        _, err = first.communicate(timeout=PATIENCE)
        feeder.join()
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, err
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs)


def test_a_key_the_client_refuses_stops_the_batch_with_exit_2(
    fake: FakeFirecrawl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A ConfigurationError would hit every line: stop, exit 2, no line recorded as failed."""
    from firecrawl_feedback import ConfigurationError
    from firecrawl_feedback._client import AsyncFeedbackClient

    async def refuse(self: object, body: object) -> None:
        raise ConfigurationError("the API key holds a control character (not shown)")

    monkeypatch.setattr(AsyncFeedbackClient, "submit_body", refuse)
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 5)
    assert _batch(source, ledger) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "stopped         ConfigurationError: every line would fail the same way" in err
    assert "Traceback" not in err
    assert read_ledger(ledger) == []


def test_a_line_handed_to_a_closed_loop_leaves_no_coroutine_behind() -> None:
    """The reader thread may outlive the batch's loop: its put must not leak unawaited.

    A coroutine created for a closed loop and dropped is reported at garbage
    collection, in whatever test runs then (seen once under load in CI).
    """
    import asyncio
    import gc

    from firecrawl_feedback._cli import _batch

    run = object.__new__(_batch._Run)
    run.queue = asyncio.Queue()
    loop = asyncio.new_event_loop()
    loop.close()
    with pytest.raises(_batch._Stopped):
        run._hand_over("a line", loop)
    gc.collect()  # an unawaited coroutine would be reported here, failing this test


def test_a_broken_line_is_described_within_itself() -> None:
    """The JSON error names a character of the line, never a "line 2" inside line 8."""
    from firecrawl_feedback._cli._batch import _parse_line

    _, problem = _parse_line(b'{"endpoint": "map", "jobId": \n')
    assert problem is not None
    assert "line 2" not in problem
    assert problem.startswith("not valid JSON: Expecting value (character ")


def test_standard_input_closed_is_a_usage_error_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A process started with stdin closed (``<&-``) has no sys.stdin: one line, exit 2."""
    monkeypatch.setattr("sys.stdin", None)
    ledger = tmp_path / "ledger.jsonl"
    for _ in range(2):  # the second time, with the ledger there (compared with the input)
        assert _batch("-", ledger) == ExitCode.USAGE
        assert capsys.readouterr().err == "error: -: standard input is closed\n"
    assert ledger.read_bytes() == b""


class _GoneReader(io.StringIO):
    """Standard output piped to a reader that has gone (``| head -1``)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no descriptor")  # nothing to point at /dev/null


@pytest.mark.parametrize("stdout", [None, _GoneReader()], ids=["closed", "broken pipe"])
def test_a_summary_nobody_can_read_leaves_the_exit_code_to_the_batch(
    fake: FakeFirecrawl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    stdout: io.StringIO | None,
) -> None:  # fmt: skip
    """--json with stdout closed (``>&-``) or a pipe nobody reads: the batch's exit code
    (it was 1, the code of a failed line, from a traceback after the last line)."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 3)
    monkeypatch.setattr("sys.stdout", stdout)
    assert _batch(source, ledger, "--json") == ExitCode.OK
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs)


def test_a_line_too_long_for_any_body_fails_alone_without_being_held(
    fake: FakeFirecrawl,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Past the cap a line is not kept (a file without line breaks must not fill the memory):
    it fails permanently, named, a re-run skips it, and the lines around it are sent."""
    cap = 1000
    monkeypatch.setattr(_batch_module, "_MAX_LINE", cap)
    monkeypatch.setattr(_batch_module, "_CHUNK", 64)  # the line spans many reads
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 2)
    with source.open("a") as stream:
        stream.write(" " * (cap * 5) + "\n")
        stream.write(json.dumps(body_for("scrape", extra := fake.add_job("scrape"))) + "\n")
    held: list[int] = []
    joined = _batch_module._joined

    def watched(parts: list[bytes], size: int) -> object:
        held.append(sum(map(len, parts)))
        return joined(parts, size)

    monkeypatch.setattr(_batch_module, "_joined", watched)
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    assert "line 3: failed (InvalidLine): the line is 5001 bytes, over the 1000" in (
        capsys.readouterr().err
    )
    assert max(held) <= cap + 64
    assert sorted(f.job_id for f in fake.feedback) == sorted([*jobs, extra])
    requests = len(fake.requests)
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED  # finished: not read as new
    assert len(fake.requests) == requests


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16LE"),
        ("utf-16-be", "UTF-16BE"),
        ("utf-32", "UTF-32"),
    ],
)
def test_an_input_that_is_not_utf8_is_refused_in_one_line(
    fake: FakeFirecrawl,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    encoding: str,
    named: str,
) -> None:
    """UTF-16 (what PowerShell's ``>`` writes) split at b"\\n" would be garbage lines: refused."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    lines = [json.dumps(body_for("scrape", fake.add_job("scrape"))) for _ in range(2)]
    source.write_bytes("\n".join(lines).encode(encoding))
    assert _batch(source, ledger) == ExitCode.USAGE
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: {source}: the input is {named} text, and JSON Lines is UTF-8: "
        f"convert it first (iconv -f {named} -t UTF-8)"
    )
    assert fake.requests == []
    assert read_ledger(ledger) == []


def test_a_utf8_byte_order_mark_is_read_past(fake: FakeFirecrawl, tmp_path: Path) -> None:
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    job = fake.add_job("scrape")
    source.write_bytes(json.dumps(body_for("scrape", job)).encode("utf-8-sig"))
    assert _batch(source, ledger) == ExitCode.OK
    assert [f.job_id for f in fake.feedback] == [job]


@pytest.mark.parametrize("kind", ["named pipe", "device"])
def test_a_ledger_that_is_no_regular_file_is_refused_in_one_line(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A named pipe would hold the run at open(); /dev/zero would be read for ever, and
    /dev/null would keep nothing for a re-run."""
    source = tmp_path / "batch.jsonl"
    write_batch(fake, source, 1)
    ledger = Path(os.devnull)
    if kind == "named pipe":
        ledger = tmp_path / "ledger.pipe"
        os.mkfifo(ledger)
    assert _batch(source, ledger) == ExitCode.USAGE
    assert capsys.readouterr().err == (
        f"error: {ledger}: is not a regular file; a ledger is read back on a re-run\n"
    )
    assert fake.requests == []


def test_a_ledger_line_longer_than_any_record_is_refused_unread(
    fake: FakeFirecrawl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_ledger, "_MAX_RECORD", 1000)
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 1)
    ledger.write_bytes(b"\x00" * 5000)
    with pytest.raises(_ledger.NotALedgerError, match="line 1 is longer than any ledger record"):
        _ledger.load(ledger)
    assert _batch(source, ledger) == ExitCode.USAGE
    assert fake.requests == []


def test_a_failure_record_lists_at_most_a_hundred_violations(
    fake: FakeFirecrawl, tmp_path: Path
) -> None:
    """A line of a thousand unknown keys: its record stays short, counts the rest, reads back."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    body = {**body_for("scrape", fake.add_job("scrape")), **{f"k{i}": 0 for i in range(1000)}}
    source.write_text(json.dumps(body) + "\n")
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    (record,) = [r for r in read_ledger(ledger) if r["outcome"] == "failed"]
    error = record["error"]
    assert [v["field"] for v in error["violations"]] == [f"k{i}" for i in range(100)]
    assert error["violationsNotListed"] == 900
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED  # read back: finished, not resent
    assert fake.requests == []


@pytest.mark.parametrize("earlier", ["success", "attempt"])
@pytest.mark.parametrize("edit", ["invalid rating", "400 from the server"])
def test_a_line_edited_into_a_failure_never_calls_a_job_the_server_may_hold_failed(
    fake: FakeFirecrawl, tmp_path: Path, earlier: str, edit: str
) -> None:
    """The first content was stored (or maybe, kill -9 in flight); the edited one fails.

    That failure is of the new content only: the server holds (or may hold) the job's
    feedback from the first, so the job is a duplicate (or unknown), never failed.
    """
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    (job,) = write_batch(fake, source, 1)
    if earlier == "success":
        assert _batch(source, ledger) == ExitCode.OK
    else:  # stored, but the run was killed before it recorded the answer
        assert main(["scrape", job, "--rating", "bad", "--note", "stored"]) == 0
        sha = _ledger.line_hash(source.read_bytes())
        attempt = {"v": 2, "key": f"scrape:{job}", "line": 1, "sha": sha, "outcome": "attempt"}
        ledger.write_text(json.dumps(attempt) + "\n")
    if edit == "invalid rating":
        body = {**body_for("scrape", job), "rating": "meh"}
    else:
        body = {**body_for("scrape", job), "note": "edited"}
        fake.faults.next(1, status=400, error_code="INVALID_BODY")
    source.write_text(json.dumps(body) + "\n")
    code = _batch(source, ledger)
    assert [f.job_id for f in fake.feedback] == [job]  # the server holds it
    final = read_ledger(ledger)[-1]
    assert final["outcome"] == ("duplicate" if earlier == "success" else "unknown")
    assert code == (ExitCode.OK if earlier == "success" else ExitCode.BATCH_RETRYABLE)


@pytest.mark.parametrize("wrong", ["route", "redirect"])
def test_a_base_url_that_is_not_the_api_stops_the_batch_and_a_fixed_rerun_sends_all(
    fake: FakeFirecrawl, url: str, tmp_path: Path, wrong: str
) -> None:
    """A 404 without the server's code (no such route) or a redirect would hit every line.

    The batch stops as for a 401, recording no line failed; before, every line was
    recorded a permanent failure, which the re-run with the right URL skipped unsent.
    """
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 10)
    if wrong == "route":
        code = _batch(source, ledger, "--base-url", url + "/not-the-api", "--concurrency", "1")
    else:
        redirect = "Location: https://api.firecrawl.dev/v2/feedback"
        with _raw_answer(f"HTTP/1.1 308 X\r\n{redirect}\r\nContent-Length: 0\r\n\r\n") as other:
            code = _batch(source, ledger, "--base-url", other, "--concurrency", "1")
    assert code != ExitCode.BATCH_FAILED
    assert not [r for r in read_ledger(ledger) if r["outcome"] == "failed"]
    assert _batch(source, ledger) == ExitCode.OK
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs)


def _raw_answer(answer: str) -> contextlib.AbstractContextManager[str]:
    from tests.faults import rawserver

    return rawserver.raw_server(lambda conn: conn.sendall(answer.encode()))


class _HeldLimiter:
    """Lets ``free`` requests through, then holds each worker until the batch stops; when
    every worker waits here, the batch gets ``sig`` (the signal a user would send)."""

    def __init__(self, free: int, workers: int, sig: signal.Signals) -> None:
        self.free, self.workers, self.sig = free, workers, sig
        self.held = 0
        self.released = asyncio.Event()

    async def acquire(self) -> None:
        if self.free:
            self.free -= 1
            return
        self.held += 1
        if self.held == self.workers:
            signal.raise_signal(self.sig)
        await self.released.wait()


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_lines_waiting_on_the_rate_limit_when_stopped_are_not_sent_and_resume_once(
    fake: FakeFirecrawl,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sig: signal.Signals,
    code: int,
) -> None:
    """Workers waiting on --max-rate when Ctrl-C (or SIGTERM) came sent their line anyway."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 20)
    limiter = _HeldLimiter(free=3, workers=4, sig=sig)
    stop = _batch_module._Run.stop

    def stop_then_release(run: _batch_module._Run) -> None:
        stop(run)
        limiter.released.set()  # the held workers go on only once the stop is asked

    with monkeypatch.context() as patched:
        patched.setattr(_batch_module, "_limiter", lambda _: limiter)
        patched.setattr(_batch_module._Run, "stop", stop_then_release)
        assert _batch(source, ledger, "--concurrency", "4", "--max-rate", "60/min") == code
    assert limiter.held == 4
    assert len(fake.feedback) == 3
    # The held lines left no record at all (not even an attempt): pending, never failed.
    records = read_ledger(ledger, attempts=True)
    outcomes = sorted(r["outcome"] for r in records)
    assert outcomes == ["attempt"] * 3 + ["success"] * 3
    assert len({r["key"] for r in records}) == 3
    assert _batch(source, ledger, "--max-rate", "0") == 0
    assert collections.Counter(f.job_id for f in fake.feedback) == collections.Counter(jobs)
