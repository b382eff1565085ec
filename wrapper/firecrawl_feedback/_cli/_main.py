"""Argument parsing and dispatch: ``main(argv) -> exit code``."""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .. import _defaults
from .._errors import ConfigurationError
from .._version import __version__
from . import _argtypes
from ._exitcodes import ExitCode, epilog
from ._extras import missing_extras_message
from ._fields import ENDPOINTS, add_field_flags
from ._handlers import handling
from ._output import Console, Redactor, usage_error
from ._submit import run_submit

if TYPE_CHECKING:
    from .._client import AsyncFeedbackClient, FeedbackClient

_DESCRIPTION = """\
Send feedback on Firecrawl jobs (scrape, parse, map, search) and get credits back.

  firecrawl-feedback scrape JOB_ID --rating bad --issue missing_content
  firecrawl-feedback search JOB_ID --rating good --source "https://example.com/=exact answer"
  firecrawl-feedback batch feedback.jsonl --ledger feedback.ledger
  firecrawl-feedback serve        # a local fake server to try the commands on
  firecrawl-feedback demo         # the whole batch flow, offline

The API key comes from --api-key or FIRECRAWL_API_KEY (prefer the variable:
arguments are visible to other users of the machine); the base URL from
--base-url or FIRECRAWL_API_URL."""


class _Formatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Descriptions as written; each option's default shown, unless it is "not given"."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, argparse.SUPPRESS) or action.required:
            return action.help
        return super()._get_help_string(action)


class _UsageError(Exception):
    """argparse found a bad argument; the message says which and why."""


