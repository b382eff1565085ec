"""How results and errors are shown: readable text on a terminal, JSON with ``--json``.

Everything printed goes through :class:`Console`, which masks the API key as a
last line of defence (no message built by the library contains it anyway).
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from .._errors import APIConnectionError, APIError, APIStatusError, ValidationError
from .._result import FeedbackResult

#: Keys shorter than this are not masked: masking "x" would garble every line.
_MIN_MASKED_LENGTH = 8


class Redactor:
    """Replaces the API key with ``***`` in any text."""

    def __init__(self, secret: str | None) -> None:
        self._secret = secret if secret and len(secret) >= _MIN_MASKED_LENGTH else None

    def __call__(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def __repr__(self) -> str:
        return "Redactor(***)"


class Console:
    """Standard output and standard error, both masked."""

    def __init__(
        self, redact: Redactor, *, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.redact = redact
        self._out = out
        self._err = err

    @property
    def out(self) -> TextIO:
        return self._out or sys.stdout

    @property
    def err(self) -> TextIO:
        return self._err or sys.stderr

    def print(self, text: str = "") -> None:
        self.out.write(self.redact(text) + "\n")
        self.out.flush()

    def error(self, text: str) -> None:
        self.err.write(self.redact(text) + "\n")
        self.err.flush()

    def json(self, value: Any) -> None:
        self.print(json.dumps(value, indent=2, ensure_ascii=False))


def describe_error(error: BaseException) -> dict[str, Any]:
    """A JSON-ready description: class, status, code, message and every field issue."""
    info: dict[str, Any] = {
        "class": type(error).__name__,
        "status": None,
        "code": None,
        "message": str(error),
    }
    if isinstance(error, ValidationError):
        info["message"] = "invalid input"
        info["violations"] = [{"field": v.field, "rule": v.rule} for v in error.violations]
    elif isinstance(error, APIStatusError):
        info["status"] = error.status_code
        info["code"] = error.code
        info["message"] = error.message
        if error.details:
            info["violations"] = [{"field": d.field, "rule": d.message} for d in error.details]
    if isinstance(error, APIError):
        info["attempts"] = error.attempts
    return info


def format_error(error: BaseException) -> str:
    """Readable text naming every invalid field, for standard error."""
    if isinstance(error, ValidationError):
        count = len(error.violations)
        lines = [f"error: invalid input ({count} field{'s' if count != 1 else ''}):"]
        lines += [f"  {v.field}: {v.rule}" for v in error.violations]
        return "\n".join(lines)
    if isinstance(error, APIStatusError):
        # The client's message usually names the status and code already.
        head = error.message
        if f"HTTP {error.status_code}" not in head:
            code = f" {error.code}" if error.code else ""
            head = f"HTTP {error.status_code}{code}: {head}"
        lines = [f"error: {head}"]
        lines += [f"  {d.field}: {d.message}" for d in error.details]
        if error.attempts > 1:
            lines.append(f"  (after {error.attempts} attempts)")
        return "\n".join(lines)
    if isinstance(error, APIConnectionError):
        return f"error: could not reach the API ({error}) after {error.attempts} attempt(s)"
    return f"error: {error}"


def format_result(result: FeedbackResult) -> str:
    """Readable text for one successful submission."""
    if result.already_submitted:
        shown = result.feedback_id or "(the server did not say which)"
        lines = [f"Feedback was already recorded for this job: {shown}"]
    elif not result.stored:
        lines = ["Feedback accepted but not stored (zero data retention)."]
    else:
        lines = [f"Feedback recorded: {result.feedback_id}"]
    refund = f"  credits refunded: {_number(result.credits_refunded)}"
    if result.credits_refunded_today is not None and result.daily_refund_cap is not None:
        today = _number(result.credits_refunded_today)
        refund += f" (today {today} of {_number(result.daily_refund_cap)})"
    lines.append(refund)
    if result.daily_cap_reached:
        lines.append("  daily refund cap reached")
    if result.warning:
        lines.append(f"  warning: {result.warning}")
    if result.attempts > 1:
        lines.append(f"  attempts: {result.attempts}")
    return "\n".join(lines)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
