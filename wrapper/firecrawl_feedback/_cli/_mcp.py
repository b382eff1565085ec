"""``firecrawl-feedback mcp``: the feedback tools over the Model Context Protocol (stdio).

Firecrawl takes feedback only inside a job's feedback window, so it is best
sent by the agent that has just judged the job's result. This server offers
that agent the two routes as tools, built on the SDK's low-level ``Server`` so
that the input schemas are exactly the spec's (``_tools.tool_schemas``).

The tool arguments are the wire body; calls go through ``submit_body`` /
``search_body``, so validation is the client's. Every answer is a small JSON
object with an ``outcome`` (``stored``, ``duplicate``, ``not_stored``,
``invalid``, ``not_found``, ``window_expired``, ``rate_limited``...); anything
but a recorded submission is a tool error (``isError``) the agent can act on.

The API key is read from ``FIRECRAWL_API_KEY`` only. Without it the server
still starts and lists its tools, and each call answers ``not_configured``:
an MCP client shows that to the user, where a server that refused to start
would only show a dead connection. The key is masked in everything the server
writes (results, errors and its log on stderr), as a last line of defence.

The ``mcp`` package is imported only by :func:`run_mcp`, so the CLI works
without the ``mcp`` extra and says what to install.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import uuid
from typing import IO, TYPE_CHECKING, Any, Final, cast

from .. import _defaults
from .._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    RateLimitError,
    ValidationError,
)
from .._jsvalues import as_usv
from .._problems import Violation
from .._tools import FEEDBACK_TOOL, SEARCH_FEEDBACK_TOOL, tool_schemas
from .._version import __version__
from ._exitcodes import ExitCode
from ._output import Redactor, headline

if TYPE_CHECKING:
    import mcp_types

    from .._client import AsyncFeedbackClient
    from .._result import FeedbackResult

INSTALL_HINT: Final = (
    'error: `firecrawl-feedback mcp` needs the MCP SDK: pip install "firecrawl-feedback[mcp]"'
)
SERVER_NAME: Final = "firecrawl-feedback"
INSTRUCTIONS: Final = (
    "Rate Firecrawl jobs (scrape, parse, map, search) right after judging their results: "
    "Firecrawl accepts feedback only within the job's feedback window (120 s from the "
    "job's creation by default). Prefer firecrawl_search_feedback for search jobs."
)

#: The HTTP statuses whose outcome does not depend on the error code.
_OUTCOME_OF_STATUS: Final = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
}
#: Firecrawl's 409 codes, told apart because an agent acts differently on each.
_OUTCOME_OF_CODE: Final = {
    "FEEDBACK_WINDOW_EXPIRED": "window_expired",
    "SEARCH_FAILED": "search_failed",
}

#: Failures without an answer from the server, most specific first.
_OUTCOME_OF_CLASS: Final[tuple[tuple[type[APIError], str], ...]] = (
    (APITimeoutError, "timeout"),
    (APIConnectionError, "connection_error"),
    (APIResponseValidationError, "bad_answer"),
)

#: The exit code when the server stops on an unexpected error (none of ExitCode's classes).
_STOPPED: Final = 1

logger = logging.getLogger(f"{_defaults.LOGGER_NAME}.mcp")


def run_mcp() -> int:
    """Serve the tools on stdin/stdout until the client closes them; returns the exit code."""
    missing = sdk_problem()
    if missing is not None:
        print(missing, file=sys.stderr)
        return ExitCode.USAGE
    import anyio  # noqa: PLC0415 (a dependency of the mcp extra)

    api_key = os.environ.get(_defaults.ENV_API_KEY) or None
    redact = Redactor(api_key)
    _log_to_stderr(redact)
    try:
        anyio.run(_serve, api_key, redact)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the transport broke: one masked line, never a traceback
        logger.error("the MCP server stopped: %s: %s", type(exc).__name__, exc)
        return _STOPPED
    return ExitCode.OK


def sdk_problem() -> str | None:
    """``None`` when the MCP SDK imports, else the one line to show instead."""
    try:
        import mcp.server.lowlevel  # noqa: PLC0415 (the mcp extra: this command only)
        import mcp.server.stdio  # noqa: PLC0415, F401
        import mcp_types  # noqa: PLC0415, F401
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] in {"mcp", "mcp_types"}:
            return INSTALL_HINT
        return f"error: the MCP SDK could not be loaded: {exc}"
    return None


async def _serve(api_key: str | None, redact: Redactor) -> None:
    import anyio  # noqa: PLC0415
    import mcp_types  # noqa: PLC0415
    from mcp.server.lowlevel import Server  # noqa: PLC0415
    from mcp.server.stdio import stdio_server  # noqa: PLC0415

    client, problem = _make_client(api_key)
    tools = [mcp_types.Tool.model_validate(tool) for tool in tool_schemas("mcp")]

    async def list_tools(
        _ctx: Any, _params: mcp_types.PaginatedRequestParams | None
    ) -> mcp_types.ListToolsResult:
        return mcp_types.ListToolsResult(tools=tools)

    async def call_tool(
        _ctx: Any, params: mcp_types.CallToolRequestParams
    ) -> mcp_types.CallToolResult:
        outcome = await call(client, problem, params.name, params.arguments or {})
        # A lone surrogate (a server's JSON escapes can carry one) has no place in MCP's
        # UTF-8 JSON (the SDK stopped the server on one): U+FFFD, in text and structure alike.
        text = as_usv(redact(json.dumps(outcome, ensure_ascii=False)))
        return mcp_types.CallToolResult(
            content=[mcp_types.TextContent(text=text)],
            structured_content=json.loads(text),
            is_error=outcome["outcome"] not in _SUCCESSES,
        )

    server: Server[Any] = Server(
        SERVER_NAME,
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
    stdin = anyio.wrap_file(cast("IO[str]", _Requests(sys.stdin.buffer)))
    try:
        async with stdio_server(stdin=stdin) as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())
    finally:
        if client is not None:
            await client.aclose()


#: A JSON string escape: a surrogate pair, a lone surrogate, or any other (kept as is).
_ESCAPE: Final = re.compile(
    r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|(?P<lone>u[dD][89a-fA-F][0-9a-fA-F]{2})|.)",
    re.DOTALL,
)


def lone_surrogates_replaced(line: str) -> str:
    """``line`` with each escaped lone surrogate (``\\ud83d`` alone) written ``\\ufffd``.

    JSON.stringify writes half an emoji (a string cut by ``slice``) so; the SDK's
    parser refuses such a line and drops it unanswered, and the agent waits for ever.
    """
    if "\\u" not in line:
        return line
    return _ESCAPE.sub(lambda m: "\\ufffd" if m["lone"] else m[0], line)


class _Requests:
    """Standard input as the SDK reads it (UTF-8, bad bytes replaced), one line at a
    time, lone surrogates replaced as in answers (see ``call_tool``)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw

    def readline(self) -> str:
        return lone_surrogates_replaced(self._raw.readline().decode("utf-8", "replace"))


