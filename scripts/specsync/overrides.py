"""Apply the project's spec overrides: JSON-pointer patches, each with a reason.

``openapi/overrides.yaml`` holds a list of RFC 6902 operations (``test``,
``add``, ``replace``, ``remove``) plus two structural operations:
``merge-allof`` flattens an ``allOf`` the way the server's zod schema is built
(``base.extend(...)``: later members replace earlier properties), and
``extract`` moves identical inline schemas (``from``: a list of pointers) into
one named component and points each place at it with a ``$ref``. Every
entry must say ``why``; an override that no longer applies is an error, so an
upstream fix is noticed instead of silently patched over.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import pointer
from .errors import SpecInputError
from .select import outside


def apply(doc: dict[str, Any], overrides: Any, skipped: list[str] | None = None) -> dict[str, Any]:
    """A patched copy of ``doc``; entries about unselected operations go to ``skipped``."""
    if not isinstance(overrides, list) or not all(isinstance(e, dict) for e in overrides):
        raise SpecInputError("openapi/overrides.yaml: expected a list of mappings (op, path, why)")
    doc = copy.deepcopy(doc)
    for index, entry in enumerate(overrides):
        where = f"openapi/overrides.yaml entry {index} ({entry.get('op')} {entry.get('path')})"
        if not str(entry.get("why", "")).strip():
            raise SpecInputError(f"{where}: every override must say why")
        op, path = entry.get("op"), entry.get("path")
        if op not in _OPS or not isinstance(path, str) or not path.startswith("/"):
            raise SpecInputError(
                f"{where}: op must be one of {sorted(_OPS)} with a JSON pointer path"
            )
        if op in ("add", "replace", "test") and "value" not in entry:
            raise SpecInputError(f"{where}: {op} needs a value")
        tokens = pointer.split(path)
        parent_ptr = "".join("/" + pointer.escape(t) for t in tokens[:-1])
        applicable = _within_selection(doc, op, path, parent_ptr, entry)
        if applicable is None:
            if skipped is not None:
                skipped.append(where)
            continue
        try:
            parent = pointer.resolve(doc, parent_ptr)
        except (KeyError, IndexError):
            raise SpecInputError(f"{where}: {parent_ptr} is not in the spec") from None
        _OPS[op](doc, where, parent, tokens[-1], applicable)
    return doc


def _within_selection(
    doc: dict[str, Any], op: str, path: str, parent_ptr: str, entry: dict[str, Any]
) -> dict[str, Any] | None:
    """The entry as it applies to the selected operations, or None if it does not."""
    if op == "extract":
        # Extract from the selected places only; skip when none is selected.
        sources = entry.get("from")
        if isinstance(sources, list) and all(
            isinstance(p, str) and p.startswith("/") for p in sources
        ):
            inside = [p for p in sources if not outside(doc, p)]
            if sources and not inside:
                return None
            return {**entry, "from": inside}
        return entry
    # An add creates its last token, so only its parent has to exist.
    return None if outside(doc, parent_ptr if op == "add" else path) else entry


def _exists(parent: Any, key: str) -> bool:
    return key in parent if isinstance(parent, dict) else key.isdigit() and int(key) < len(parent)


def _test(doc: dict[str, Any], where: str, parent: Any, key: str, entry: dict[str, Any]) -> None:
    if not _exists(parent, key) or parent[key] != entry.get("value"):
        actual = parent.get(key, "<absent>") if isinstance(parent, dict) else "?"
        raise SpecInputError(
            f"{where}: expected {entry.get('value')!r}, found {actual!r}: "
            "the upstream spec changed; review this override"
        )


def _add(doc: dict[str, Any], where: str, parent: Any, key: str, entry: dict[str, Any]) -> None:
    if isinstance(parent, dict) and key in parent:
        raise SpecInputError(f"{where}: it already exists (upstream fixed it?)")
    _set(parent, key, copy.deepcopy(entry["value"]))


def _replace(doc: dict[str, Any], where: str, parent: Any, key: str, entry: dict[str, Any]) -> None:
    if not _exists(parent, key):
        raise SpecInputError(f"{where}: it does not exist")
    parent[int(key) if isinstance(parent, list) else key] = copy.deepcopy(entry["value"])


def _remove(doc: dict[str, Any], where: str, parent: Any, key: str, entry: dict[str, Any]) -> None:
    if not _exists(parent, key):
        raise SpecInputError(f"{where}: it does not exist (upstream fixed it?)")
    del parent[int(key) if isinstance(parent, list) else key]


def _merge_all_of_op(
    doc: dict[str, Any], where: str, parent: Any, key: str, entry: dict[str, Any]
) -> None:
    if not _exists(parent, key) or "allOf" not in parent[key]:
        raise SpecInputError(f"{where}: no allOf there")
    parent[key] = _merge_all_of(doc, parent[key])


def _set(parent: Any, key: str, value: Any) -> None:
    if isinstance(parent, list):
        parent.insert(len(parent) if key == "-" else int(key), value)
    else:
        parent[key] = value


def _merge_all_of(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for listed in schema["allOf"]:
        member = pointer.resolve(doc, listed["$ref"][1:]) if "$ref" in listed else listed
        merged["properties"].update(copy.deepcopy(member.get("properties", {})))
        for name in member.get("required", []):
            if name not in merged["required"]:
                merged["required"].append(name)
        for key, value in member.items():
            if key not in ("properties", "required", "allOf", "type"):
                merged[key] = copy.deepcopy(value)
    for key, value in schema.items():
        if key != "allOf":
            merged[key] = copy.deepcopy(value)
    merged["required"].sort()
    return merged


def _extract(
    doc: dict[str, Any], where: str, parent: Any, name: str, entry: dict[str, Any]
) -> None:
    sources = entry.get("from")
    if not isinstance(sources, list) or not sources:
        raise SpecInputError(f"{where}: extract needs a non-empty 'from' list of pointers")
    if name in parent:
        raise SpecInputError(f"{where}: {name} already exists (upstream added it?)")
    schema: Any = None
    for ptr in sources:
        try:
            found = pointer.resolve(doc, ptr)
        except (KeyError, IndexError):
            raise SpecInputError(f"{where}: {ptr} is not in the spec") from None
        if schema is None:
            schema = copy.deepcopy(found)
        elif found != schema:
            raise SpecInputError(
                f"{where}: {ptr} differs from {sources[0]}; they can no longer share one schema"
            )
        tokens = pointer.split(ptr)
        holder = pointer.resolve(doc, "".join("/" + pointer.escape(t) for t in tokens[:-1]))
        holder[tokens[-1]] = {"$ref": "#/components/schemas/" + pointer.escape(name)}
    parent[name] = schema


_OPS: dict[str, Callable[[dict[str, Any], str, Any, str, dict[str, Any]], None]] = {
    "test": _test,
    "add": _add,
    "replace": _replace,
    "remove": _remove,
    "merge-allof": _merge_all_of_op,
    "extract": _extract,
}
