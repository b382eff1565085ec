"""Every error the library raises, in one tree::

    FeedbackError
    ├── ConfigurationError           no API key, or an unsafe base URL (at construction)
    ├── ValidationError              bad input, found before any network traffic
    └── APIError                     the request was sent
        ├── APIConnectionError       no HTTP answer (DNS, refused, reset, TLS...)
        │   └── APITimeoutError      connect, read, write or pool timeout, or the call's budget
        ├── APIResponseValidationError  a 2xx answer that is not a feedback answer
        └── APIStatusError           an HTTP answer that is not a success (any other status)
            ├── BadRequestError          400
            ├── AuthenticationError      401
            ├── PermissionDeniedError    403
            ├── NotFoundError            404
            ├── ConflictError            409
            ├── RequestTooLargeError     413
            ├── RateLimitError           429 (``retry_after`` when the server says)
            └── InternalServerError      500 and every other 5xx

Status errors carry the server's ``feedbackErrorCode`` as ``code`` (or
``None``: several answers have none), its message, its parsed ``details`` and
the ``httpx.Response``. No message built here ever contains the API key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # defined on first need (see _problems)
    # httpx too: the package import stays light, so that the CLI's own code runs before the
    # heavy imports and can end a Ctrl-C during them in one line (see _cli).
    import httpx

    from ._problems import ErrorDetail, Violation


class FeedbackError(Exception):
    """Root of every error this library raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Most take keyword-only arguments (response=...): pickle and copy rebuild one from
        # its args and attributes, not by calling __init__ with the message again.
        return (_rebuilt, (type(self), self.args), self.__dict__)


def _rebuilt(cls: type[FeedbackError], args: tuple[Any, ...]) -> FeedbackError:
    return cls.__new__(cls, *args)


class ConfigurationError(FeedbackError, ValueError):
    """The client cannot be built as asked (no API key, plain http to a remote host...)."""

    #: True only when the failed call's request may have reached the server (an async
    #: client used in a second event loop), as ``APIError.maybe_stored``.
    maybe_stored: bool = False


class ValidationError(FeedbackError, ValueError):
    """The input breaks the server's rules; nothing was sent.

    ``violations`` lists every broken rule at once, each naming its field.
    """

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        count = len(self.violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{count} invalid field{'s' if count != 1 else ''}:\n{lines}")


class APIError(FeedbackError):
    """Something went wrong talking to the API (the request was built and sent)."""

    #: How many attempts were made, retries included.
    attempts: int = 1
    #: True when the server may hold this feedback although the call failed: an
    #: attempt may have reached it (a timeout after sending, a 5xx, a garbled 2xx),
    #: and no later answer proved otherwise (see ``_failures``).
    maybe_stored: bool = False


class APIConnectionError(APIError):
    """No HTTP answer came back."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write, pool, or the total budget)."""


class APIResponseValidationError(APIError):
    """A success status whose body is not a feedback answer (HTML, truncated, fields missing)."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any = None) -> None:
        super().__init__(message)
        self.response = response
        # Annotated: an inferred attribute type is one pyright's --verifytypes calls ambiguous.
        self.status_code: int = response.status_code
        self.body = body


class APIStatusError(APIError):
    """The server answered with a status that is not a success."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        code: str | None = None,
        details: Sequence[ErrorDetail] = (),
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.status_code: int = response.status_code
        self.code = code
        self.details: tuple[ErrorDetail, ...] = tuple(details)
        self.body = body

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r})"


class BadRequestError(APIStatusError):
    """400: the server rejected the body or the job ID (``details`` says which field)."""


class AuthenticationError(APIStatusError):
    """401: missing or wrong API key."""


class PermissionDeniedError(APIStatusError):
    """403: feedback is not available for this team (preview, opted out, banned...)."""


class NotFoundError(APIStatusError):
    """404: no such job for this team (``JOB_NOT_FOUND`` / ``SEARCH_NOT_FOUND``)."""


class ConflictError(APIStatusError):
    """409: feedback cannot be recorded (``FEEDBACK_WINDOW_EXPIRED``, ``SEARCH_FAILED``)."""


class RequestTooLargeError(APIStatusError):
    """413: the body is over the server's size limit."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` is the server's wait in seconds, if known."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        code: str | None = None,
        details: Sequence[ErrorDetail] = (),
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, response=response, code=code, details=details, body=body)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """500 or any other 5xx."""


def shown(value: object) -> str:
    """``repr(value)`` for a message; an int too long for repr() (over 4,300 digits) by size."""
    try:
        return repr(value)
    except ValueError:  # such an int, or a list or dict holding one
        if isinstance(value, int):
            return f"a {value.bit_length()}-bit integer"
        return f"a {type(value).__name__} holding an integer too long to show"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[APIStatusError]:
    other = InternalServerError if 500 <= status <= 599 else APIStatusError
    return _BY_STATUS.get(status, other)