class _Parser(argparse.ArgumentParser):
    """Raises instead of exiting, so that ``--json`` can report usage errors too."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


def _global_options(*, with_defaults: bool) -> _Parser:
    """Options accepted before or after the command; only the top level sets defaults."""
    default = None if with_defaults else argparse.SUPPRESS
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("connection and output")
    group.add_argument(
        "--base-url",
        type=_argtypes.not_empty,
        default=default,
        help=f"API base URL (default: {_defaults.ENV_BASE_URL}, else {_defaults.BASE_URL})",
    )
    group.add_argument(
        "--api-key",
        type=_argtypes.not_empty,
        default=default,
        help=f"API key (default: {_defaults.ENV_API_KEY}; prefer the variable, "
        "arguments are visible in `ps`)",
    )
    group.add_argument(
        "--timeout",
        type=_argtypes.timeout_seconds,
        default=default,
        metavar="SECONDS",
        help=f"per-request timeout, above 0 and at most {_argtypes.MAX_TIMEOUT:.0f} "
        f"(default: {_defaults.TIMEOUT.read:g}, connect {_defaults.TIMEOUT.connect:g})",
    )
    group.add_argument(
        "--max-retries",
        type=_argtypes.retries,
        default=default,
        metavar="N",
        help=f"retries after the first attempt, 0 to {_argtypes.MAX_RETRIES} "
        f"(default: {_defaults.MAX_RETRIES})",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=False if with_defaults else argparse.SUPPRESS,
        help="print results (and errors, on stdout) as JSON",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="firecrawl-feedback",
        description=_DESCRIPTION,
        epilog=epilog(),
        formatter_class=_Formatter,
        parents=[_global_options(with_defaults=True)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = _global_options(with_defaults=False)
    for endpoint in ENDPOINTS:
        _add_endpoint_command(commands, endpoint, shared)
    _add_batch_command(commands, shared)
    serve = commands.add_parser(
        "serve",
        help="run the reference (fake) server on loopback and print its URL, key and jobs",
        epilog=epilog(),
        formatter_class=_Formatter,
    )
    serve.add_argument(
        "--port",
        type=_argtypes.port,
        default=0,
        help="TCP port on 127.0.0.1; 0 (the default) picks a free one",
    )
    serve.add_argument(
        "--jobs",
        type=_argtypes.serve_jobs,
        default=8,
        metavar="N",
        help=f"jobs to create, mixed kinds (1 to {_argtypes.MAX_SERVE_JOBS})",
    )
    demo = commands.add_parser(
        "demo",
        help="run a realistic batch against an in-process fake server (no key, no internet)",
        epilog=epilog(),
        formatter_class=_Formatter,
    )
    demo.add_argument(
        "--dir", type=Path, default=None,
        help="where to write the batch and ledger (default: a temporary folder)",
    )  # fmt: skip
    demo.add_argument(
        "--progress",
        choices=("auto", "bar", "plain", "none"),
        default="auto",
        help="auto: a bar on a terminal, plain lines every 2 s otherwise",
    )
    demo.add_argument(  # after the command too, as the others take it
        "--json", action="store_true", default=argparse.SUPPRESS,
        help="print what each step did as one JSON document",
    )  # fmt: skip
    commands.add_parser(
        "mcp",
        help="serve the feedback tools to agents over MCP (stdio; needs the mcp extra)",
        description="A Model Context Protocol server on stdin/stdout. The API key comes from "
        f"{_defaults.ENV_API_KEY} only, the base URL from {_defaults.ENV_BASE_URL}.",
    )
    return parser


def _add_endpoint_command(
    commands: argparse._SubParsersAction[_Parser],
    endpoint: str,
    shared: _Parser,
) -> None:
    route = "POST /v2/search/{jobId}/feedback" if endpoint == "search" else "POST /v2/feedback"
    command = commands.add_parser(
        endpoint,
        help=f"feedback on one {endpoint} job ({route})",
        description=f"Send feedback on one {endpoint} job through {route}.",
        epilog=epilog(),
        formatter_class=_Formatter,
        parents=[shared],
    )
    command.set_defaults(endpoint=endpoint)
    command.add_argument("job_id", metavar="JOB_ID", help="the job's id (a UUID)")
    add_field_flags(command, endpoint)


def _add_batch_command(
    commands: argparse._SubParsersAction[_Parser],
    shared: _Parser,
) -> None:
    batch = commands.add_parser(
        "batch",
        help="send a JSON Lines file of POST /v2/feedback bodies, resumably",
        description=(
            "Send FILE (JSON Lines, one POST /v2/feedback body per line; '-' for stdin).\n"
            "Each line's outcome is appended to LEDGER; running the same command again\n"
            "skips finished lines and retries transient failures."
        ),
        epilog=epilog(),
        formatter_class=_Formatter,
        parents=[shared],
    )
    batch.add_argument("file", metavar="FILE", help="JSON Lines file, or '-' for stdin")
    batch.add_argument(
        "--ledger", required=True, type=Path, metavar="LEDGER",
        help="where outcomes are recorded (JSON Lines; never the input file)",
    )  # fmt: skip
    batch.add_argument(
        "--concurrency",
        type=_argtypes.concurrency,
        default=_defaults.BATCH_CONCURRENCY,
        metavar="N",
        help=f"requests in flight at once, 1 to {_defaults.MAX_CONCURRENCY}",
    )
    batch.add_argument(
        "--max-rate",
        type=_argtypes.rate_per_minute,
        default=f"{_defaults.BATCH_MAX_RATE_PER_MINUTE}/min",
        metavar="N/min",
        help="requests per minute (also N/s), finite, at least 1/h; 0 turns the limit off "
        "(the default is the server's per-team limit)",
    )
    batch.add_argument(
        "--progress",
        choices=("auto", "bar", "plain", "none"),
        default="auto",
        help="auto: a bar on a terminal, plain lines every 2 s otherwise",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    except KeyboardInterrupt:  # Ctrl-C before a command handles it (a batch before it sends)
        return interrupted(argv)


def interrupted(argv: Sequence[str]) -> int:
    """Ctrl-C that no command handled: one line (with --json, one object too), exit 130."""
    console = Console(Redactor(*_key_candidates(argv)))
    args = argparse.Namespace(json=_wants_json(argv))
    return _fail(console, args, "interrupted", ExitCode.INTERRUPTED, "KeyboardInterrupt")


def _run(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version
        return exit_.code if isinstance(exit_.code, int) else ExitCode.USAGE
    except _UsageError as exc:
        console = Console(Redactor(*_key_candidates(argv)))
        console.error(str(exc).rstrip("\n"))
        if _wants_json(argv):
            console.json({"error": usage_error(str(exc).rsplit("error: ", 1)[-1])})
        return ExitCode.USAGE
    return _dispatch(args)


#: How --api-key may be spelt on a command line argparse refuses: abbreviated or misspelt.
_KEY_OPTION = re.compile(r"--?(?:a|ap|api|api[-_]?k|api[-_]?ke|api[-_]?key|key)", re.IGNORECASE)


def _options(argv: Sequence[str]) -> Iterator[tuple[int, str, str | None]]:
    """``(index, name, value after "=")`` for each option token before a ``--``."""
    for index, argument in enumerate(argv):
        if argument == "--":
            return
        if argument.startswith("-"):
            name, equals, value = argument.partition("=")
            yield index, name, value if equals else None


def _wants_json(argv: Sequence[str]) -> bool:
    """Whether a command line argparse refused asked for JSON (``--js`` and ``--json=1`` too)."""
    return any(len(name) > 3 and "--json".startswith(name) for _, name, _ in _options(argv))


def _key_candidates(argv: Sequence[str]) -> list[str | None]:
    """What a usage error must not show: the environment's key, and the value of any
    option that looks like --api-key (argparse quotes a stray value in its message)."""
    candidates = [os.environ.get(_defaults.ENV_API_KEY)]
    for index, name, value in _options(argv):
        if _KEY_OPTION.fullmatch(name):
            following = argv[index + 1] if index + 1 < len(argv) else None
            candidates.append(value if value is not None else following)
    return candidates


def _dispatch(args: argparse.Namespace) -> int:
    if args.command in ("batch", "demo") and (missing := missing_extras_message(args.command)):
        return _fail(Console(Redactor(None)), args, missing, ExitCode.USAGE, "MissingExtras")
    if args.command in ("serve", "demo"):
        return _run_offline(args)
    if args.command == "mcp":
        if args.api_key is not None or args.base_url is not None:
            message = (
                f"error: mcp takes the key from {_defaults.ENV_API_KEY} and the URL from "
                f"{_defaults.ENV_BASE_URL} only (an agent's config sets the environment); "
                "drop --api-key/--base-url"
            )
            return _fail(Console(Redactor(args.api_key)), args, message, ExitCode.USAGE, "Usage")
        from ._mcp import run_mcp  # noqa: PLC0415 (imports the MCP SDK)

        return run_mcp()
    return _run_online(args)


def _run_offline(args: argparse.Namespace) -> int:
    """serve and demo: the reference server, no key."""
    if args.command == "serve":
        from ._serve import run_serve  # noqa: PLC0415 (imports the fake server)

        return int(run_serve(port=args.port, jobs=args.jobs, console=Console(Redactor(None))))
    from ._demo import run_demo  # noqa: PLC0415 (imports the fake server)

    try:
        return int(run_demo(directory=args.dir, progress=args.progress, as_json=args.json))
    except OSError as exc:  # --dir cannot be made or written: the user's path, not a bug
        where = exc.filename if exc.filename is not None else args.dir
        message = f"error: demo cannot write in {where}: {exc.strerror or exc}"
        return _fail(Console(Redactor(None)), args, message, ExitCode.USAGE, "OSError")


def _run_online(args: argparse.Namespace) -> int:
    """One submission or a batch, with the user's key."""
    api_key = args.api_key or os.environ.get(_defaults.ENV_API_KEY) or None
    console = Console(Redactor(api_key))
    if api_key is None:
        message = (
            f"error: no API key: pass --api-key or set {_defaults.ENV_API_KEY} "
            "(try `firecrawl-feedback serve` for a local test server and key)"
        )
        return _fail(console, args, message, ExitCode.AUTH, "ConfigurationError")
    try:
        if args.command == "batch":
            return int(_batch(args, api_key, console))
        return int(_submit(args, api_key, console))
    except ConfigurationError as exc:  # an unusable key or base URL: one line, never the key
        message = f"error: {exc}{_source_of(args, str(exc))}"
        return _fail(console, args, message, ExitCode.USAGE, type(exc).__name__)


