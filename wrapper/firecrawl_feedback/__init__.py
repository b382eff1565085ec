"""Firecrawl feedback API client: rate finished scrape, parse, map and search jobs.

    from firecrawl_feedback import FeedbackClient

    with FeedbackClient() as client:          # FIRECRAWL_API_KEY from the environment
        result = client.scrape(job_id, rating="partial", issues=["missing_markdown"])

A reference server for tests ships in the ``testing`` subpackage (not imported here).
"""

from ._api import FeedbackEndpoint, FeedbackRating, MissingContent, ValuableSource
from ._client import AsyncFeedbackClient, FeedbackClient
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
    ErrorDetail,
    FeedbackError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ValidationError,
    Violation,
)
from ._result import NIL_FEEDBACK_ID, FeedbackResult
from ._retry import RetryPolicy
from ._retry import set_testing as set_retry_testing
from ._sentinel import NOT_GIVEN, NotGiven
from ._types import (
    Endpoint,
    JobId,
    MissingContentInput,
    Rating,
    SubmitFields,
    TimeoutTypes,
    ValuableSourceInput,
)

__version__ = "0.1.0"

__all__ = [
    "NIL_FEEDBACK_ID",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFeedbackClient",
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
    "SubmitFields",
    "TimeoutTypes",
    "ValidationError",
    "ValuableSource",
    "ValuableSourceInput",
    "Violation",
    "__version__",
    "set_retry_testing",
]
