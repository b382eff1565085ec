"""Turn any HTTP answer into a result or a typed error, never an internal exception."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx

from . import _defaults
from ._api import COMPONENT_SCHEMAS, FeedbackErrorResponse, FeedbackResponse, Response, Unset
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
_SUCCESS_SCHEMA = COMPONENT_SCHEMAS["FeedbackResponse"]
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "number": (int, float),
    "integer": int,
    "boolean": bool,
    "array": list,
    "object": dict,
}


Answer = Response[FeedbackErrorResponse | FeedbackResponse]


def interpret(answer: Answer, *, attempts: int, ambiguous_before: bool) -> FeedbackResult:
    """A result for a 2xx answer the models can read; otherwise raise the matching error.

    The generated operation parsed the body leniently (Python's JSON, no type
    checks); a 2xx must also be finite, plain JSON of the spec's types.
    """
    response = answer.raw
    if answer.over_limit:
        if 200 <= response.status_code < 300:
            raise APIResponseValidationError(
                f"HTTP {response.status_code} with an answer over the "
                f"{_defaults.MAX_RESPONSE_BYTES} byte limit (not a feedback answer)",
                response=response,
            )
        raise status_error(response, None, over_limit=True)
    body = _json_or_none(response)
    if 200 <= response.status_code < 300:
        problem = _success_problem(body)
        parsed = answer.parsed if isinstance(answer.parsed, FeedbackResponse) else None
        if problem is None and parsed is None:  # a 2xx other than the documented 200
            try:
                parsed = FeedbackResponse.from_dict(body)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                problem = str(exc)
        if problem is not None or parsed is None:
            raise APIResponseValidationError(
                f"HTTP {response.status_code} with a body that is not a feedback answer "
                f"({problem}): {_snippet(response)}",
                response=response,
                body=body,
            )
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
    documented = answer.parsed if isinstance(answer.parsed, FeedbackErrorResponse) else None
    raise status_error(response, body, documented)


def status_error(
    response: httpx.Response,
    body: Any = None,
    documented: FeedbackErrorResponse | None = None,
    *,
    over_limit: bool = False,
) -> APIStatusError:
    """The typed error for a non-2xx answer, whatever its body looks like."""
    code: str | None = None
    details: list[Any] = []
    message = f"HTTP {response.status_code}"
    error_text: str | None = None
    generic: str | None = None
    if isinstance(body, dict):
        try:
            parsed = documented or FeedbackErrorResponse.from_dict(body)
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
    elif over_limit:
        message += f" (body over the {_defaults.MAX_RESPONSE_BYTES} byte limit, not read)"
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
    """The parsed body, or None for anything that is not plain, finite, reasonable JSON."""
    try:
        return (
            json.loads(response.content, parse_constant=_refuse, parse_float=_finite)
            if response.content
            else None
        )
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: JSON nested deeper than the parser's stack.
        return None


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's parser takes them


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit a double")  # 1e400 would become inf
    return value


def _success_problem(body: Any) -> str | None:
    """What makes ``body`` not a FeedbackResponse of the canonical spec, or None."""
    if not isinstance(body, dict):
        return "not a JSON object"
    for name in _SUCCESS_SCHEMA.get("required", ()):
        if name not in body:
            return f"{name} is missing"
    for name, schema in _SUCCESS_SCHEMA["properties"].items():
        if name not in body:
            continue
        value, wanted = body[name], schema.get("type")
        expected = _JSON_TYPES.get(wanted) if isinstance(wanted, str) else None
        if expected is not None and (
            not isinstance(value, expected) or (isinstance(value, bool) and wanted != "boolean")
        ):
            return f"{name} is not a {wanted}"
    # Server rule: every 2xx feedback answer says success:true (errors say false).
    if body["success"] is not True:
        return "success is not true"
    return None


def _snippet(response: httpx.Response) -> str:
    text = response.content[:_SNIPPET].decode("utf-8", "replace")
    more = "..." if len(response.content) > _SNIPPET else ""
    return repr(text + more) if text else "empty body"


def _opt(value: Any) -> Any:
    return None if isinstance(value, Unset) else value
