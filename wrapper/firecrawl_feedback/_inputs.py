"""Turn the convenient Python arguments into a wire-form (camelCase) body.

Nothing is judged here beyond shape: the body goes through the same rules as
a body read from a file (``_validation``). An argument of the wrong shape
becomes a violation, never a TypeError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from . import _api
from ._api import FeedbackEndpoint, FeedbackRating
from ._errors import Violation
from ._types import MissingContentInput, ValuableSourceInput

if TYPE_CHECKING:
    from ._api import MissingContent, ValuableSource


class _Skip:
    """An item whose shape was already reported; the rules leave it alone."""

    def __repr__(self) -> str:
        return "<skipped>"


SKIP: Final = _Skip()


def _type_name(value: object) -> str:
    return type(value).__name__


def job_id_value(job_id: object, field: str, violations: list[Violation]) -> object:
    """A ``uuid.UUID`` becomes its canonical string; a string passes through."""
    if isinstance(job_id, str):
        return job_id
    import uuid  # noqa: PLC0415 (uuid loads platform: not at import)

    if isinstance(job_id, uuid.UUID):
        return str(job_id)
    violations.append(
        Violation(field, f"must be a UUID string or uuid.UUID; got {_type_name(job_id)}")
    )
    return SKIP


def enum_value(value: object, field: str, violations: list[Violation]) -> object:
    """An enum member becomes its value; strings pass through (checked by the rules)."""
    if isinstance(value, FeedbackRating | FeedbackEndpoint):
        return value.value
    if isinstance(value, str):
        return value
    violations.append(Violation(field, f"must be a string; got {_type_name(value)}"))
    return SKIP


def string_list(value: object, field: str, violations: list[Violation]) -> object:
    """A sequence (not a lone string) becomes a list; items are checked by the rules."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        violations.append(Violation(field, f"must be a list; got {_type_name(value)}"))
        return SKIP
    return list(value)


def metadata_value(value: object, violations: list[Violation]) -> object:
    if not isinstance(value, Mapping):
        violations.append(Violation("metadata", f"must be a mapping; got {_type_name(value)}"))
        return SKIP
    return dict(value)


def valuable_sources(
    value: Sequence[ValuableSourceInput] | object, violations: list[Violation]
) -> object:
    """Each item: a URL, a ``(url, reason)`` pair, a mapping, or a ValuableSource."""
    items = string_list(value, "valuable_sources", violations)
    if not isinstance(items, list):
        return items
    return [
        _pair_item(
            item, "valuable_sources", index, ("url", "reason"), _api.ValuableSource, violations
        )
        for index, item in enumerate(items)
    ]


def missing_content(
    value: Sequence[MissingContentInput] | object, violations: list[Violation]
) -> object:
    """Each item: a topic, a ``(topic, description)`` pair, a mapping, or a MissingContent."""
    items = string_list(value, "missing_content", violations)
    if not isinstance(items, list):
        return items
    return [
        _pair_item(
            item,
            "missing_content",
            index,
            ("topic", "description"),
            _api.MissingContent,
            violations,
        )
        for index, item in enumerate(items)
    ]


def _pair_item(
    item: object,
    field: str,
    index: int,
    keys: tuple[str, str],
    model: type[ValuableSource] | type[MissingContent],
    violations: list[Violation],
) -> object:
    first, second = keys
    if isinstance(item, str):
        return {first: item}
    if isinstance(item, model):
        wire: dict[str, Any] = {first: getattr(item, first)}
        if getattr(item, second) is not _api.UNSET:
            wire[second] = getattr(item, second)
        return wire
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, tuple | list) and len(item) == 2:
        return {first: item[0], second: item[1]}
    violations.append(
        Violation(
            f"{field}[{index}]",
            f"must be a {first} string, a ({first}, {second}) pair, a mapping with "
            f"{first!r} and {second!r}, or a {model.__name__}; got {_type_name(item)}",
        )
    )
    return SKIP
