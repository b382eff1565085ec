"""Replace the sources' localized prose by the project's own English text.

The canonical spec must not depend on which language the docs came from, so
every description, summary, title and example is dropped and the English text
kept in ``openapi/descriptions.yaml`` (JSON pointer -> text) is put back.
"""

from __future__ import annotations

import http
from dataclasses import dataclass, field
from typing import Any

from . import pointer
from .agree import child_is_name_map, is_prose
from .errors import SpecInputError
from .select import outside


@dataclass
class ProseResult:
    document: dict[str, Any]
    untranslated: list[str] = field(default_factory=list)
    # English entries about operations or components outside the selection.
    unused: list[str] = field(default_factory=list)


def strip(
    node: Any, ptr: str = "", in_name_map: bool = False, found: list[str] | None = None
) -> Any:
    """A copy of ``node`` without prose; pointers of the dropped prose go to ``found``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if is_prose(key, in_name_map):
                if found is not None:
                    found.append(pointer.join(ptr, key))
                continue
            out[key] = strip(
                value, pointer.join(ptr, key), child_is_name_map(key, in_name_map), found
            )
        return out
    if isinstance(node, list):
        return [strip(v, pointer.join(ptr, i), False, found) for i, v in enumerate(node)]
    return node


def apply_english(doc: dict[str, Any], english: Any, dropped: list[str]) -> ProseResult:
    """Put the English text back; report source prose that has no English yet."""
    if not isinstance(english, dict) or not all(
        isinstance(k, str) and k.startswith("/") for k in english
    ):
        raise SpecInputError("openapi/descriptions.yaml: expected a mapping of pointer -> text")
    result = ProseResult(doc)
    for ptr, text in sorted(english.items()):
        if outside(doc, ptr):
            result.unused.append(ptr)
            continue
        tokens = pointer.split(ptr)
        parent_ptr = "".join("/" + pointer.escape(t) for t in tokens[:-1])
        try:
            parent = pointer.resolve(doc, parent_ptr)
        except (KeyError, IndexError, ValueError):
            raise SpecInputError(
                f"openapi/descriptions.yaml: {ptr} does not exist in the canonical spec "
                "(remove the entry or fix the pointer)"
            ) from None
        parent[tokens[-1]] = text
    for source_ptr in dropped:
        ptr = _after_overrides(doc, source_ptr)
        if ptr is None or ptr in english:
            continue  # None: its parent was removed by an override
        result.untranslated.append(ptr)
    _require_response_descriptions(doc)
    return result


def _after_overrides(doc: dict[str, Any], ptr: str) -> str | None:
    """Where dropped prose at ``ptr`` (a source pointer) would be in the canonical spec.

    merge-allof moves an allOf member's keys onto the schema itself, so
    ``X/allOf/1/properties/f/description`` is now ``X/properties/f/description``:
    a field the docs add inside the allOf still asks for its English text.
    """
    tokens = pointer.split(ptr)
    merged = [t for i, t in enumerate(tokens) if "allOf" not in (t, tokens[i - 1] if i else "")]
    for candidate in (tokens, merged):
        try:
            pointer.resolve(doc, pointer.join("", *candidate[:-1]))
        except (KeyError, IndexError, ValueError):
            continue
        return pointer.join("", *candidate)
    return None


def _require_response_descriptions(doc: dict[str, Any]) -> None:
    # OpenAPI requires a description on every response; fall back to the
    # HTTP reason phrase, which is English whatever the sources' language.
    responses: list[tuple[str, Any]] = list(doc.get("components", {}).get("responses", {}).items())
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                responses += list(operation.get("responses", {}).items())
    for status, response in responses:
        if isinstance(response, dict) and "description" not in response and "$ref" not in response:
            response["description"] = _reason(status)


def _reason(status: str) -> str:
    """English text for a status key: 404, 4XX, default (or a component's name)."""
    if status.isdigit():
        try:
            return http.HTTPStatus(int(status)).phrase
        except ValueError:
            return f"Status {status}"
    if status == "default":
        return "Any other status"
    if len(status) == 3 and status[0] in "12345" and status[1:].upper() == "XX":
        return f"Any {status.upper()} status"
    return "A response"
