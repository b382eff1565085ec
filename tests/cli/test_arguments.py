"""Turning command-line options into a wire body, and usage errors."""

from __future__ import annotations

import argparse

import pytest
from firecrawl_feedback._cli import main
from firecrawl_feedback._cli._exitcodes import ExitCode
from firecrawl_feedback._cli._fields import body_from, parse_source
from firecrawl_feedback._cli._main import _rate_per_minute, build_parser

JOB = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://a.example/doc", {"url": "https://a.example/doc"}),
        (
            "https://a.example/doc=has the table",
            {"url": "https://a.example/doc", "reason": "has the table"},
        ),
        ("https://a.example/?q=1", {"url": "https://a.example/?q=1"}),
        ("https://a.example/?q=1&r=2", {"url": "https://a.example/?q=1&r=2"}),
        (
            "https://a.example/?q=1=cats & dogs",
            {"url": "https://a.example/?q=1", "reason": "cats & dogs"},
        ),
        ("https://a.example/?q=1&r=2=why", {"url": "https://a.example/?q=1&r=2", "reason": "why"}),
        ("https://a.example/x=a=b", {"url": "https://a.example/x", "reason": "a=b"}),
        ("https://a.example/?sig=YWJj==", {"url": "https://a.example/?sig=YWJj=="}),
        ("https://a.example/?sig=YW==&r=2", {"url": "https://a.example/?sig=YW==&r=2"}),
        (
            "https://a.example/?sig=YWJj===signed",
            {"url": "https://a.example/?sig=YWJj==", "reason": "signed"},
        ),
    ],
)
def test_source_splits_the_reason_off_but_keeps_query_pairs(
    text: str, expected: dict[str, str]
) -> None:
    """--source URL=REASON: '=' in a query's key=value pairs stays in the URL."""
    assert parse_source(text) == expected


def test_missing_splits_at_the_first_equals_sign() -> None:
    """--missing TOPIC=DESCRIPTION keeps later '=' in the description."""
    args = build_parser().parse_args(
        ["scrape", JOB, "--rating", "bad", "--missing", "pricing", "--missing", "a=the a=b table"]
    )
    assert args.missing_content == [
        {"topic": "pricing"},
        {"topic": "a", "description": "the a=b table"},
    ]


@pytest.mark.parametrize(
    ("text", "per_minute"),
    [("1000/min", 1000.0), ("600", 600.0), ("20/s", 1200.0), ("0", 0.0)],
)
def test_max_rate_accepts_per_minute_and_per_second(text: str, per_minute: float) -> None:
    """--max-rate takes N/min, N/s or a bare per-minute number; 0 means no limit."""
    assert _rate_per_minute(text) == per_minute


@pytest.mark.parametrize("text", ["fast", "10/h", "-5"])
def test_max_rate_rejects_nonsense(text: str) -> None:
    """Unknown units and negative rates are argument errors."""
    with pytest.raises(argparse.ArgumentTypeError):
        _rate_per_minute(text)


def test_endpoint_body_holds_only_the_given_options() -> None:
    """Every option maps to its camelCase field; options not given are left out."""
    args = build_parser().parse_args(
        [
            "scrape",
            JOB,
            "--rating",
            "bad",
            "--issue",
            "missing_content",
            "--issue",
            "x",
            "--tag",
            "t",
            "--note",
            "n",
            "--url",
            "https://a.example/",
            "--page",
            "2",
            "--source",
            "https://b.example/=good",
            "--missing",
            "prices=all of them",
            "--query-suggestions",
            "q",
            "--metadata",
            '{"run": 7}',
            "--integration",
            "cli",
            "--origin",
            "o",
        ]
    )
    assert body_from(args) == {
        "endpoint": "scrape",
        "jobId": JOB,
        "rating": "bad",
        "issues": ["missing_content", "x"],
        "tags": ["t"],
        "note": "n",
        "url": "https://a.example/",
        "pageNumbers": [2],
        "metadata": {"run": 7},
        "valuableSources": [{"url": "https://b.example/", "reason": "good"}],
        "missingContent": [{"topic": "prices", "description": "all of them"}],
        "querySuggestions": "q",
        "integration": "cli",
        "origin": "o",
    }
    minimal = build_parser().parse_args(["map", JOB, "--rating", "good", "--note", "fine"])
    assert body_from(minimal) == {
        "endpoint": "map",
        "jobId": JOB,
        "rating": "good",
        "note": "fine",
    }


def test_search_body_has_no_endpoint_or_job_id() -> None:
    """The search route takes the job id in the path, so the body leaves it out."""
    args = build_parser().parse_args(
        ["search", JOB, "--rating", "good", "--source", "https://a.example/"]
    )
    assert body_from(args) == {
        "rating": "good",
        "valuableSources": [{"url": "https://a.example/"}],
    }


def test_global_options_work_before_and_after_the_command() -> None:
    """--json and --base-url are accepted on either side of the command name."""
    before = build_parser().parse_args(
        ["--json", "--base-url", "http://127.0.0.1:1", "map", JOB, "--rating", "good"]
    )
    after = build_parser().parse_args(
        ["map", JOB, "--rating", "good", "--json", "--base-url", "http://127.0.0.1:1"]
    )
    assert (
        (before.json, before.base_url)
        == (after.json, after.base_url)
        == (True, "http://127.0.0.1:1")
    )
    neither = build_parser().parse_args(["map", JOB, "--rating", "good"])
    assert (neither.json, neither.base_url) == (False, None)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["scrape"],
        ["scrape", JOB],
        ["scrape", JOB, "--rating", "great"],
        ["scrape", JOB, "--rating", "bad", "--metadata", "[1]"],
        ["scrape", JOB, "--rating", "bad", "--metadata", "{oops"],
        ["scrape", JOB, "--rating", "bad", "--page", "two"],
        ["search", JOB, "--rating", "bad", "--note", "search has no note"],
        ["batch", "file.jsonl"],
        ["batch", "file.jsonl", "--ledger", "l", "--concurrency", "0"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Missing or malformed arguments exit with the usage code and say why on stderr."""
    assert main(argv) == ExitCode.USAGE == 2
    assert "usage:" in capsys.readouterr().err


def test_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    """--help ends with the exit-code table and exits 0."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for code in ExitCode:
        assert f"  {int(code):>3}  " in out


def test_missing_api_key_exits_with_the_auth_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --api-key or FIRECRAWL_API_KEY nothing is sent and the exit code is 4."""
    monkeypatch.delenv("FIRECRAWL_API_KEY", raising=False)
    assert main(["scrape", JOB, "--rating", "bad", "--note", "n"]) == ExitCode.AUTH
    assert "FIRECRAWL_API_KEY" in capsys.readouterr().err


def test_imports_stay_lazy() -> None:
    """import firecrawl_feedback skips the CLI; one submission skips tqdm, aiolimiter, the fake."""
    import subprocess
    import sys

    code = (
        "import sys, firecrawl_feedback\n"
        "assert 'firecrawl_feedback._cli' not in sys.modules\n"
        "from firecrawl_feedback._cli import main\n"
        "main(['scrape', '0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e', '--rating', 'bad'])\n"
        "heavy = {'tqdm', 'aiolimiter', 'firecrawl_feedback.testing'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={"PATH": "", "FIRECRAWL_API_KEY": "fc-key-for-a-validation-error"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
