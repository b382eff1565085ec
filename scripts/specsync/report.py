"""What changed between the committed canonical spec and a new one, breaking changes flagged."""

from __future__ import annotations

from dataclasses import dataclass, field
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
    # The pointer or operation the text is about (shown as code in Markdown).
    subject: str = field(default="", compare=False)

    def __str__(self) -> str:
        return ("BREAKING " if self.breaking else "         ") + self.text


_ABSENT: Any = None  # what a missing node shows as in the messages


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every structural change from ``old`` to ``new``, reported where it starts.

    Something added or removed as a whole (an operation, a field, a response,
    a schema) is one change: what it holds is not listed again below it.
    """
    changes = _operations(old, new)
    old_nodes, new_nodes = dict(pointer.walk(old)), dict(pointer.walk(new))
    for ptr in sorted(set(old_nodes) | set(new_nodes)):
        parent = ptr.rpartition("/")[0]
        if not ptr or parent not in old_nodes or parent not in new_nodes:
            continue  # the root, or inside something added or removed as a whole
        changes += _node_change(
            old,
            new,
            ptr,
            parent,
            ptr in old_nodes,
            ptr in new_nodes,
            old_nodes.get(ptr, _ABSENT),
            new_nodes.get(ptr, _ABSENT),
        )
    return changes


def _node_change(
    old: dict[str, Any],
    new: dict[str, Any],
    ptr: str,
    parent: str,
    was: bool,
    now: bool,
    before: Any,
    after: Any,
) -> list[Change]:
    key = pointer.unescape(ptr.rpartition("/")[2])
    named = _named_thing_change(new, ptr, parent, key, was, now)
    if named is not None:
        return named
    if before == after:
        return []
    if key == "enum":
        return _enum_change(ptr, before, after)
    if key == "required" and isinstance(before or after, list):
        # A field added or removed with its entry is one change, said by _field_change.
        kept = set(_properties(old, parent)) & set(_properties(new, parent))
        return _required_change(ptr, before or [], after or [], kept)
    if key in _CONSTRAINTS:
        tightens = _tightens(key, before, after)
        return [Change(f"constraint {ptr}: {before!r} -> {after!r}", tightens, ptr)]
    return []


def _named_thing_change(
    new: dict[str, Any], ptr: str, parent: str, key: str, was: bool, now: bool
) -> list[Change] | None:
    """Changes to fields, operations, responses and schemas; None for other nodes."""
    parent_key = pointer.unescape(parent.rpartition("/")[2])
    if parent_key == "properties":
        return _field_change(new, ptr, was, now)
    if parent == "/paths" or (parent.rpartition("/")[0] == "/paths" and key in HTTP_METHODS):
        return []  # listed by _operations
    if parent_key in ("responses", "schemas") and was != now:
        kind = "response" if parent_key == "responses" else "schema"
        removed_response = kind == "response" and was
        return [Change(f"{kind} {'added' if now else 'removed'}: {ptr}", removed_response, ptr)]
    return None


def _field_change(new: dict[str, Any], ptr: str, was: bool, now: bool) -> list[Change]:
    if was and now:
        return []
    if not now:
        return [Change(f"field removed: {ptr}", True, ptr)]
    required = _owner_required(new, ptr)
    return [Change(f"field added: {ptr}{' (required)' if required else ''}", required, ptr)]


def _required_change(ptr: str, before: list[str], after: list[str], kept: set[str]) -> list[Change]:
    out = []
    added = sorted((set(after) - set(before)) & kept)
    dropped = sorted((set(before) - set(after)) & kept)
    if added:
        out.append(Change(f"now required at {ptr}: {added}", True, ptr))
    if dropped:
        out.append(Change(f"no longer required at {ptr}: {dropped}", False, ptr))
    return out


def _enum_change(ptr: str, before: Any, after: Any) -> list[Change]:
    if before is None:
        text = f"enum added at {ptr}: {after} (any other value now refused)"
        return [Change(text, True, ptr)]
    if after is None:
        return [Change(f"enum dropped at {ptr} (any value now allowed)", False, ptr)]
    gone = [v for v in before if v not in after]
    added = [v for v in after if v not in before]
    out = []
    if gone:
        out.append(Change(f"enum values removed at {ptr}: {gone}", True, ptr))
    if added:
        out.append(Change(f"enum values added at {ptr}: {added}", False, ptr))
    return out


def _operations(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def ops(doc: dict[str, Any]) -> set[str]:
        return {
            f"{method.upper()} {path}"
            for path, item in doc.get("paths", {}).items()
            for method in item
            if method in HTTP_METHODS
        }

    before, after = ops(old), ops(new)
    return (
        [Change(f"operation removed: {op}", True, op) for op in sorted(before - after)]
        + [Change(f"operation added: {op}", False, op) for op in sorted(after - before)]
        + _renamed_operations(old, new, sorted(before & after))
    )


def _renamed_operations(old: dict[str, Any], new: dict[str, Any], both: list[str]) -> list[Change]:
    """Operations in both specs whose operationId changed, each breaking.

    The generated module and function are named by it, and the wrapper's tables
    (fields, docs, tools) are keyed by it: code naming the old one breaks.
    """
    out = []
    for op in both:
        method, _, path = op.partition(" ")
        ptr = pointer.join("/paths", path, method.lower(), "operationId")
        was, now = (doc["paths"][path][method.lower()].get("operationId") for doc in (old, new))
        if was != now:
            out.append(Change(f"operationId renamed at {ptr}: {was!r} -> {now!r}", True, ptr))
    return out


def _properties(doc: dict[str, Any], owner_ptr: str) -> dict[str, Any]:
    try:
        properties = pointer.resolve(doc, owner_ptr).get("properties")
    except (KeyError, IndexError, AttributeError):
        return {}
    return properties if isinstance(properties, dict) else {}


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
    if key == "$ref":
        return before is not None
    # A pattern, format or type that appears or changes refuses values that
    # passed before; one that disappears refuses nothing new.
    return key in ("pattern", "format", "type") and after is not None
