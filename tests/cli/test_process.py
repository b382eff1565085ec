"""The installed console script in real processes: kill -9 and Ctrl-C mid-batch, serve, demo."""

from __future__ import annotations

import collections
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from firecrawl_feedback._cli import _main, main
from firecrawl_feedback.testing import FakeFirecrawl

from .conftest import read_ledger, write_batch

CLI = str(Path(sys.executable).with_name("firecrawl-feedback"))
#: A cap on waiting for a subprocess to make progress, not a performance threshold.
PATIENCE = 120.0


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def _env(fake: FakeFirecrawl, url: str) -> dict[str, str]:
    return {**os.environ, "FIRECRAWL_API_KEY": fake.api_key, "FIRECRAWL_API_URL": url}


def _batch_argv(source: Path, ledger: Path) -> list[str]:
    return [CLI, "batch", str(source), "--ledger", str(ledger), "--concurrency", "4"]


def _start_batch(
    fake: FakeFirecrawl, url: str, source: Path, ledger: Path
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _batch_argv(source, ledger),
        env=_env(fake, url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_no_secret(fake: FakeFirecrawl, *texts: str) -> None:
    for text in texts:
        assert fake.api_key not in text


def test_console_script_runs_a_submission_and_reports_usage_errors(
    fake: FakeFirecrawl, url: str
) -> None:
    """The installed script sends one feedback (exit 0) and rejects bad usage (exit 2)."""
    job = fake.add_job("parse", credits=8)
    done = subprocess.run(
        [CLI, "parse", job, "--rating", "bad", "--page", "2", "--json"],
        env=_env(fake, url), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f'"feedbackId": "{fake.feedback[0].feedback_id}"' in done.stdout
    _assert_no_secret(fake, done.stdout, done.stderr)
    usage = subprocess.run(
        [CLI, "parse", job], env=_env(fake, url), capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2
    assert "--rating" in usage.stderr


def test_sigkill_mid_batch_then_rerun_sends_no_recorded_line_again(
    fake: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """After kill -9, a re-run sends only unrecorded lines; every job ends stored once."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 300)
    fake.faults.random(1.0, seed=0, delay=0.02)  # slow answers, so the kill lands mid-run
    process = _start_batch(fake, url, source, ledger)
    _wait_for(lambda: len(read_ledger(ledger)) >= 40, "40 ledger records")
    process.send_signal(signal.SIGKILL)
    process.communicate()
    before = read_ledger(ledger)
    finished_before = {r["line"] for r in before}
    assert len(finished_before) < 300

    fake.faults.clear()
    rerun = subprocess.run(
        _batch_argv(source, ledger), env=_env(fake, url), capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    after = read_ledger(ledger)[len(before) :]
    assert {r["line"] for r in after}.isdisjoint(finished_before)
    assert sorted(finished_before | {r["line"] for r in after}) == list(range(1, 301))
    # A resent job would be answered alreadySubmitted with its earlier id: so each id
    # recorded before the kill must appear in exactly one answer, its own.
    answers = [r.response_body.decode() for r in fake.requests]
    for record in before:
        assert sum(record["feedbackId"] in answer for answer in answers) == 1
    stored = collections.Counter(f.job_id for f in fake.feedback)
    assert sorted(stored) == sorted(jobs)
    assert set(stored.values()) == {1}
    _assert_no_secret(fake, rerun.stdout, rerun.stderr, ledger.read_text())


def test_ctrl_c_stops_cleanly_with_a_summary_and_an_intact_ledger(
    fake: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """SIGINT finishes lines in flight, prints the summary, exits 130; a re-run completes."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 300)
    fake.faults.random(1.0, seed=0, delay=0.02)
    process = _start_batch(fake, url, source, ledger)
    _wait_for(lambda: len(read_ledger(ledger)) >= 20, "20 ledger records")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=PATIENCE)
    assert process.returncode == 130
    assert "interrupted" in err
    assert "batch summary:" in err
    lines = ledger.read_bytes().splitlines()
    assert len(read_ledger(ledger, attempts=True)) == len(lines)  # no torn record: all parse
    outcomes = read_ledger(ledger)
    assert len(outcomes) < 300
    # Lines in flight finished and were recorded: every attempt has its outcome.
    assert {r["key"] for r in read_ledger(ledger, attempts=True)} == {r["key"] for r in outcomes}
    fake.faults.clear()
    rerun = subprocess.run(
        _batch_argv(source, ledger), env=_env(fake, url), capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert collections.Counter(f.job_id for f in fake.feedback) == collections.Counter(jobs)
    _assert_no_secret(fake, out, err, rerun.stdout, rerun.stderr, ledger.read_text())


#: The console script's own lines, with SIGINT sent to itself when a module is first
#: imported: a Ctrl-C at a known point while the command loads.
_SIGINT_ON_IMPORT = """
import os, signal, sys

class Hook:
    def find_spec(self, name, path=None, target=None):
        if name == module:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)

module = sys.argv.pop(1)
sys.meta_path.insert(0, Hook())
from firecrawl_feedback._cli import main
sys.exit(main())
"""


@pytest.mark.parametrize(
    "module",
    [
        "httpx",  # under the package import, before the CLI's own code ran
        "argparse",  # the CLI's parser
        "firecrawl_feedback._cli._output",
        "firecrawl_feedback._client",  # the command's client
    ],
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_ctrl_c_while_the_command_loads_ends_in_one_line_and_exit_130(
    fake: FakeFirecrawl, url: str, module: str, json_flag: list[str]
) -> None:
    """It printed Python's KeyboardInterrupt traceback in the first 0.2 s (the imports)."""
    job = fake.add_job("parse", credits=8)
    argv = ["parse", job, "--rating", "bad", "--page", "2", *json_flag]
    done = subprocess.run(
        [sys.executable, "-c", _SIGINT_ON_IMPORT, module, *argv],
        env=_env(fake, url), capture_output=True, text=True, check=False, timeout=PATIENCE,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (130, "interrupted\n")
    assert fake.feedback == []
    if json_flag:
        assert '"class": "KeyboardInterrupt"' in done.stdout
    else:
        assert done.stdout == ""


def test_ctrl_c_while_the_arguments_are_parsed_ends_in_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Parsing ran outside the handler that the commands' Ctrl-C met."""

    def interrupt() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_main, "build_parser", interrupt)
    assert main(["--json", "parse", "x"]) == 130
    out, err = capsys.readouterr()
    assert err == "interrupted\n"
    assert '"class": "KeyboardInterrupt"' in out


def test_sigterm_ends_a_batch_like_ctrl_c_with_exit_143(
    fake: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """SIGTERM: lines in flight finish and are recorded, the summary prints, exit 143."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    write_batch(fake, source, 300)
    fake.faults.random(1.0, seed=0, delay=0.02)
    process = _start_batch(fake, url, source, ledger)
    _wait_for(lambda: len(read_ledger(ledger)) >= 20, "20 ledger records")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=PATIENCE)
    assert process.returncode == 143, err
    assert "terminated" in err
    assert "batch summary:" in err
    outcomes = read_ledger(ledger)
    assert {r["key"] for r in read_ledger(ledger, attempts=True)} == {r["key"] for r in outcomes}
    assert len(outcomes) < 300


def test_serve_prints_a_url_key_and_jobs_the_other_commands_can_use(tmp_path: Path) -> None:
    """serve runs until Ctrl-C; its URL, key and a job id work with the scrape command."""
    server = subprocess.Popen(
        [CLI, "serve", "--jobs", "4"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        banner = ""
        while "Ctrl-C" not in banner:
            line = server.stdout.readline()
            assert line, "serve exited early"
            banner += line
        url = re.search(r"FIRECRAWL_API_URL=(\S+)", banner)
        key = re.search(r"FIRECRAWL_API_KEY=(\S+)", banner)
        kinds = re.findall(r"^  (scrape|parse|map|search) +(\S+)$", banner, re.MULTILINE)
        assert url and key
        assert {kind for kind, _ in kinds} == {"scrape", "parse", "map", "search"}
        scrape_job = next(job for kind, job in kinds if kind == "scrape")
        env = {**os.environ, "FIRECRAWL_API_URL": url[1], "FIRECRAWL_API_KEY": key[1]}
        done = subprocess.run(
            [CLI, "scrape", scrape_job, "--rating", "bad", "--note", "cut off"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Feedback recorded:" in done.stdout
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=PATIENCE)
    assert server.returncode == 0


def test_demo_runs_offline_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's deliberate failures are reported as intended and it exits 0."""
    assert main(["demo", "--dir", str(tmp_path), "--progress", "none"]) == 0
    out = capsys.readouterr().out
    assert "demo OK" in out
    assert "FEEDBACK_WINDOW_EXPIRED" in out
    assert "FAIL" not in out
    assert (tmp_path / "demo-ledger.jsonl").exists()


@pytest.mark.parametrize("where", [0, -1])
def test_demo_with_json_prints_one_document_of_what_each_step_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: int
) -> None:
    """--json demo printed the text form (and demo --json was a usage error)."""
    argv = ["demo", "--dir", str(tmp_path), "--progress", "none"]
    argv.insert(where % (len(argv) + 1), "--json")
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["searchRoute"]["alreadySubmitted"] is False
    assert (report["batch"]["failed"], report["batchAgain"]["sent"]) == (3, 0)
    assert report["resentNothing"] is True
    checked = {line["error"]: line for line in report["lines"] if line["error"]}
    assert checked["FEEDBACK_WINDOW_EXPIRED"]["outcome"] == "failed"
    assert all(line["ok"] for line in report["lines"])
    assert report["ledger"] == str(tmp_path / "demo-ledger.jsonl")


def test_a_second_ctrl_c_abandons_lines_in_flight_and_says_how_many(
    fake: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """Two SIGINTs: the lines in flight are counted as abandoned; a re-run completes them."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 20)
    fake.faults.next(100, delay=15.0)  # every answer takes long: 4 lines stay in flight
    try:
        process = _start_batch(fake, url, source, ledger)
        _wait_for(lambda: len(read_ledger(ledger, attempts=True)) >= 4, "4 lines in flight")
        process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=PATIENCE)
    finally:
        fake.faults.clear()
    assert process.returncode == 130, err
    assert "abandoned     4 in flight when stopped" in err
    rerun = subprocess.run(
        _batch_argv(source, ledger), env=_env(fake, url), capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert collections.Counter(f.job_id for f in fake.feedback) == collections.Counter(jobs)


def _wchan(process: subprocess.Popen[str]) -> str | None:
    """What the process's main thread waits in (Linux), None where that cannot be read."""
    try:
        return Path(f"/proc/{process.pid}/wchan").read_text()
    except OSError:
        return None


def test_one_ctrl_c_while_a_named_pipe_waits_for_its_writer_exits_130(
    fake: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """Opening a pipe without a writer blocks outside the event loop: one Ctrl-C still ends
    the run at once, in one line (it used to take a second Ctrl-C and show a traceback)."""
    fifo, ledger = tmp_path / "input.fifo", tmp_path / "ledger.jsonl"
    os.mkfifo(fifo)
    process = _start_batch(fake, url, fifo, ledger)
    try:
        if _wchan(process) is None:
            pytest.skip("needs /proc/PID/wchan to see the process wait for the pipe")
        _wait_for(lambda: _wchan(process) == "wait_for_partner", "the run to open the pipe")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=PATIENCE)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert err == "interrupted\n"
    assert read_ledger(ledger, attempts=True) == []


@pytest.mark.parametrize("through", ["named pipe", "stdin"])
def test_ctrl_c_while_the_input_pipe_stays_silent_ends_the_batch(
    fake: FakeFirecrawl, url: str, tmp_path: Path, through: str
) -> None:
    """The reader thread blocks in a read that never returns: Ctrl-C still ends the run with
    its summary and 130 (it used to hang closing the pipe, or abort at exit on stdin)."""
    ledger = tmp_path / "ledger.jsonl"
    (job,) = write_batch(fake, tmp_path / "line.jsonl", 1)
    line = (tmp_path / "line.jsonl").read_bytes()
    if through == "stdin":
        read_end, write_end = os.pipe()
        process = subprocess.Popen(
            [CLI, "batch", "-", "--ledger", str(ledger)], env=_env(fake, url), stdin=read_end,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        os.close(read_end)
    else:
        fifo = tmp_path / "input.fifo"
        os.mkfifo(fifo)
        process = _start_batch(fake, url, fifo, ledger)
        write_end = os.open(fifo, os.O_WRONLY)  # waits until the run opens it
    try:
        os.write(write_end, line)  # one line, then silence: the writer stays open
        _wait_for(lambda: len(read_ledger(ledger)) == 1, "the line's outcome")
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=PATIENCE)  # TimeoutExpired: it hung
    finally:
        os.close(write_end)
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "batch summary:" in err
    assert "Fatal Python error" not in err
    assert "Traceback" not in err
    assert [f.job_id for f in fake.feedback] == [job]


def test_a_progress_bar_on_a_pipe_nobody_reads_neither_stops_nor_hangs_the_batch(
    fake: FakeFirecrawl, url: str, tmp_path: Path
) -> None:
    """EPIPE on the bar's stream (stderr piped to a reader that went away): the display goes
    quiet, every line is still sent and recorded, exit 0 (the recorder died: it hung)."""
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 300)
    fake.faults.random(1.0, seed=0, delay=0.02)  # the run outlasts the bar's first refresh
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [*_batch_argv(source, ledger), "--progress", "bar"], env=_env(fake, url),
        stdout=subprocess.DEVNULL, stderr=write_end,
    )  # fmt: skip
    os.close(write_end)
    try:
        os.read(read_end, 1)  # the bar has started drawing
        os.close(read_end)  # and nobody reads any more
        process.wait(timeout=PATIENCE)  # TimeoutExpired: it hung
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert sorted(r["jobId"] for r in read_ledger(ledger)) == sorted(jobs)
    assert sorted(f.job_id for f in fake.feedback) == sorted(jobs)


@pytest.mark.parametrize(
    ("seed", "signals"),
    [(1, (signal.SIGKILL,)), (2, (signal.SIGTERM,)), (3, (signal.SIGINT, signal.SIGINT))],
    ids=["kill-9", "sigterm", "ctrl-c-twice"],
)
def test_a_batch_killed_while_the_server_holds_stored_answers_resumes_exactly(
    fake: FakeFirecrawl, url: str, tmp_path: Path, seed: int, signals: tuple[signal.Signals, ...]
) -> None:
    """Killed after a seeded number of requests, each stored before its answer is held back.

    Before the resume: no job the server holds is recorded failed. The resume sends no
    job recorded stored again, prints no traceback, and ends with every job stored once.
    """
    rng = random.Random(seed)  # noqa: S311 - a reproducible kill point, not a secret
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    jobs = write_batch(fake, source, 30)
    sent: list[str] = []  # the job of every request the server received, in order
    exchange = fake.exchange

    def counting(method: str, path: str, headers: Any, body: bytes, fault: Any) -> Any:
        sent.append(json.loads(body)["jobId"])
        return exchange(method, path, headers, body, fault)

    fake.exchange = counting  # type: ignore[method-assign]
    fake.faults.random(1.0, seed=seed, delay=0.3, after_processing=True)  # stored, then slow
    fake.faults.next(3, drop=True, after_processing=True)  # stored, answer lost
    process = _start_batch(fake, url, source, ledger)
    at = rng.randint(4, 20)
    _wait_for(lambda: len(sent) >= at, f"{at} requests")
    for sig in signals:
        process.send_signal(sig)
    _, err = process.communicate(timeout=PATIENCE)
    assert "Traceback" not in err
    latest = {r["jobId"]: r for r in read_ledger(ledger)}
    held = {f.job_id for f in fake.feedback}
    assert not [r for job, r in latest.items() if r["outcome"] == "failed" and job in held]
    stored_before = {job for job, r in latest.items() if r["outcome"] in ("success", "duplicate")}

    fake.faults.clear()
    before = len(sent)
    rerun = subprocess.run(
        _batch_argv(source, ledger), env=_env(fake, url), capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert stored_before.isdisjoint(sent[before:])
    assert collections.Counter(f.job_id for f in fake.feedback) == collections.Counter(jobs)
    final = {r["jobId"]: r["outcome"] for r in read_ledger(ledger)}
    assert set(final.values()) <= {"success", "duplicate"} and len(final) == len(jobs)
