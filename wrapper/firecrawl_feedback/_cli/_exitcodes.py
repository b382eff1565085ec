"""Exit codes, one per class of failure, and the text ``--help`` shows for them."""

from __future__ import annotations

from enum import IntEnum

from .._errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ValidationError,
)


class ExitCode(IntEnum):
    """What the process returns; scripts can branch on these."""

    OK = 0
    BATCH_FAILED = 1
    USAGE = 2
    INVALID_INPUT = 3
    AUTH = 4
    NOT_FOUND = 5
    CONFLICT = 6
    RATE_LIMITED = 7
    TRANSPORT = 8
    SERVER = 9
    BATCH_RETRYABLE = 75  # EX_TEMPFAIL: run the same command again later
    INTERRUPTED = 130  # 128 + SIGINT, as shells report it
    TERMINATED = 143  # 128 + SIGTERM


_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (batch: every line succeeded or was a duplicate)",
    ExitCode.BATCH_FAILED: "batch: at least one line failed permanently (the summary says which)",
    ExitCode.USAGE: "usage error: bad arguments or key, unreadable file, ledger in use or "
    "unwritable (disk full), missing CLI extras",
    ExitCode.INVALID_INPUT: "invalid input: client-side validation, HTTP 400 or 413",
    ExitCode.AUTH: "authentication or permission: no API key, HTTP 401 or 403",
    ExitCode.NOT_FOUND: "not found: HTTP 404 (no such job for this team)",
    ExitCode.CONFLICT: "conflict: HTTP 409 (feedback window expired, search failed)",
    ExitCode.RATE_LIMITED: "rate limited: HTTP 429 after the client's retries",
    ExitCode.TRANSPORT: "transport: connection failed or timed out after retries",
    ExitCode.SERVER: "server error: HTTP 5xx or another unexpected status",
    ExitCode.BATCH_RETRYABLE: "batch: only transient failures or unknown outcomes left; "
    "run it again to retry them",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); a batch can be resumed with the same command",
    ExitCode.TERMINATED: "terminated (SIGTERM), like Ctrl-C: in-flight lines recorded, resumable",
}


#: First match wins; anything else (5xx, odd statuses, bad 2xx answers) is SERVER.
_BY_ERROR: tuple[tuple[tuple[type[BaseException], ...], ExitCode], ...] = (
    ((ConfigurationError,), ExitCode.USAGE),
    ((ValidationError, BadRequestError, RequestTooLargeError), ExitCode.INVALID_INPUT),
    ((AuthenticationError, PermissionDeniedError), ExitCode.AUTH),
    ((NotFoundError,), ExitCode.NOT_FOUND),
    ((ConflictError,), ExitCode.CONFLICT),
    ((RateLimitError,), ExitCode.RATE_LIMITED),
    ((APIConnectionError,), ExitCode.TRANSPORT),
)


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code for an error raised by one submission."""
    for classes, code in _BY_ERROR:
        if isinstance(error, classes):
            return code
    return ExitCode.SERVER


def epilog() -> str:
    """The exit-code table for ``--help``."""
    lines = ["exit codes:"]
    lines += [f"  {int(code):>3}  {meaning}" for code, meaning in _MEANINGS.items()]
    return "\n".join(lines)
