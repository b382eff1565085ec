"""The submit commands' field flags: one per row of the generated field table.

A field the spec adds gets its flag (``--new-field``) by regenerating; what is
written here is only how the CLI spells or reads a few of them.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from typing import Any

from .._api import FEEDBACK, FIELDS, SEARCH, SHORT_FORMS, Field

#: The endpoints a job can be rated for (the spec's enum): one command each, the
#: search route's last.
ENDPOINTS: tuple[str, ...] = tuple(
    sorted(
        next(f.schema["enum"] for f in FIELDS[FEEDBACK] if f.wire == "endpoint"),
        key=lambda endpoint: endpoint == "search",
    )
)
#: Short, stable spellings for the list fields (one item per flag, repeatable).
SPELLING: dict[str, tuple[str, str]] = {
    "issues": ("--issue", "CODE"),
    "tags": ("--tag", "TAG"),
    "pageNumbers": ("--page", "N"),
    "valuableSources": ("--source", "URL[=REASON]"),
    "missingContent": ("--missing", "TOPIC[=DESCRIPTION]"),
}
#: How a flag's value is shown by its JSON type (others: the field's name).
_METAVARS = {"object": "JSON", "integer": "N"}
#: What Python makes of argument bytes that do not decode (surrogateescape).
_UNDECODABLE = re.compile("[\udc80-\udcff]")
#: Arguments the commands take as positionals or from the command's name.
_NOT_FLAGS = frozenset({"endpoint", "jobId"})


def parse_source(text: str) -> dict[str, str]:
    """``URL[=REASON]``: an ``=`` inside a query's ``key=value`` pair belongs to the URL.

    So ``https://a.example/?q=1=has the table`` is the URL ``...?q=1`` with a
    reason, while ``https://a.example/?q=1`` is only a URL, and so is a value with
    base64 padding (``?sig=YWJj==``): an ``=`` followed by another ``=``, an ``&``
    or nothing starts no reason.
    """
    split_at = _reason_separator(text)
    if split_at is None:
        return {"url": text}
    return {"url": text[:split_at], "reason": text[split_at + 1 :]}


def _reason_separator(text: str) -> int | None:
    query_start = text.find("?")
    if query_start == -1:
        index = text.find("=")
        return index if index != -1 else None
    index = text.find("=", 0, query_start)
    if index != -1:
        return index
    # In the query, each &-separated pair owns its first "=", a second one starts the reason.
    position = query_start + 1
    while position <= len(text):
        end = text.find("&", position)
        end = len(text) if end == -1 else end
        first = text.find("=", position, end)
        if first != -1:
            second = text.find("=", first + 1, end)
            while second != -1 and text[second + 1 : second + 2] in ("", "=", "&"):
                second = text.find("=", second + 1, end)
            if second != -1:
                return second
        position = end + 1
    return None


def parse_object(text: str) -> dict[str, Any]:
    """A free-form object flag (``--metadata``) takes a JSON object."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from exc
    except RecursionError as exc:  # deeper than the parser's stack
        raise argparse.ArgumentTypeError("JSON nested too deeply") from exc
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object, like '{\"run\": 7}'")
    return value


def _short_form(keys: tuple[str, ...]) -> Callable[[str], dict[str, str]]:
    """``FIRST[=SECOND]``, split at the first ``=``."""

    def parse(text: str) -> dict[str, str]:
        first, sep, second = text.partition("=")
        return {keys[0]: first, keys[1]: second} if sep and len(keys) == 2 else {keys[0]: text}

    return parse


def _utf8(reader: Callable[[str], Any]) -> Callable[[str], Any]:
    """Refuses argument bytes that are not UTF-8, then reads the text with ``reader``.

    Python passes such bytes on as lone surrogates (surrogateescape); sent as they
    are, the server would store those, not the text that was meant.
    """

    def parse(text: str) -> Any:
        if undecodable := _UNDECODABLE.search(text):
            byte = ord(undecodable.group()) - 0xDC00
            raise argparse.ArgumentTypeError(
                f"not UTF-8 text: byte 0x{byte:02x} at position {undecodable.start()}; "
                "pass it in UTF-8"
            )
        return reader(text)

    parse.__name__ = reader.__name__  # argparse names the type in "invalid int value"
    return parse


def _reader(field: Field, schema: dict[str, Any]) -> Callable[[str], Any] | None:
    if field.wire == "valuableSources":
        return parse_source  # a URL's query has "=" of its own
    if field.wire in SHORT_FORMS:
        return _short_form(SHORT_FORMS[field.wire])
    kind = schema.get("type")
    if kind == "object":
        return parse_object
    return int if kind == "integer" else None


def operation_of(endpoint: str) -> str:
    return SEARCH if endpoint == "search" else FEEDBACK


def add_field_flags(command: argparse.ArgumentParser, endpoint: str) -> None:
    """One flag per body field of the command's route (lists repeat the flag)."""
    rows = sorted(FIELDS[operation_of(endpoint)], key=lambda f: not f.required)  # --rating first
    for field in rows:
        if field.location != "body" or field.wire in _NOT_FLAGS:
            continue
        schema = field.schema
        repeated = schema.get("type") == "array"
        item = schema.get("items", {}) if repeated else schema
        flag, metavar = SPELLING.get(field.wire, ("--" + field.name.replace("_", "-"), None))
        options: dict[str, Any] = {"dest": field.name, "help": _help(field, repeated)}
        if "enum" in schema:
            options["choices"] = schema["enum"]
        else:
            options["metavar"] = metavar or _METAVARS.get(str(item.get("type")), field.name.upper())
        options["type"] = _utf8(_reader(field, item) or str)
        command.add_argument(
            flag, action="append" if repeated else "store", required=field.required, **options
        )


def _help(field: Field, repeated: bool) -> str:
    # argparse expands "%": the spec's text is shown as written.
    text = field.doc.replace("%", "%%")
    return f"{text} (repeatable: one item per flag)" if repeated else text


def body_from(args: argparse.Namespace) -> dict[str, Any]:
    """The wire-form body (camelCase), with only the flags that were given."""
    body: dict[str, Any] = {}
    if args.endpoint != "search":
        body = {"endpoint": args.endpoint, "jobId": args.job_id}
    for field in FIELDS[operation_of(args.endpoint)]:
        value = getattr(args, field.name, None) if field.wire not in _NOT_FLAGS else None
        if value is not None:
            body[field.wire] = value
    return body