def _make_client(api_key: str | None) -> tuple[AsyncFeedbackClient | None, str | None]:
    """The client, or why there is none (told to the agent on each call)."""
    from .._client import AsyncFeedbackClient  # noqa: PLC0415

    if api_key is None:
        return None, (
            f"no API key: set {_defaults.ENV_API_KEY} in the environment of the MCP server "
            "(the `env` of its entry in the MCP client's configuration)"
        )
    try:
        # The base URL falls back to FIRECRAWL_API_URL, then Firecrawl's.
        return AsyncFeedbackClient(api_key), None
    except ConfigurationError as exc:
        return None, f"the MCP server's configuration is unusable: {exc}"


_SUCCESSES: Final = frozenset({"stored", "duplicate", "not_stored"})


async def call(
    client: AsyncFeedbackClient | None,
    problem: str | None,
    name: str,
    arguments: dict[str, Any],
) -> dict[str, Any]:
    """Run one tool call; the answer is the JSON object the agent reads.

    Args:
        client: the client calls go through, or ``None`` when it could not be made.
        problem: why there is no client (the ``not_configured`` message).
        name: the tool's name, as listed by ``tool_schemas("mcp")``.
        arguments: the tool's arguments: the wire body (plus ``jobId`` for the search route).
    """
    if name not in (FEEDBACK_TOOL, SEARCH_FEEDBACK_TOOL):
        return {
            "outcome": "unknown_tool",
            "message": f"no tool named {name!r}; use {FEEDBACK_TOOL} or {SEARCH_FEEDBACK_TOOL}",
        }
    if client is None:
        return {"outcome": "not_configured", "message": problem}
    try:
        if name == FEEDBACK_TOOL:
            result = await client.submit_body(arguments)
        else:
            body = {key: value for key, value in arguments.items() if key != "jobId"}
            if "jobId" not in arguments:
                raise _missing_job_id(body)
            try:
                result = await client.search_body(arguments["jobId"], body)
            except ValidationError as exc:
                raise _path_id_as_argument(exc) from None
    except (ValidationError, APIError) as exc:
        return describe_failure(exc)
    except Exception as exc:  # a bug of ours: the agent gets a clean error, the log the cause
        logger.exception("tool %s failed unexpectedly", name)
        return {"outcome": "internal_error", "message": f"internal error ({type(exc).__name__})"}
    return describe_result(result)


