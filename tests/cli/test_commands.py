"""Single submissions through main(): output, --json, and one exit code per class of failure."""

from __future__ import annotations

import json

import pytest
from firecrawl_feedback._cli import main
from firecrawl_feedback._cli._exitcodes import ExitCode
from firecrawl_feedback.testing import FakeFirecrawl

pytestmark = pytest.mark.usefixtures("env")

UNKNOWN_JOB = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"


def test_scrape_success_is_printed_readably(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stored feedback prints its id and refund, exit code 0."""
    job = fake.add_job("scrape", credits=1)
    assert main(["scrape", job, "--rating", "bad", "--issue", "missing_content"]) == 0
    out = capsys.readouterr().out
    (stored,) = fake.feedback
    assert f"Feedback recorded: {stored.feedback_id}" in out
    assert "credits refunded: 1" in out
    assert stored.body["issues"] == ["missing_content"]


def test_json_prints_the_result_as_json(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints the result object; a second submission reports alreadySubmitted."""
    job = fake.add_job("map", credits=1)
    assert main(["--json", "map", job, "--rating", "partial", "--url", "https://a.example/"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["feedbackId"] == fake.feedback[0].feedback_id
    assert first["alreadySubmitted"] is False
    assert main(["map", job, "--rating", "partial", "--note", "again", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["alreadySubmitted"] is True
    assert len(fake.feedback) == 1


def test_search_uses_the_search_route(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """The search command posts to /v2/search/{jobId}/feedback with sources and reasons."""
    job = fake.add_job("search", credits=2)
    argv = ["search", job, "--rating", "good", "--source", "https://a.example/?q=1=exact answer"]
    assert main(argv) == 0
    (stored,) = fake.feedback
    assert stored.route == "search"
    assert stored.body["valuableSources"] == [
        {"url": "https://a.example/?q=1", "reason": "exact answer"}
    ]
    assert fake.requests[-1].path == f"/v2/search/{job}/feedback"


def test_invalid_input_lists_every_field_and_exits_3(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """Client-side validation names each broken field on stderr; nothing is sent."""
    job = fake.add_job("parse")
    argv = ["parse", job, "--rating", "bad", "--issue", "Bad Code", "--page", "0"]
    assert main(argv) == ExitCode.INVALID_INPUT == 3
    err = capsys.readouterr().err
    assert "invalid input (2 fields)" in err
    assert "issues[0]:" in err
    assert "pageNumbers[0]:" in err  # the wire body the command builds
    assert fake.requests == []


def test_json_error_goes_to_stdout_as_well(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --json an error is also a JSON object on stdout (class, status, code, fields)."""
    job = fake.add_job("search")
    assert main(["--json", "search", job, "--rating", "good"]) == ExitCode.INVALID_INPUT
    captured = capsys.readouterr()
    error = json.loads(captured.out)["error"]
    assert error["class"] == "ValidationError"
    assert error["violations"][0]["field"] == "rating"
    assert "rating:" in captured.err


@pytest.mark.parametrize(("status", "maybe_stored"), [(500, True), (404, False)])
def test_json_error_says_whether_the_server_may_hold_the_feedback(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str], status: int, maybe_stored: bool
) -> None:
    """A script deciding whether to send again reads maybeStored, as an agent does over MCP."""
    job = fake.add_job("scrape")
    fake.faults.next(1, status=status, retry_after=0)
    argv = ["--json", "scrape", job, "--rating", "bad", "--note", "n", "--max-retries", "0"]
    main(argv)
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["status"], error["attempts"], error["maybeStored"]) == (status, 1, maybe_stored)


@pytest.mark.parametrize(
    ("setup", "code", "shown"),
    [
        ("unknown job", ExitCode.NOT_FOUND, "JOB_NOT_FOUND"),
        ("expired job", ExitCode.CONFLICT, "FEEDBACK_WINDOW_EXPIRED"),
        ("opted out", ExitCode.AUTH, "TEAM_OPTED_OUT"),
        ("status 400", ExitCode.INVALID_INPUT, "400"),
        ("status 413", ExitCode.INVALID_INPUT, "413"),
        ("status 429", ExitCode.RATE_LIMITED, "429"),
        ("status 500", ExitCode.SERVER, "500"),
        ("status 418", ExitCode.SERVER, "418"),
    ],
)
def test_each_server_failure_has_its_exit_code(
    setup: str,
    code: ExitCode,
    shown: str,
    fake: FakeFirecrawl,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """404, 409, 403, 400/413, 429, 5xx and odd statuses map to their documented codes."""
    job = fake.add_job("scrape", age=fake.feedback_window + 1 if setup == "expired job" else 0)
    if setup == "unknown job":
        job = UNKNOWN_JOB
    if setup == "opted out":
        fake.team.opted_out = True
    if setup.startswith("status"):
        fake.faults.next(1, status=int(setup.split()[1]), retry_after=0)
    argv = ["scrape", job, "--rating", "bad", "--note", "n", "--max-retries", "0"]
    assert main(argv) == code
    assert shown in capsys.readouterr().err


def test_wrong_key_exits_4_without_echoing_the_key(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 401 exits 4; neither the wrong key nor the right one is printed."""
    job = fake.add_job("scrape")
    wrong = "fc-wrong-key-0123456789abcdef"
    argv = ["scrape", job, "--rating", "bad", "--note", "n", "--api-key", wrong, "--json"]
    assert main(argv) == ExitCode.AUTH == 4
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"]["status"] == 401
    for secret in (wrong, fake.api_key):
        assert secret not in captured.out + captured.err
    assert "check the key: --api-key, or the FIRECRAWL_API_KEY environment variable" in (
        captured.err
    )


def test_unreachable_server_exits_8(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused connection (a port nobody listens on) is a transport failure."""
    with fake.serve() as gone:
        pass  # the server stops here: its port refuses connections now
    argv = ["scrape", UNKNOWN_JOB, "--rating", "bad", "--note", "n", "--base-url", gone]
    assert main([*argv, "--max-retries", "1"]) == ExitCode.TRANSPORT == 8
    assert "could not reach the API" in capsys.readouterr().err


def test_unsafe_base_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Plain http to a remote host is refused before anything is sent (it would leak the key)."""
    argv = ["scrape", UNKNOWN_JOB, "--rating", "bad", "--note", "n"]
    assert main([*argv, "--base-url", "http://api.example.com"]) == ExitCode.USAGE
    assert "http://" in capsys.readouterr().err


#: A 400 INVALID_BODY as the server words it, for a body the client let through.
_INVALID_BODY = {
    "success": False,
    "error": "Invalid request body",
    "feedbackErrorCode": "INVALID_BODY",
    "details": [
        {"code": "too_big", "path": ["note"], "message": "String must contain at most 9 chars"},
        {"code": "custom", "path": ["missingContent", 0], "message": "Expected a topic"},
    ],
}


@pytest.mark.parametrize("command", ["scrape", "search"])
def test_a_servers_400_lists_each_field_issue_once(
    fake: FakeFirecrawl, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Text and --json printed the details twice: in the message and listed after it."""
    job = fake.add_job(command)  # type: ignore[arg-type]
    signal = ["--note", "n"] if command == "scrape" else ["--missing", "t"]
    argv = [command, job, "--rating", "bad", *signal]
    for json_flag in ([], ["--json"]):
        fake.faults.next(1, status=400, body=_INVALID_BODY)
        assert main([*json_flag, *argv]) == ExitCode.INVALID_INPUT
        out, err = capsys.readouterr()
        for issue in ("note: String must", "missing_content[0]: Expected"):
            assert err.count(issue) == 1, err
        assert err.startswith("error: HTTP 400: Invalid request body [INVALID_BODY]\n"), err
        if json_flag:
            error = json.loads(out)["error"]
            assert error["message"] == "HTTP 400: Invalid request body [INVALID_BODY]"
            assert [v["field"] for v in error["violations"]] == ["note", "missing_content[0]"]
