"""What went wrong, field by field: the rules a call broke, and the server's field issues.

``ValidationError.violations`` and ``APIStatusError.details`` hold these. The
module loads with the first broken rule or the first answer with details, not at
import: a dataclass costs about half a millisecond to define, and a call that
goes through never needs either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ._fieldpath import render


@dataclass(frozen=True)
class Violation:
    """One broken rule: which field (``valuable_sources[2].url``) and what rule, in English."""

    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


@dataclass(frozen=True)
class ErrorDetail:
    """One field issue from a 400 ``INVALID_BODY`` answer's ``details``."""

    field: str
    message: str
    code: str | None
    raw: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def listed(details: Sequence[ErrorDetail]) -> str:
    """The details as an error message lists them, after its first line."""
    return "".join(f"\n  - {detail}" for detail in details)


def details_from(raw_details: Any) -> list[ErrorDetail]:
    """Parse ``details`` leniently: whatever shape the server sends, never raise."""
    return [_detail(item) for item in raw_details] if isinstance(raw_details, list) else []


def _detail(item: Any) -> ErrorDetail:
    if not isinstance(item, dict):
        return ErrorDetail("body", str(item), None, {})
    path = item.get("path")
    parts = [p for p in path if isinstance(p, str | int)] if isinstance(path, list) else []
    code = item.get("code")
    message = str(item.get("message", "invalid"))
    return ErrorDetail(render(parts), message, code if isinstance(code, str) else None, item)
