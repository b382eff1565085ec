"""The batch command in-process: ledger outcomes, resuming, edits, aborts, faults at scale."""

from __future__ import annotations

import collections
import io
import json
from pathlib import Path

import pytest
from firecrawl_feedback._cli import main
from firecrawl_feedback._cli._exitcodes import ExitCode
from firecrawl_feedback._cli._progress import Counts, PlainProgress
from firecrawl_feedback.testing import FakeFirecrawl

from .conftest import body_for, read_ledger, write_batch

pytestmark = pytest.mark.usefixtures("env")


def _batch(source: Path | str, ledger: Path, *extra: str) -> int:
    return main(["batch", str(source), "--ledger", str(ledger), "--progress", "none", *extra])


def test_each_line_gets_one_record_with_its_outcome(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Success, duplicate, invalid JSON, invalid body and an expired job are each recorded."""
    fresh, repeated, invalid = fake.add_job("scrape"), fake.add_job("map"), fake.add_job("scrape")
    expired = fake.add_job("parse", age=fake.feedback_window + 1)
    # Feedback on this job was stored earlier, so the batch's line is a duplicate.
    assert main(["map", repeated, "--rating", "bad", "--note", "earlier"]) == 0
    source = tmp_path / "batch.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps(body_for("scrape", fresh)),
                json.dumps(body_for("map", repeated)),
                "{not json",
                "",
                json.dumps({"endpoint": "scrape", "jobId": invalid, "rating": "meh"}),
                json.dumps(body_for("parse", expired)),
                "[1, 2]",
            ]
        )
    )
    ledger = tmp_path / "ledger.jsonl"
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED == 1
    records = {r["line"]: r for r in read_ledger(ledger)}
    assert sorted(records) == [1, 2, 3, 5, 6, 7]  # the blank line 4 is not a submission
    assert records[1]["outcome"] == "success"
    assert records[1]["feedbackId"] == fake.feedback[-1].feedback_id
    assert records[2]["outcome"] == "duplicate"
    assert records[3]["error"]["class"] == "InvalidLine"
    assert records[5]["error"]["class"] == "ValidationError"
    assert records[5]["error"]["violations"][0]["field"] == "rating"
    assert records[6]["error"] | {"message": None, "attempts": None} == {
        "class": "ConflictError", "status": 409, "code": "FEEDBACK_WINDOW_EXPIRED",
        "message": None, "attempts": None, "maybeStored": False,
    }  # fmt: skip
    assert records[7]["error"]["message"] == "a line must be a JSON object"
    assert all(r["retryable"] is False for n, r in records.items() if n > 2)
    summary = capsys.readouterr().err
    assert "succeeded     1" in summary
    assert "4 permanently" in summary
    assert str(ledger) in summary


def test_running_again_sends_nothing_already_recorded(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second run skips every finished line, permanent failures included, and sends nothing."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 20)
    with source.open("a") as stream:
        stream.write("{broken\n")
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    requests, records = len(fake.requests), len(read_ledger(ledger))
    # The broken line failed permanently in the first run: the whole ledger still says so.
    assert _batch(source, ledger, "--json") == ExitCode.BATCH_FAILED
    summary = json.loads(capsys.readouterr().out)
    assert (summary["sent"], summary["skipped"], summary["exitCode"]) == (0, 21, 1)
    assert len(fake.requests) == requests
    assert len(read_ledger(ledger)) == records


def test_transient_failures_are_recorded_retryable_and_retried_on_rerun(
    fake: FakeFirecrawl, tmp_path: Path
) -> None:
    """503s that outlast the retries are recorded retryable (exit 75); a re-run finishes them."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 6)
    fake.faults.next(6, status=503)
    assert _batch(source, ledger, "--max-retries", "0", "--concurrency", "1") == 75
    assert [r["retryable"] for r in read_ledger(ledger)] == [True] * 6
    assert read_ledger(ledger)[0]["error"]["status"] == 503
    assert _batch(source, ledger) == ExitCode.OK
    final = read_ledger(ledger)[6:]
    assert sorted(r["line"] for r in final) == [1, 2, 3, 4, 5, 6]
    assert {r["outcome"] for r in final} == {"success"}
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs)


