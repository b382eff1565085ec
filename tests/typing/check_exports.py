"""Type-check only (never run): every name in ``firecrawl_feedback.__all__``, as an IDE sees it.

Most names load lazily through the package's ``__getattr__``; type checkers
(mypy, and pyright under VS Code's Pylance) see them through the imports under
``TYPE_CHECKING``. tests/conformance/test_pyright.py checks that this list is
``__all__``, and both checkers run over this file in strict mode, so a public
name they cannot resolve, or resolve only to a partly unknown type, fails.
"""

from __future__ import annotations

from typing import assert_type

from firecrawl_feedback import (
    NIL_FEEDBACK_ID,
    NOT_GIVEN,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFeedbackClient,
    AsyncFeedbackSender,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    Endpoint,
    ErrorDetail,
    FeedbackClient,
    FeedbackEndpoint,
    FeedbackError,
    FeedbackRating,
    FeedbackResult,
    FeedbackSender,
    Integration,
    InternalServerError,
    JobId,
    MissingContent,
    MissingContentInput,
    NotFoundError,
    NotGiven,
    PermissionDeniedError,
    RateLimitError,
    Rating,
    RequestTooLargeError,
    RetryPolicy,
    SearchFields,
    SenderCounts,
    SendOutcome,
    SubmitFields,
    TimeoutTypes,
    ValidationError,
    ValuableSource,
    ValuableSourceInput,
    Violation,
    __version__,
    set_retry_testing,
    tool_schemas,
)

#: Every public value and class (the type aliases and TypedDicts are used below).
EXPORTS = (
    NIL_FEEDBACK_ID,
    NOT_GIVEN,
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFeedbackClient,
    AsyncFeedbackSender,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ErrorDetail,
    FeedbackClient,
    FeedbackEndpoint,
    FeedbackError,
    FeedbackRating,
    FeedbackResult,
    FeedbackSender,
    InternalServerError,
    MissingContent,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    RetryPolicy,
    SendOutcome,
    SenderCounts,
    ValidationError,
    ValuableSource,
    Violation,
    __version__,
    set_retry_testing,
    tool_schemas,
)


def constants() -> tuple[str, str]:
    return NIL_FEEDBACK_ID, __version__  # pyright infers their literals, mypy str


def aliases(
    endpoint: Endpoint,
    rating: Rating,
    integration: Integration,
    job_id: JobId,
    timeout: TimeoutTypes,
    source: ValuableSourceInput,
    content: MissingContentInput,
    not_given: NotGiven,
    fields: SubmitFields,
    search: SearchFields,
) -> None:
    assert_type(not_given, NotGiven)
    assert_type(fields["rating"], Rating)
    assert_type(search["rating"], Rating)
    assert_type(endpoint, Endpoint)
    assert_type(rating, Rating)
    assert_type(integration, Integration)
    assert_type(job_id, JobId)
    assert_type(timeout, TimeoutTypes)
    assert_type(source, ValuableSourceInput)
    assert_type(content, MissingContentInput)


def errors(exc: APIStatusError, invalid: APIResponseValidationError) -> None:
    assert_type(exc.status_code, int)
    assert_type(exc.message, str)
    assert_type(exc.details[0], ErrorDetail)
    assert_type(exc.maybe_stored, bool)
    assert_type(exc.attempts, int)
    assert_type(invalid.status_code, int)
