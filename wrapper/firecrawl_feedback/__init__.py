"""Firecrawl feedback API client: rate finished scrape, parse, map and search jobs.

    from firecrawl_feedback import FeedbackClient

    with FeedbackClient() as client:          # FIRECRAWL_API_KEY from the environment
        result = client.scrape(job_id, rating="partial", issues=["missing_markdown"])

``tool_schemas()`` gives the two routes as tools for agents (JSON Schema for
function calling); ``firecrawl-feedback mcp`` serves them over MCP.
A reference server for tests ships in the ``testing`` subpackage (not imported here).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    FeedbackError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ValidationError,
)
from ._sentinel import NOT_GIVEN, NotGiven
from ._version import __version__

if TYPE_CHECKING:
    from ._api import FeedbackEndpoint, FeedbackRating, MissingContent, ValuableSource
    from ._client import AsyncFeedbackClient, FeedbackClient
    from ._problems import ErrorDetail, Violation
    from ._result import NIL_FEEDBACK_ID, FeedbackResult
    from ._retry import RetryPolicy, set_retry_testing
    from ._sender import AsyncFeedbackSender, FeedbackSender, SenderCounts, SendOutcome
    from ._tools import tool_schemas
    from ._types import (
        Endpoint,
        Integration,
        JobId,
        MissingContentInput,
        Rating,
        SearchFields,
        SubmitFields,
        TimeoutTypes,
        ValuableSourceInput,
    )

# The clients and the generated models load on first use, not at import: the
# generated package alone costs about 0.4x an `import httpx` (attrs classes),
# and a program that imports us only to catch our errors should not pay it (nor
# for the result and retry dataclasses and the settings checks they bring).
# (The same table-driven __getattr__ as pydantic's lazy top-level names.)
_LAZY = {
    "AsyncFeedbackClient": "._client",
    "FeedbackClient": "._client",
    "ErrorDetail": "._problems",
    "Violation": "._problems",
    "FeedbackResult": "._result",
    "NIL_FEEDBACK_ID": "._result",
    "RetryPolicy": "._retry",
    "set_retry_testing": "._retry",
    "AsyncFeedbackSender": "._sender",
    "FeedbackSender": "._sender",
    "SendOutcome": "._sender",
    "SenderCounts": "._sender",
    "FeedbackEndpoint": "._api",
    "FeedbackRating": "._api",
    "MissingContent": "._api",
    "ValuableSource": "._api",
    "Endpoint": "._types",
    "Integration": "._types",
    "JobId": "._types",
    "MissingContentInput": "._types",
    "Rating": "._types",
    "SearchFields": "._types",
    "SubmitFields": "._types",
    "TimeoutTypes": "._types",
    "ValuableSourceInput": "._types",
    "tool_schemas": "._tools",
}


if not TYPE_CHECKING:
    # Out of type checkers' sight: a module __getattr__ would make any name importable
    # as Any, so a lazy name missing from the imports above would silently lose its
    # type in IDEs instead of failing the type checks (tests/typing/check_exports.py).
    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(module, __name__), name)
        globals()[name] = value  # later lookups are plain attribute reads
        return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "NIL_FEEDBACK_ID",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFeedbackClient",
    "AsyncFeedbackSender",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "Endpoint",
    "ErrorDetail",
    "FeedbackClient",
    "FeedbackEndpoint",
    "FeedbackError",
    "FeedbackRating",
    "FeedbackResult",
    "FeedbackSender",
    "Integration",
    "InternalServerError",
    "JobId",
    "MissingContent",
    "MissingContentInput",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "RateLimitError",
    "Rating",
    "RequestTooLargeError",
    "RetryPolicy",
    "SearchFields",
    "SendOutcome",
    "SenderCounts",
    "SubmitFields",
    "TimeoutTypes",
    "ValidationError",
    "ValuableSource",
    "ValuableSourceInput",
    "Violation",
    "__version__",
    "set_retry_testing",
    "tool_schemas",
]
