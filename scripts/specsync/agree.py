"""Merge fragments from every source, refusing any structural disagreement.

Prose (descriptions, summaries, titles, examples, ``x-`` extensions) may differ
by language and is ignored here; everything else (paths, operations, schemas,
types, constraints, enums, defaults, required lists) must be identical wherever
two sources both describe it. Collections of named things (paths, components)
may differ in which names they hold: a docs page carries one operation, a full
document carries all of them (and other methods of the same path).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from . import pointer
from .errors import SpecInputError
from .extract import Fragment

PROSE_KEYS = frozenset({"description", "summary", "title", "example", "examples", "externalDocs"})
# Objects whose keys are names chosen by the author, not OpenAPI keywords:
# a property called "description" is structure, not prose.
NAME_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "paths",
        "schemas",
        "responses",
        "parameters",
        "securitySchemes",
        "headers",
        "content",
        "requestBodies",
        "callbacks",
        "links",
        "definitions",
        "$defs",
        "encoding",
        "variables",
        "mapping",
    }
)
# Where sources may hold different sets of names.
_UNION_LEVELS = ("", "/paths", "/components")


def is_prose(key: str, in_name_map: bool) -> bool:
    return not in_name_map and (key in PROSE_KEYS or key.startswith("x-"))


def child_is_name_map(key: str, in_name_map: bool) -> bool:
    return not in_name_map and key in NAME_MAP_KEYS


@dataclass
class _Merge:
    doc: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def merge_fragments(fragments: list[Fragment]) -> dict[str, Any]:
    """One document holding everything the fragments say; raises on disagreement."""
    state = _Merge()
    for fragment in fragments:
        _merge_node(state, state.doc, fragment.document, "", str(fragment.path), False)
    if state.problems:
        # The first line is the whole error for one problem; more are listed below it.
        first, *more = state.problems
        places = f"{len(state.problems)} places" if more else "1 place"
        raise SpecInputError(
            f"sources disagree on structure at {places} (prose may differ, structure may "
            f"not): {first}" + "".join(f"\n  {problem}" for problem in more)
        )
    return state.doc


def _is_union_level(ptr: str) -> bool:
    if ptr in _UNION_LEVELS:
        return True
    # Components of each kind; and the methods of one path, since a docs page
    # shows one operation (POST /x) where a full document may also have GET /x.
    return ptr.rsplit("/", 1)[0] in ("/components", "/paths")


def _origin_of(state: _Merge, ptr: str) -> str:
    while ptr not in state.origin and ptr:
        ptr = ptr.rsplit("/", 1)[0]
    return state.origin.get(ptr, "?")


def _merge_node(
    state: _Merge,
    into: dict[str, Any],
    new: dict[str, Any],
    ptr: str,
    source: str,
    in_name_map: bool,
) -> None:
    if ptr == "/info":
        # Metadata about the docs site (contact names, localized titles): only
        # the API version is structure.
        for key, value in new.items():
            if key == "version" and key in into and into[key] != value:
                _disagree(state, into[key], value, pointer.join(ptr, key), source)
            into.setdefault(key, copy.deepcopy(value))
        return
    union = _is_union_level(ptr)
    for key, value in new.items():
        here = pointer.join(ptr, key)
        if is_prose(key, in_name_map):
            into.setdefault(key, copy.deepcopy(value))
        elif key == "required" and key in into and not in_name_map:
            _compare(state, *_without_lone_properties(into, new), here, source, False)
        elif key in into:
            _compare(state, into[key], value, here, source, child_is_name_map(key, in_name_map))
        elif union:
            into[key] = copy.deepcopy(value)
            state.origin[here] = source
        else:
            other = _origin_of(state, ptr)
            state.problems.append(
                f"{here}: present in {source} ({_show(value)}) but absent in {other}"
            )
    if union:
        return
    for key, value in into.items():
        if key not in new and not is_prose(key, in_name_map):
            here = pointer.join(ptr, key)
            state.problems.append(
                f"{here}: present in {_origin_of(state, here)} ({_show(value)}) "
                f"but absent in {source}"
            )


def _compare(
    state: _Merge, mine: Any, theirs: Any, ptr: str, source: str, in_name_map: bool
) -> None:
    if isinstance(mine, dict) and isinstance(theirs, dict):
        _merge_node(state, mine, theirs, ptr, source, in_name_map)
        return
    if isinstance(mine, list) and isinstance(theirs, list):
        if ptr.endswith("/required") and all(isinstance(x, str) for x in mine + theirs):
            if sorted(mine) != sorted(theirs):
                _disagree(state, mine, theirs, ptr, source)
            return
        # Lists of plain values (enum, type) are shown whole; lists of
        # objects are compared item by item for a precise pointer.
        if len(mine) != len(theirs) or (mine != theirs and not _holds_objects(mine + theirs)):
            _disagree(state, mine, theirs, ptr, source)
            return
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            _compare(state, a, b, pointer.join(ptr, index), source, False)
        return
    if type(mine) is not type(theirs) or mine != theirs:
        _disagree(state, mine, theirs, ptr, source)


def _without_lone_properties(mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[Any, Any]:
    """Both required lists, less the properties only one side has.

    Such a property is reported as absent already; its required entry is part of it.
    """
    found = mine.get("properties"), theirs.get("properties")
    lists = mine["required"], theirs["required"]
    if not all(isinstance(p, dict) for p in found) or not all(isinstance(x, list) for x in lists):
        return lists
    lone = set(found[0]) ^ set(found[1])
    return [n for n in lists[0] if n not in lone], [n for n in lists[1] if n not in lone]


def _holds_objects(items: list[Any]) -> bool:
    return any(isinstance(item, (dict, list)) for item in items)


def _disagree(state: _Merge, mine: Any, theirs: Any, ptr: str, source: str) -> None:
    state.problems.append(
        f"{ptr}: {_show(mine)} in {_origin_of(state, ptr)} but {_show(theirs)} in {source}"
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
