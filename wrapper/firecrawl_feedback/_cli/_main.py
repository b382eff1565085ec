"""Argument parsing and dispatch: ``main(argv) -> exit code``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, _defaults
from ._exitcodes import ExitCode, epilog
from ._output import Console, Redactor
from ._submit import ENDPOINTS, parse_metadata, parse_missing, parse_source, run_submit

if TYPE_CHECKING:
    from .._client import AsyncFeedbackClient, FeedbackClient

_DESCRIPTION = """\
Send feedback on Firecrawl jobs (scrape, parse, map, search) and get credits back.

  firecrawl-feedback scrape JOB_ID --rating bad --issue missing_content
  firecrawl-feedback search JOB_ID --rating good --source https://example.com=exact answer
  firecrawl-feedback batch feedback.jsonl --ledger feedback.ledger
  firecrawl-feedback serve        # a local fake server to try the commands on
  firecrawl-feedback demo         # the whole batch flow, offline

The API key comes from --api-key or FIRECRAWL_API_KEY (prefer the variable:
arguments are visible to other users of the machine); the base URL from
--base-url or FIRECRAWL_API_URL."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _global_options(*, with_defaults: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the command; only the top level sets defaults."""
    default = None if with_defaults else argparse.SUPPRESS
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("connection and output")
    group.add_argument("--base-url", default=default, help=f"or {_defaults.ENV_BASE_URL}")
    group.add_argument("--api-key", default=default, help=f"or {_defaults.ENV_API_KEY}")
    group.add_argument("--timeout", type=_positive_float, default=default, metavar="SECONDS")
    group.add_argument("--max-retries", type=_non_negative_int, default=default, metavar="N")
    group.add_argument(
        "--json",
        action="store_true",
        default=False if with_defaults else argparse.SUPPRESS,
        help="print results (and errors, on stdout) as JSON",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    serve.add_argument("--port", type=_non_negative_int, default=0, help="0 picks a free port")
    serve.add_argument("--jobs", type=_positive_int, default=8, help="jobs to create (mixed kinds)")
    demo = commands.add_parser(
        "demo",
        help="run a realistic batch against an in-process fake server (no key, no internet)",
        epilog=epilog(),
        formatter_class=_Formatter,
    )
    demo.add_argument("--dir", type=Path, default=None, help="where to write the batch and ledger")
    demo.add_argument("--progress", choices=("auto", "bar", "plain", "none"), default="auto")
    commands.add_parser(
        "mcp",
        help="serve the feedback tools to agents over MCP (stdio; needs the mcp extra)",
        description="A Model Context Protocol server on stdin/stdout. The API key comes from "
        f"{_defaults.ENV_API_KEY} only, the base URL from {_defaults.ENV_BASE_URL}.",
    )
    return parser


def _add_endpoint_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    endpoint: str,
    shared: argparse.ArgumentParser,
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
    command.add_argument("job_id", metavar="JOB_ID")
    command.add_argument("--rating", required=True, choices=("good", "partial", "bad"))
    if endpoint != "search":
        command.add_argument("--issue", dest="issues", action="append", metavar="CODE")
        command.add_argument("--tag", dest="tags", action="append", metavar="TAG")
        command.add_argument("--note")
        command.add_argument("--url")
        command.add_argument("--page", dest="pages", action="append", type=int, metavar="N")
        command.add_argument("--metadata", type=parse_metadata, metavar="JSON")
    command.add_argument(
        "--source",
        dest="sources",
        action="append",
        type=parse_source,
        metavar="URL[=REASON]",
        help="a valuable source; in a query string each key=value keeps its '='",
    )
    command.add_argument(
        "--missing",
        action="append",
        type=parse_missing,
        metavar="TOPIC[=DESCRIPTION]",
        help="content that was missing",
    )
    command.add_argument("--query-suggestions", metavar="TEXT")
    command.add_argument("--integration")
    command.add_argument("--origin")


def _add_batch_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: argparse.ArgumentParser,
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
    batch.add_argument("file", metavar="FILE")
    batch.add_argument("--ledger", required=True, type=Path, metavar="LEDGER")
    batch.add_argument(
        "--concurrency", type=_positive_int, default=_defaults.BATCH_CONCURRENCY, metavar="N"
    )
    batch.add_argument(
        "--max-rate",
        type=_rate_per_minute,
        default=f"{_defaults.BATCH_MAX_RATE_PER_MINUTE}/min",
        metavar="N/min",
        help=(
            "requests per minute (also N/s); 0 turns the limit off "
            f"(default: {_defaults.BATCH_MAX_RATE_PER_MINUTE}/min, the server's per-team limit)"
        ),
    )
    batch.add_argument(
        "--progress",
        choices=("auto", "bar", "plain", "none"),
        default="auto",
        help="auto: a bar on a terminal, plain lines every 2 s otherwise",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else ExitCode.USAGE
    return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from ._serve import run_serve  # noqa: PLC0415 (imports the fake server)

        return int(run_serve(port=args.port, jobs=args.jobs, console=Console(Redactor(None))))
    if args.command == "demo":
        from ._demo import run_demo  # noqa: PLC0415 (imports the fake server)

        return int(run_demo(directory=args.dir, progress=args.progress))
    if args.command == "mcp":
        from ._mcp import run_mcp  # noqa: PLC0415 (imports the MCP SDK)

        return run_mcp()
    api_key = args.api_key or os.environ.get(_defaults.ENV_API_KEY) or None
    console = Console(Redactor(api_key))
    if api_key is None:
        console.error(
            f"error: no API key: pass --api-key or set {_defaults.ENV_API_KEY} "
            "(try `firecrawl-feedback serve` for a local test server and key)"
        )
        return ExitCode.AUTH
    if args.command == "batch":
        return int(_batch(args, api_key, console))
    return int(_submit(args, api_key, console))


def _submit(args: argparse.Namespace, api_key: str, console: Console) -> ExitCode:
    try:
        client = _make_client(args, api_key)
    except ValueError as exc:  # ConfigurationError: an unusable base URL
        console.error(f"error: {exc}")
        return ExitCode.USAGE
    with client:
        return run_submit(client, args, console)


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
    try:
        client = _make_async_client(args, api_key)
    except ValueError as exc:
        console.error(f"error: {exc}")
        return ExitCode.USAGE
    return asyncio.run(run_batch_command(options, client, console, as_json=args.json))


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if not value > 0:
        raise argparse.ArgumentTypeError("must be above 0")
    return value


def _rate_per_minute(text: str) -> float:
    """``1000/min``, ``20/s`` or a bare number of requests per minute; 0 means no limit."""
    number, _, unit = text.strip().partition("/")
    factors = {"": 1.0, "min": 1.0, "m": 1.0, "s": 60.0, "sec": 60.0}
    if unit not in factors:
        raise argparse.ArgumentTypeError(f"unknown unit {unit!r}: use N/min or N/s")
    try:
        value = float(number) * factors[unit]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a rate: {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