def test_an_edited_line_is_sent_again(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line changed since it was recorded counts as edited and is sent once more."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    job = fake.add_job("scrape")
    source.write_text(json.dumps({"endpoint": "scrape", "jobId": job, "rating": "meh"}) + "\n")
    assert _batch(source, ledger) == ExitCode.BATCH_FAILED
    # The user fixes the line (records are keyed by job: the same job, new content).
    source.write_text("\n" + json.dumps(body_for("scrape", job)) + "\n")
    assert _batch(source, ledger, "--json") == ExitCode.OK
    summary = json.loads(capsys.readouterr().out)
    assert (summary["edited"], summary["succeeded"]) == (1, 1)
    assert [f.job_id for f in fake.feedback] == [job]


def test_standard_input_is_read_with_a_dash(
    fake: FakeFirecrawl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FILE '-' reads the lines from standard input."""
    job = fake.add_job("map")
    stdin = io.TextIOWrapper(io.BytesIO((json.dumps(body_for("map", job)) + "\n").encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    ledger = tmp_path / "ledger.jsonl"
    assert _batch("-", ledger) == ExitCode.OK
    assert read_ledger(ledger)[0]["jobId"] == job


def test_a_bad_key_stops_the_batch_without_recording_lines(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """401 would hit every line: the batch stops, exits 4 and leaves the lines for a re-run."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 30)
    wrong = "fc-wrong-key-0123456789abcdef"
    assert _batch(source, ledger, "--api-key", wrong) == ExitCode.AUTH
    assert read_ledger(ledger) == []
    err = capsys.readouterr().err
    assert "AuthenticationError" in err
    assert wrong not in err
    assert len(fake.requests) < 30


def test_unreadable_file_and_busy_ledger_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing FILE exits 2 with its name; so does a ledger another run holds."""
    assert _batch(tmp_path / "missing.jsonl", tmp_path / "ledger") == ExitCode.USAGE
    assert "missing.jsonl" in capsys.readouterr().err


def test_plain_progress_lines_when_not_on_a_terminal(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a terminal, progress is plain text lines with the counts (at least the last)."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 5)
    assert main(["batch", str(source), "--ledger", str(ledger)]) == ExitCode.OK
    err = capsys.readouterr().err
    assert "progress: 5 sent, 5 succeeded, 0 duplicates, 0 failed" in err
    assert "\r" not in err


@pytest.mark.parametrize(
    ("duplicates", "said"), [(0, "0 duplicates"), (1, "1 duplicate,"), (2, "2 duplicates")]
)
def test_plain_progress_counts_duplicates_in_the_right_number(duplicates: int, said: str) -> None:
    stream = io.StringIO()
    PlainProgress(stream).close(Counts(sent=3, duplicates=duplicates))
    assert said in stream.getvalue()


def test_ten_thousand_lines_with_a_fifth_failing_transiently(
    fake: FakeFirecrawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every line ends with exactly one record and every job is stored exactly once."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 10_000)
    # 10 % fail before the server acts, 10 % after it stored the feedback (lost answers).
    fake.faults.random(0.1, seed=1, status=503)
    fake.faults.random(0.111, seed=2, drop=True, after_processing=True)
    argv = ["--concurrency", "16", "--max-rate", "0", "--max-retries", "12"]
    code = _batch(source, ledger, *argv)
    records = read_ledger(ledger)
    # Should it ever fail, say why: the run's summary and the first records that did not succeed.
    failed = [r for r in records if r["outcome"] not in ("success", "duplicate")]
    assert (code, failed[:3]) == (ExitCode.OK, []), capsys.readouterr().err
    assert sorted(r["line"] for r in records) == list(range(1, 10_001))
    assert {r["outcome"] for r in records} == {"success", "duplicate"}
    assert [r["jobId"] for r in sorted(records, key=lambda r: r["line"])] == jobs
    stored = collections.Counter(f.job_id for f in fake.feedback)
    assert set(stored) == set(jobs)
    assert set(stored.values()) == {1}
    faults = collections.Counter(r.fault for r in fake.requests)
    assert faults["status"] > 0
    assert faults["drop"] > 0
