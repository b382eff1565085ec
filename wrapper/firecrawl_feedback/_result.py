"""What a successful submission gives back."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import httpx

#: The feedbackId of an answer for a zero-data-retention team or job: nothing was stored.
NIL_FEEDBACK_ID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    """The server's answer to one submission, plus how many attempts it took.

    ``feedback_id`` is a string: the stored feedback's UUID, the earlier one
    (or ``""``) when ``already_submitted``, or the nil UUID when the team or
    job runs with zero data retention and nothing was stored.
    """

    feedback_id: str
    credits_refunded: float
    credits_refunded_today: float | None
    daily_refund_cap: float | None
    daily_cap_reached: bool
    already_submitted: bool
    warning: str | None
    attempts: int
    response: httpx.Response = field(repr=False, compare=False)
    #: True when this call's earlier attempt failed ambiguously (timeout,
    #: dropped connection, 5xx) and the retry came back ``already_submitted``:
    #: that earlier attempt most likely stored the feedback.
    stored_by_earlier_attempt: bool = False

    @property
    def stored(self) -> bool:
        """False for zero data retention (nil feedback ID): the server stored nothing."""
        return self.feedback_id != NIL_FEEDBACK_ID

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (no response object), with the wire's camelCase keys."""
        return {_camel(f.name): getattr(self, f.name) for f in fields(self) if f.name != "response"}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)
