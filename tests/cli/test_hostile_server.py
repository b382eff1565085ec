"""The command line against a server whose text no terminal or UTF-8 file takes as it is.

JSON escapes can carry lone surrogates (which no UTF-8 stream can write) and control
characters (terminal escape sequences) into a feedback ID, a warning or an error
message: the batch still records every line, the ledger stays readable, and
nothing reaches the terminal raw.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults import rawserver

from .conftest import read_ledger

CLI = str(Path(sys.executable).with_name("firecrawl-feedback"))
KEY = "fc-hostile-cli-0123456789"
JOB = "0190d7a2-3c4b-7d5e-8f60-123456789abc"
#: A lone surrogate and a "clear the screen" escape sequence (C0 and C1).
NASTY = "\ud800 \x1b[2J \x9b"
ANSWERS = {
    "success": (
        200,
        {"success": True, "feedbackId": NASTY, "creditsRefunded": 1, "warning": NASTY},
    ),
    "error": (
        400,
        {
            "success": False,
            "error": NASTY,
            "feedbackErrorCode": "INVALID_BODY",
            "details": [{"path": [NASTY], "message": NASTY}],
        },
    ),
}


def _answer(kind: str) -> rawserver.Answer:
    status, body = ANSWERS[kind]
    content = json.dumps(body).encode()  # ASCII: every one of them as a \u escape

    def send(conn: socket.socket) -> None:
        conn.sendall(rawserver.head(status, f"Content-Length: {len(content)}") + content)

    return send


def _run(url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # strict, as a UTF-8 terminal
    return subprocess.run(
        [CLI, *args, "--base-url", url, "--api-key", KEY, "--max-retries", "0"],
        capture_output=True, timeout=120, check=False, env=env,
    )  # fmt: skip


def _shown(run: subprocess.CompletedProcess[bytes]) -> str:
    text = (run.stdout + run.stderr).decode("utf-8")  # strict: valid UTF-8 throughout
    assert "Traceback" not in text
    assert "\x1b" not in text and "\x9b" not in text
    return text


@pytest.mark.parametrize(
    ("kind", "code", "outcome"), [("success", 0, "success"), ("error", 1, "failed")]
)
@pytest.mark.parametrize("as_json", [False, True])
def test_a_batch_records_and_shows_a_servers_unwritable_text(
    kind: str, code: int, outcome: str, as_json: bool, tmp_path: Path
) -> None:
    source, ledger = tmp_path / "batch.jsonl", tmp_path / "ledger.jsonl"
    source.write_text(
        json.dumps({"endpoint": "scrape", "jobId": JOB, "rating": "bad", "note": "x"}) + "\n"
    )
    extra = ["--json"] if as_json else []
    with rawserver.raw_server(_answer(kind)) as url:
        run = _run(url, "batch", str(source), "--ledger", str(ledger), "--progress", "none", *extra)
    _shown(run)
    assert run.returncode == code
    ledger.read_bytes().decode("utf-8")  # strict
    [record] = read_ledger(ledger)
    assert record["outcome"] == outcome
    if kind == "success":
        assert record["feedbackId"] == NASTY  # kept as the server sent it


@pytest.mark.parametrize("kind", list(ANSWERS))
@pytest.mark.parametrize("as_json", [False, True])
def test_a_single_rating_shows_a_servers_unwritable_text_escaped(kind: str, as_json: bool) -> None:
    extra = ["--json"] if as_json else []
    with rawserver.raw_server(_answer(kind)) as url:
        run = _run(url, "scrape", JOB, "--rating", "bad", "--note", "x", *extra)
    text = _shown(run)
    assert "\\ud800" in text and "\\u001b" in text
    if as_json:
        json.loads(run.stdout)  # still one JSON document
