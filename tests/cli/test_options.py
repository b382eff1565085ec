"""Options: bounds on every number, help for every option, working examples, JSON errors."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from firecrawl_feedback import ConfigurationError
from firecrawl_feedback._cli import _main, main
from firecrawl_feedback._cli._exitcodes import ExitCode
from firecrawl_feedback._cli._main import build_parser
from firecrawl_feedback._cli._serve import describe

JOB = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "80000"],
        ["serve", "--port", "-1"],
        ["serve", "--jobs", "0"],
        ["serve", "--jobs", "10000000000"],
        ["batch", "f", "--ledger", "l", "--max-rate", "nan"],
        ["batch", "f", "--ledger", "l", "--max-rate", "inf"],
        ["batch", "f", "--ledger", "l", "--max-rate", "-inf/s"],
        ["batch", "f", "--ledger", "l", "--max-rate", "1e400"],
        ["batch", "f", "--ledger", "l", "--max-rate", "1e-30"],
        ["batch", "f", "--ledger", "l", "--concurrency", "0"],
        ["batch", "f", "--ledger", "l", "--concurrency", "1000000000"],
        ["scrape", JOB, "--rating", "bad", "--timeout", "nan"],
        ["scrape", JOB, "--rating", "bad", "--timeout", "inf"],
        ["scrape", JOB, "--rating", "bad", "--timeout", "0"],
        ["scrape", JOB, "--rating", "bad", "--max-retries", "-1"],
        ["scrape", JOB, "--rating", "bad", "--max-retries", "99999999"],
    ],
)
def test_numeric_options_out_of_range_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Ports, rates, concurrency, timeouts, retries: argparse errors naming the option, exit 2."""
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"argument {argv[-2]}" in err
    assert "Traceback" not in err


def _all_parsers() -> list[argparse.ArgumentParser]:
    parser = build_parser()
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            parsers += list(action.choices.values())
    return parsers


def test_every_option_has_help_and_shows_its_default() -> None:
    """No option is undocumented; an option with a real default says what it is."""
    for parser in _all_parsers():
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{parser.prog} {action.option_strings or action.dest}"
        text = parser.format_help()
        for action in parser._actions:
            default = action.default
            if action.option_strings and default not in (None, False, argparse.SUPPRESS):
                if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
                    continue
                assert f"(default: {default})" in " ".join(text.split()), (parser.prog, action)


def _examples(text: str) -> list[list[str]]:
    commands = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("firecrawl-feedback "):
            argv = shlex.split(stripped, comments=True)[1:]
            commands.append(argv)
    return commands


def test_every_example_in_the_help_parses_as_shown() -> None:
    """Copying an example from --help gives a command the parser accepts as intended."""
    examples = [argv for parser in _all_parsers() for argv in _examples(parser.format_help())]
    assert len(examples) >= 5
    for argv in examples:
        args = build_parser().parse_args(argv)
        if args.command == "search":
            assert args.valuable_sources == [
                {"url": "https://example.com/", "reason": "exact answer"}
            ]


def test_every_command_serve_suggests_parses() -> None:
    """The commands serve prints to try are accepted as printed."""
    jobs = [("scrape", JOB), ("parse", JOB), ("map", JOB), ("search", JOB)]
    examples = _examples(describe("http://127.0.0.1:1", "fc-test", jobs))  # type: ignore[arg-type]
    assert len(examples) == 4
    for argv in examples:
        build_parser().parse_args(argv)


