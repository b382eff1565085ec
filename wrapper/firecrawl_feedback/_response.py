"""Turn any HTTP answer into a result or a typed error, never an internal exception."""

from __future__ import annotations

import json
import math
import sys
from typing import TYPE_CHECKING, Any

import httpx

from . import _api, _defaults
from ._errors import (
    APIResponseValidationError,
    APIStatusError,
    RateLimitError,
    error_class_for,
)
from ._logging import scrub
from ._result import FeedbackResult
from ._retry_after import server_wait

if TYPE_CHECKING:  # the generated models load on first use (see _api)
    from ._api import FeedbackErrorResponse, FeedbackResponse, Response

    Answer = Response[FeedbackErrorResponse | FeedbackResponse]

_SNIPPET = 200
_SUCCESS_SCHEMA = _api.COMPONENT_SCHEMAS["FeedbackResponse"]
#: The exact Python types the JSON parser gives for each JSON type (bool is no number).
_JSON_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "number": frozenset({int, float}),
    "integer": frozenset({int}),
    "boolean": frozenset({bool}),
    "array": frozenset({list}),
    "object": frozenset({dict}),
}
#: Each typed property of a success answer: its JSON type, and the Python types it takes.
_TYPED = {
    name: (schema["type"], _JSON_TYPES[schema["type"]])
    for name, schema in _SUCCESS_SCHEMA["properties"].items()
    if isinstance(schema.get("type"), str) and schema["type"] in _JSON_TYPES
}
_REQUIRED = tuple(_SUCCESS_SCHEMA.get("required", ()))


def interpret(answer: Answer, *, attempts: int, ambiguous_before: bool) -> FeedbackResult:
    """A result for a 2xx feedback answer; otherwise raise the matching error.

    The body is parsed here strictly (finite, plain JSON of the canonical spec's
    types), whatever the generated operation's lenient parse made of it.
    """
    response = answer.raw
    success = 200 <= response.status_code < 300
    if answer.over_limit and success:
        raise APIResponseValidationError(
            f"HTTP {response.status_code} with an answer over the "
            f"{_defaults.MAX_RESPONSE_BYTES} byte limit (not a feedback answer)",
            response=response,
        )
    if answer.over_limit:
        raise status_error(
            response, unread=f"body over the {_defaults.MAX_RESPONSE_BYTES} byte limit, not read"
        )
    body = _json_or_none(response)
    if not success:
        raise status_error(response, body)
    problem = _success_problem(body)
    if problem is not None:
        raise APIResponseValidationError(
            f"HTTP {response.status_code} with a body that is not a feedback answer "
            f"({problem}): {_snippet(response)}",
            response=response,
            body=body,
        )
    already = body.get("alreadySubmitted") is True
    return FeedbackResult(
        feedback_id=body["feedbackId"],
        credits_refunded=body["creditsRefunded"],
        credits_refunded_today=body.get("creditsRefundedToday"),
        daily_refund_cap=body.get("dailyRefundCap"),
        daily_cap_reached=body.get("dailyCapReached") is True,
        already_submitted=already,
        warning=body.get("warning"),
        attempts=attempts,
        response=response,
        stored_by_earlier_attempt=already and ambiguous_before,
    )


def status_error(
    response: httpx.Response, body: Any = None, *, unread: str | None = None
) -> APIStatusError:
    """The typed error for a non-2xx answer, whatever its body looks like."""
    from ._problems import details_from, listed  # noqa: PLC0415 (error answers only: not at import)

    code: str | None = None
    details: list[Any] = []
    message = f"HTTP {response.status_code}"
    error_text: str | None = None
    if isinstance(body, dict):
        # Read field by field, each only when of its documented type: a broken field (a
        # number for the text, a string for details) must not hide the others.
        error_text = _text(body.get("error")) or _text(body.get("message"))
        code = _text(body.get("feedbackErrorCode"))
        generic = _text(body.get("code"))  # BAD_REQUEST_INVALID_JSON, UNKNOWN_ERROR
        details = details_from(body.get("details"))
        if error_text:
            message = f"HTTP {response.status_code}: {error_text}"
        if code or generic:
            message += f" [{code or generic}]"
        message += listed(details)
    elif unread is not None:
        message += f" ({unread})"
    else:
        message += f" (no JSON error body: {_snippet(response)})"
    location = response.headers.get("location")
    if response.is_redirect and location is not None:  # a 304 or a bare 3xx points nowhere
        # Not followed: the key must not go where an answer points.
        target = scrub(location, response.request)
        message += f"; a redirect to {target[:_SNIPPET]!r}, not followed: check base_url"
    cls = error_class_for(response.status_code)
    extra = {"retry_after": server_wait(response, error_text)} if cls is RateLimitError else {}
    return cls(message, response=response, code=code, details=details, body=body, **extra)


def _json_or_none(response: httpx.Response) -> Any:
    """The parsed body, or None for anything that is not plain, finite, reasonable JSON."""
    content = response.content
    if not content:
        return None
    # json.loads(bytes), without building a decoder per call; an object whose second
    # byte is no NUL is UTF-8 (as json.detect_encoding says, at a fraction of its cost).
    utf8 = content[:1] == b"{" and content[1:2] != b"\x00"
    encoding = "utf-8" if utf8 else json.detect_encoding(content)
    try:
        text = content.decode(encoding, "surrogatepass")
        return _DECODER.decode(scrub(text, response.request))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None  # RecursionError: JSON nested deeper than the parser's stack


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's parser takes them


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit a double")  # 1e400 would become inf
    return value


def _finite_int(text: str) -> int:
    value = int(text)
    if abs(value) > _LARGEST_DOUBLE:
        raise ValueError(f"{text[:20]}... does not fit a double")  # JSON.parse: Infinity
    return value


_LARGEST_DOUBLE = int(sys.float_info.max)
_DECODER = json.JSONDecoder(parse_constant=_refuse, parse_float=_finite, parse_int=_finite_int)


def _success_problem(body: Any) -> str | None:
    """What makes ``body`` not a FeedbackResponse of the canonical spec, or None."""
    if not isinstance(body, dict):
        return "not a JSON object"
    for name in _REQUIRED:
        if name not in body:
            return f"{name} is missing"
    for name, value in body.items():  # exact types: the JSON parser makes no subclasses
        typed = _TYPED.get(name)
        if typed is not None and type(value) not in typed[1]:
            return f"{name} is not a {typed[0]}"
    # Server rule: every 2xx feedback answer says success:true (errors say false).
    return None if body["success"] is True else "success is not true"


def _snippet(response: httpx.Response) -> str:
    text = scrub(response.content[:_SNIPPET].decode("utf-8", "replace"), response.request)
    more = "..." if len(response.content) > _SNIPPET else ""
    return repr(text + more) if text else "empty body"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
