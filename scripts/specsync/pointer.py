"""RFC 6901 JSON pointers: the addresses used in messages, overrides and prose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def resolve(doc: Any, pointer: str) -> Any:
    node = doc
    for token in split(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def walk(node: Any, base: str = "") -> Iterator[tuple[str, Any]]:
    """Every (pointer, value) below ``node``, parents before children."""
    yield base, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, join(base, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, join(base, index))