def _json_out(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    value = json.loads(out)
    assert isinstance(value, dict)
    return value


def test_json_without_an_api_key_prints_an_error_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json with no key: one {"error": ...} object on stdout, exit 4."""
    monkeypatch.delenv("FIRECRAWL_API_KEY", raising=False)
    assert main(["scrape", JOB, "--rating", "bad", "--note", "n", "--json"]) == ExitCode.AUTH
    error = _json_out(capsys)["error"]
    assert isinstance(error, dict)
    assert "no API key" in error["message"]
    monkeypatch.delenv("FIRECRAWL_API_KEY", raising=False)
    assert main(["--json", "batch", "f.jsonl", "--ledger", "l"]) == ExitCode.AUTH
    assert "error" in _json_out(capsys)


def test_json_usage_errors_print_an_error_object(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad argument with --json: the usage text on stderr, one JSON object on stdout."""
    assert main(["serve", "--port", "80000", "--json"]) == ExitCode.USAGE
    error = _json_out(capsys)["error"]
    assert isinstance(error, dict)
    assert error["class"] == "UsageError"
    assert "--port" in error["message"]


def test_json_batch_start_failures_print_an_error_object(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unreadable input with --json: one JSON error object on stdout, exit 2."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", "fc-some-test-key-0001")
    argv = ["batch", str(tmp_path / "missing.jsonl"), "--ledger", str(tmp_path / "l"), "--json"]
    assert main(argv) == ExitCode.USAGE
    error = _json_out(capsys)["error"]
    assert isinstance(error, dict)
    assert "missing.jsonl" in error["message"]


@pytest.mark.parametrize("where", ["construction", "sending"])
def test_a_configuration_error_is_one_line_and_exits_2(
    where: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key the client refuses (ConfigurationError) is a one-line error, exit 2, JSON too."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", "fc-key-with-a-control-char")
    refusal = ConfigurationError("the API key holds a control character (not shown)")

    class Refusing:
        def __init__(self, *args: object, **kwargs: object) -> None:
            if where == "construction":
                raise refusal

        def __enter__(self) -> Refusing:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def submit_body(self, body: object) -> None:
            raise refusal

    monkeypatch.setattr(_main, "_make_client", lambda args, key: Refusing())
    assert main(["scrape", JOB, "--rating", "bad", "--note", "n", "--json"]) == ExitCode.USAGE
    captured = capsys.readouterr()
    assert captured.err.strip().count("\n") == 0
    assert "control character" in captured.err
    assert "Traceback" not in captured.err
    assert json.loads(captured.out)["error"]["class"] == "ConfigurationError"


#: Runs the console entry point with the CLI extras hidden, as in `pip install firecrawl-feedback`.
_WITHOUT_EXTRAS = (
    "import sys\n"
    "sys.modules['tqdm'] = None\n"
    "from firecrawl_feedback._cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@pytest.mark.parametrize(
    "argv", [["demo", "--progress", "none"], ["batch", "f.jsonl", "--ledger", "l.jsonl"]]
)
def test_without_the_cli_extras_demo_and_batch_say_what_to_install(
    argv: list[str], tmp_path: Path
) -> None:
    """A plain install: one line naming `pip install "firecrawl-feedback[cli]"`, exit 2."""
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_EXTRAS, *argv],
        capture_output=True, text=True, check=False, cwd=tmp_path,
        env={**os.environ, "FIRECRAWL_API_KEY": "fc-some-test-key-0001"},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == done.stderr.strip().splitlines()[0]
    assert 'pip install "firecrawl-feedback[cli]"' in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("where", ["/etc/hostname", "/etc/hostname/sub"])
def test_demo_in_a_folder_it_cannot_write_is_one_line_and_exit_2(
    where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad --dir is the user's path, not a bug: one line, exit 2, a JSON error with --json."""
    from firecrawl_feedback._cli import main

    assert main(["--json", "demo", "--dir", where]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "demo cannot write in" in err and "Traceback" not in err
    assert json.loads(out)["error"]["class"] == "OSError"


def test_mcp_refuses_key_and_url_options(capsys: pytest.CaptureFixture[str]) -> None:
    """mcp reads the environment only; a --api-key given before it is refused, not ignored."""
    from firecrawl_feedback._cli import main

    assert main(["--api-key", "fc-QAsecretKEY123456", "mcp"]) == 2
    out, err = capsys.readouterr()
    assert "FIRECRAWL_API_KEY" in err and "QAsecret" not in out + err
