"""Turn any HTTP answer into a result or a typed error, never an internal exception."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._api import FeedbackErrorResponse, FeedbackResponse, Unset
from ._errors import (
    APIResponseValidationError,
    APIStatusError,
    RateLimitError,
    details_from,
    error_class_for,
)
from ._result import FeedbackResult
from ._retry_after import server_wait

_SNIPPET = 200


def interpret(response: httpx.Response, *, attempts: int, ambiguous_before: bool) -> FeedbackResult:
    """A result for a 2xx answer the models can read; otherwise raise the matching error."""
    body = _json_or_none(response)
    if 200 <= response.status_code < 300:
        try:
            parsed = FeedbackResponse.from_dict(body)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise APIResponseValidationError(
                f"HTTP {response.status_code} with a body that is not a feedback answer: "
                f"{_snippet(response)}",
                response=response,
                body=body,
            ) from None
        already = _opt(parsed.already_submitted) is True
        return FeedbackResult(
            feedback_id=str(parsed.feedback_id),
            credits_refunded=parsed.credits_refunded,
            credits_refunded_today=_opt(parsed.credits_refunded_today),
            daily_refund_cap=_opt(parsed.daily_refund_cap),
            daily_cap_reached=_opt(parsed.daily_cap_reached) is True,
            already_submitted=already,
            warning=_opt(parsed.warning),
            attempts=attempts,
            response=response,
            stored_by_earlier_attempt=already and ambiguous_before,
        )
    raise status_error(response, body)


def status_error(response: httpx.Response, body: Any = None) -> APIStatusError:
    """The typed error for a non-2xx answer, whatever its body looks like."""
    if body is None:
        body = _json_or_none(response)
    code: str | None = None
    details: list[Any] = []
    message = f"HTTP {response.status_code}"
    error_text: str | None = None
    generic: str | None = None
    if isinstance(body, dict):
        try:
            parsed = FeedbackErrorResponse.from_dict(body)
            error_text = parsed.error
            code = _opt(parsed.feedback_error_code)
            generic = _opt(parsed.code)  # BAD_REQUEST_INVALID_JSON, UNKNOWN_ERROR
            details = details_from(body.get("details"))
        except (KeyError, TypeError, ValueError, AttributeError):
            error_text = str(body.get("error") or body.get("message") or "") or None
        if error_text:
            message = f"HTTP {response.status_code}: {error_text}"
        if code or generic:
            message += f" [{code or generic}]"
        if details:
            message += "\n" + "\n".join(f"  - {d}" for d in details)
    else:
        message += f" (no JSON error body: {_snippet(response)})"
    cls = error_class_for(response.status_code)
    if cls is RateLimitError:
        return RateLimitError(
            message,
            response=response,
            code=code,
            details=details,
            body=body,
            retry_after=server_wait(response, error_text),
        )
    return cls(message, response=response, code=code, details=details, body=body)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        return None


def _snippet(response: httpx.Response) -> str:
    text = response.content[:_SNIPPET].decode("utf-8", "replace")
    more = "..." if len(response.content) > _SNIPPET else ""
    return repr(text + more) if text else "empty body"


def _opt(value: Any) -> Any:
    return None if isinstance(value, Unset) else value
