"""What changed between the committed canonical spec and a new one, breaking changes flagged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import pointer
from .select import HTTP_METHODS

_UPPER_BOUNDS = ("maxLength", "maxItems", "maximum", "maxProperties")
_LOWER_BOUNDS = ("minLength", "minItems", "minimum", "minProperties")
_CONSTRAINTS = (
    *_UPPER_BOUNDS,
    *_LOWER_BOUNDS,
    "pattern",
    "format",
    "type",
    "nullable",
    "default",
    "additionalProperties",
    "$ref",
)


@dataclass(frozen=True)
class Change:
    text: str
    breaking: bool

    def __str__(self) -> str:
        return ("BREAKING " if self.breaking else "         ") + self.text


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = _operations(old, new)
    old_nodes, new_nodes = dict(pointer.walk(old)), dict(pointer.walk(new))
    for ptr in sorted(set(old_nodes) | set(new_nodes)):
        before, after = old_nodes.get(ptr), new_nodes.get(ptr)
        key = ptr.rsplit("/", 1)[-1]
        parent_key = ptr.rsplit("/", 2)[-2] if ptr.count("/") >= 2 else ""
        if parent_key == "properties" and (before is None) != (after is None):
            owner = _owner_required(new if after is not None else old, ptr)
            if after is None:
                changes.append(Change(f"field removed: {ptr}", True))
            else:
                changes.append(Change(f"field added: {ptr}{' (required)' if owner else ''}", owner))
        elif key == "enum" and before != after:
            gone = [v for v in before or [] if v not in (after or [])]
            added = [v for v in after or [] if v not in (before or [])]
            if gone:
                changes.append(Change(f"enum values removed at {ptr}: {gone}", True))
            if added:
                changes.append(Change(f"enum values added at {ptr}: {added}", False))
        elif key == "required" and isinstance(before or after, list) and before != after:
            added = sorted(set(after or []) - set(before or []))
            dropped = sorted(set(before or []) - set(after or []))
            if added:
                changes.append(Change(f"now required at {ptr}: {added}", True))
            if dropped:
                changes.append(Change(f"no longer required at {ptr}: {dropped}", False))
        elif key in _CONSTRAINTS and before != after and parent_key != "properties":
            changes.append(
                Change(f"constraint {ptr}: {before!r} -> {after!r}", _tightens(key, before, after))
            )
    return changes


def _operations(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def ops(doc: dict[str, Any]) -> set[str]:
        return {
            f"{method.upper()} {path}"
            for path, item in doc.get("paths", {}).items()
            for method in item
            if method in HTTP_METHODS
        }

    before, after = ops(old), ops(new)
    return [Change(f"operation removed: {op}", True) for op in sorted(before - after)] + [
        Change(f"operation added: {op}", False) for op in sorted(after - before)
    ]


def _owner_required(doc: dict[str, Any], ptr: str) -> bool:
    owner_ptr, name = ptr.rsplit("/properties/", 1)
    try:
        owner = pointer.resolve(doc, owner_ptr)
    except (KeyError, IndexError):
        return False
    return pointer.unescape(name) in owner.get("required", [])


def _tightens(key: str, before: Any, after: Any) -> bool:
    if key in _UPPER_BOUNDS:
        return after is not None and (before is None or after < before)
    if key in _LOWER_BOUNDS:
        return after is not None and (before is None or after > before)
    if key == "nullable":
        return bool(before) and not after
    if key == "additionalProperties":
        return after is False
    return key in ("pattern", "format", "type", "$ref") and before is not None
