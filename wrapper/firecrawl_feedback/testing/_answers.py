"""The answers the fake sends, shaped as the live server shapes them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, body and headers (content type included)."""

    status: int
    body: bytes = field(repr=False)
    content_type: str | None = JSON_TYPE
    headers: tuple[tuple[str, str], ...] = ()
    #: The team that was authenticated, for the request log.
    team: str | None = None

    def json(self) -> object:
        """The body parsed as JSON."""
        return json.loads(self.body)


def json_answer(status: int, payload: dict[str, object], team: str | None = None) -> Answer:
    return Answer(status=status, body=_dump(payload), team=team)


def error(
    status: int,
    message: str,
    feedback_error_code: str | None = None,
    team: str | None = None,
    **extra: object,
) -> Answer:
    """``{success:false, error}`` plus ``feedbackErrorCode`` when the server sends one."""
    payload: dict[str, object] = {"success": False, "error": message}
    if feedback_error_code is not None:
        payload["feedbackErrorCode"] = feedback_error_code
    payload.update(extra)
    return json_answer(status, payload, team)


def rate_limit_message(wait_seconds: int, resets_at: float, consumed: int, limit: int) -> str:
    """Firecrawl's 429 text: the wait is only here, never in a header."""
    return (
        f"Rate limit exceeded. Consumed (req/min): {consumed}, Remaining (req/min): "
        f"{max(0, limit - consumed)}. Upgrade your plan at https://firecrawl.dev/pricing for "
        f"increased rate limits or please retry after {wait_seconds}s, resets at "
        f"{js_date_string(resets_at)}"
    )


def js_date_string(epoch_seconds: float) -> str:
    """``new Date(t).toString()`` on a server running in UTC."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def http_date(epoch_seconds: float) -> str:
    """An IMF-fixdate, as used in ``Retry-After``."""
    return formatdate(epoch_seconds, usegmt=True)


def _dump(payload: dict[str, object]) -> bytes:
    # ASCII escapes keep any echoed key name (even a lone surrogate) valid UTF-8.
    return json.dumps(payload, separators=(",", ":")).encode()