def describe_result(result: FeedbackResult) -> dict[str, Any]:
    """``stored``, ``duplicate`` (recorded earlier) or ``not_stored`` (zero data retention)."""
    if result.already_submitted:
        outcome = "duplicate"
    elif not result.stored:
        outcome = "not_stored"
    else:
        outcome = "stored"
    return {
        "outcome": outcome,
        "feedbackId": result.feedback_id,
        "creditsRefunded": result.credits_refunded,
        "alreadySubmitted": result.already_submitted,
        "dailyCapReached": result.daily_cap_reached,
        "warning": result.warning,
    }


def describe_failure(error: ValidationError | APIError) -> dict[str, Any]:
    """The outcome, and what an agent needs to correct or retry its call."""
    if isinstance(error, ValidationError):
        return {
            "outcome": "invalid",
            "message": "invalid arguments; nothing was sent: correct each field below",
            "violations": [{"field": v.field, "rule": v.rule} for v in error.violations],
        }
    info: dict[str, Any] = {"outcome": _failure_outcome(error), "message": str(error)}
    if isinstance(error, APIStatusError):
        info.update(status=error.status_code, code=error.code, message=headline(error))
        if error.details:
            info["violations"] = [{"field": d.field, "rule": d.message} for d in error.details]
    if isinstance(error, RateLimitError):
        info["retryAfter"] = error.retry_after
    info["maybeStored"] = error.maybe_stored
    return info


def _failure_outcome(error: APIError) -> str:
    if isinstance(error, APIStatusError):
        by_code = _OUTCOME_OF_CODE.get(error.code or "")
        if by_code is not None:
            return by_code
        if error.status_code >= 500:
            return "server_error"
        return _OUTCOME_OF_STATUS.get(error.status_code, "http_error")
    # Most specific first: a timeout is a connection error too.
    for kind, outcome in _OUTCOME_OF_CLASS:
        if isinstance(error, kind):
            return outcome
    return "error"


def _path_id_as_argument(error: ValidationError) -> ValidationError:
    """The client names the search route's path ID after its Python argument, ``job_id``;
    the agent sent it as the tool argument ``jobId``. A ``job_id`` key in the body itself
    is the agent's own unknown key and keeps its name."""
    return ValidationError(
        [
            Violation("jobId", v.rule)
            if v.field == "job_id" and not v.rule.startswith("is not a known field")
            else v
            for v in error.violations
        ]
    )


def _missing_job_id(body: dict[str, Any]) -> ValidationError:
    """``jobId`` is required; the body's own problems are reported with it, all at once."""
    from .._validation import search_request_from_body  # noqa: PLC0415

    violations = [Violation("jobId", "is required (the search job's ID, a UUID)")]
    try:
        search_request_from_body(uuid.UUID(int=0), body)  # validates only; sends nothing
    except ValidationError as exc:
        violations += exc.violations
    return ValidationError(violations)


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(name)s %(levelname)s %(message)s")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


def _log_to_stderr(redact: Redactor) -> None:
    """One handler on stderr, the key masked: the SDK's warnings and errors, ours, and
    the library's records when ``FIRECRAWL_LOG`` asks for them."""
    from .._logging import configure_from_env  # noqa: PLC0415

    configure_from_env()  # sets the library logger's level from FIRECRAWL_LOG
    library = logging.getLogger(_defaults.LOGGER_NAME)
    for own in list(library.handlers):  # its records reach the masked handler instead
        library.removeHandler(own)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter(redact))
    logging.getLogger().addHandler(handler)
