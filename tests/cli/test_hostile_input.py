"""Single-job commands given what a careless user or script passes: every outcome is one
clear message (JSON too with --json), never a traceback, never the key."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest
from firecrawl_feedback._cli import main
from firecrawl_feedback._cli._exitcodes import ExitCode
from firecrawl_feedback.testing import FakeFirecrawl

from tests.faults import rawserver

CLI = str(Path(sys.executable).with_name("firecrawl-feedback"))
JOB = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
KEY = "fc-hostile-input-0123456789"
#: A cap on waiting for a subprocess, not a performance threshold.
PATIENCE = 120.0


def test_metadata_nested_deeper_than_the_parser_goes_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """json.loads raises RecursionError, not ValueError: it used to end in a traceback."""
    deep = "[" * 100_000 + "]" * 100_000
    argv = ["scrape", JOB, "--rating", "bad", "--note", "n", "--metadata", deep, "--json"]
    assert main(argv) == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert "argument --metadata: JSON nested too deeply" in err
    assert json.loads(out)["error"]["class"] == "UsageError"


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    "flag", ["--note", "--issue", "--url", "--source", "--missing", "--metadata", "--page"]
)
def test_argument_bytes_that_are_not_utf8_are_refused_not_sent(
    flag: str, fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python passes undecodable argv bytes on as lone surrogates (surrogateescape); sent,
    the server would store "caf\\udce9" for the "café" of a Latin-1 terminal."""
    job = fake.add_job("scrape")
    assert main(["scrape", job, "--rating", "bad", "--note", "n", flag, "caf\udce9"]) == 2
    assert f"argument {flag}: not UTF-8 text: byte 0xe9 at position 3" in capsys.readouterr().err
    assert fake.requests == []


def _run(
    *argv: str, env: dict[str, str] | None = None, stdout: int | IO[bytes] = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    base = {**os.environ, "FIRECRAWL_API_KEY": KEY, "FIRECRAWL_API_URL": "http://127.0.0.1:9"}
    return subprocess.run(
        [CLI, *argv], env={**base, **(env or {})}, stdout=stdout, stderr=subprocess.PIPE,
        timeout=120, check=False,
    )  # fmt: skip


def test_json_output_survives_an_ascii_only_stdout() -> None:
    """PYTHONIOENCODING=ascii: what the stream cannot encode is escaped, and stays JSON."""
    run = _run("scrape", JOB, "--rating", "bad", "--issue", "Été😀", "--json",
               env={"PYTHONIOENCODING": "ascii"})  # fmt: skip
    assert run.returncode == ExitCode.INVALID_INPUT, run.stderr
    assert b"Traceback" not in run.stderr
    error = json.loads(run.stdout.decode("ascii"))["error"]
    assert "Été😀" in error["violations"][0]["rule"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line_on_stderr_and_the_exit_code_stays() -> None:
    """ENOSPC on stdout used to be a traceback (exit 1); now the error is said once and the
    exit code still says how the command went."""
    with Path("/dev/full").open("wb") as full:
        run = _run("scrape", JOB, "--rating", "bad", "--json", stdout=full)
    assert run.returncode == ExitCode.INVALID_INPUT
    err = run.stderr.decode()
    assert "Traceback" not in err
    assert err.count("error: cannot write standard output: No space left on device") == 1


@pytest.mark.parametrize("spelling", ["--js", "--jso", "--json=1"])
def test_a_usage_error_prints_json_however_json_was_asked_for(
    spelling: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse takes --js for --json; the usage-error path only looked for "--json"."""
    assert main(["scrape", JOB, "--rating", "great", spelling]) == ExitCode.USAGE
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["class"] == "UsageError"
    assert "--rating" in error["message"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--apikey", KEY, "scrape", JOB, "--rating", "bad", "--json"],
        ["--API_KEY", KEY, "scrape", JOB, "--rating", "bad", "--json"],
        ["scrape", JOB, "--rating", "bad", "--json", KEY],  # a stray $FIRECRAWL_API_KEY
    ],
)
def test_a_usage_error_never_quotes_the_key(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse quotes a stray value ("invalid choice: 'fc-...'"): masked, on both streams."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", KEY)
    assert main(argv) == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert "***" in err
    assert KEY not in out + err
    json.loads(out)


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize("option", ["--base-url=", "--api-key=", "--api-key= "])
def test_an_empty_base_url_or_key_is_refused_not_replaced_by_the_default(
    option: str, fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--base-url "$UNSET"` used to fall back silently to the environment or production."""
    job = fake.add_job("scrape")
    assert main(["scrape", job, "--rating", "bad", "--note", "n", option]) == ExitCode.USAGE
    flag = option.partition("=")[0]
    assert f"argument {flag}: must not be empty" in capsys.readouterr().err
    assert fake.requests == []


@pytest.mark.parametrize(
    ("argv", "environment", "source"),
    [
        (["--base-url", "http://api.example.com"], {}, "--base-url"),
        ([], {"FIRECRAWL_API_URL": "http://api.example.com"}, "FIRECRAWL_API_URL"),
        (["--api-key", "fc-a b-0123456789"], {}, "--api-key"),
        ([], {"FIRECRAWL_API_KEY": "fc-a\x01b-0123456789"}, "FIRECRAWL_API_KEY"),
    ],
)
def test_a_refused_url_or_key_says_where_it_came_from(
    argv: list[str],
    environment: dict[str, str],
    source: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The client's message names its parameter (base_url); the user set a flag or a variable."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", KEY)
    monkeypatch.delenv("FIRECRAWL_API_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["scrape", JOB, "--rating", "bad", "--note", "n", *argv]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.rstrip().endswith(f"(from {source})")


@pytest.mark.parametrize(
    ("sig", "code", "line"),
    [(signal.SIGINT, ExitCode.INTERRUPTED, "interrupted"),
     (signal.SIGTERM, ExitCode.TERMINATED, "terminated")],
)  # fmt: skip
def test_a_signal_during_the_call_is_one_line_one_json_object_and_its_exit_code(
    sig: signal.Signals, code: ExitCode, line: str
) -> None:
    """SIGTERM (`timeout 30 firecrawl-feedback ...`) used to kill the process silently: no
    line, no JSON; now it ends like Ctrl-C."""
    arrived, release = threading.Event(), threading.Event()

    def hold(conn: socket.socket) -> None:
        arrived.set()
        release.wait(PATIENCE)

    with rawserver.raw_server(hold) as url:
        process = subprocess.Popen(
            [CLI, "scrape", JOB, "--rating", "bad", "--note", "n", "--json", "--base-url", url],
            env={**os.environ, "FIRECRAWL_API_KEY": KEY}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            assert arrived.wait(PATIENCE), "the request never arrived"
            process.send_signal(sig)
            out, err = process.communicate(timeout=PATIENCE)
        finally:
            release.set()
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == code
    assert err.decode() == f"{line}\n"
    assert json.loads(out)["error"]["message"] == line