def _source_of(args: argparse.Namespace, message: str) -> str:
    """Where the value the client refused came from: its message names only its parameter."""
    for parameter, flag, variable in (
        ("base_url", "--base-url", _defaults.ENV_BASE_URL),
        ("api_key", "--api-key", _defaults.ENV_API_KEY),
    ):
        if message.startswith(parameter) and "(from " not in message:  # the variable's named
            given = getattr(args, parameter) is not None
            return f" (from {flag if given else variable})"
    return ""


def _fail(console: Console, args: argparse.Namespace, message: str, code: ExitCode,
          kind: str) -> int:  # fmt: skip
    """One line on stderr; with --json, the same as one JSON object on stdout."""
    console.error(message)
    if getattr(args, "json", False):
        console.json({"error": usage_error(message.removeprefix("error: "), kind=kind)})
    return int(code)


class _Terminated(BaseException):
    """SIGTERM during a submission (``timeout 30 firecrawl-feedback ...``)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _submit(args: argparse.Namespace, api_key: str, console: Console) -> ExitCode:
    # SIGTERM ends the call like Ctrl-C, with its line (and JSON object) and exit 143, rather
    # than killing the process silently.
    try:
        with handling(signal.SIGTERM, _raise_terminated), _make_client(args, api_key) as client:
            return run_submit(client, args, console)
    except _Terminated:
        _fail(console, args, "terminated", ExitCode.TERMINATED, "Terminated")
        return ExitCode.TERMINATED


def _client_options(args: argparse.Namespace) -> dict[str, object]:
    options: dict[str, object] = {}
    if args.base_url:
        options["base_url"] = args.base_url
    if args.timeout is not None:
        options["timeout"] = args.timeout
    if args.max_retries is not None:
        options["max_retries"] = args.max_retries
    return options


def _make_client(args: argparse.Namespace, api_key: str) -> FeedbackClient:
    from .._client import FeedbackClient  # noqa: PLC0415

    return FeedbackClient(api_key, **_client_options(args))  # type: ignore[arg-type]


def _make_async_client(args: argparse.Namespace, api_key: str) -> AsyncFeedbackClient:
    from .._client import AsyncFeedbackClient  # noqa: PLC0415

    return AsyncFeedbackClient(api_key, **_client_options(args))  # type: ignore[arg-type]


def _batch(args: argparse.Namespace, api_key: str, console: Console) -> ExitCode:
    import asyncio  # noqa: PLC0415

    from ._batch import BatchOptions, run_batch_command  # noqa: PLC0415

    options = BatchOptions(
        source=args.file,
        ledger=args.ledger,
        concurrency=args.concurrency,
        max_rate_per_minute=args.max_rate,
        progress=args.progress,
    )
    client = _make_async_client(args, api_key)
    return asyncio.run(run_batch_command(options, client, console, as_json=args.json))


#: Kept for callers of the old name.
_rate_per_minute = _argtypes.rate_per_minute


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
