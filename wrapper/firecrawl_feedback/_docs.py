"""The clients' docstrings: a summary, then every parameter with its limit.

What a field is and the limits the spec states come from the generated field
table (``FIELDS``: the canonical spec's English descriptions and
constraints); the server rules the spec cannot state come from ``_limits``;
the per-call options are the wrapper's own. Nothing here retypes a limit.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable, Mapping

from . import _limits as L
from ._api import FIELDS, PYTHON_NAMES, SHORT_FORMS, Field

ENDPOINT_OPERATION = "submitEndpointFeedback"
SEARCH_OPERATION = "submitSearchFeedback"

#: Each documented method: the operation it calls and whether it takes a wire body.
METHODS: dict[str, tuple[str, bool]] = {
    "submit": (ENDPOINT_OPERATION, False),
    "scrape": (ENDPOINT_OPERATION, False),
    "parse": (ENDPOINT_OPERATION, False),
    "map": (ENDPOINT_OPERATION, False),
    "submit_body": (ENDPOINT_OPERATION, True),
    "search": (SEARCH_OPERATION, False),
    "search_body": (SEARCH_OPERATION, True),
}

#: The per-call options (not in the spec: they shape the call, not the body).
OPTIONS: dict[str, str] = {
    "timeout": (
        "Seconds each attempt of this call may take: a positive, finite number, an "
        "httpx.Timeout, or None for no limit. Defaults to the client's timeout."
    ),
    "max_retries": (
        "How many times this call retries a transient failure: a whole number, 0 or "
        "more. Defaults to the client's."
    ),
    "extra_headers": (
        "Headers added to this call's requests: valid header names, string values "
        "without line breaks, control or non-ASCII characters; none that the "
        "transport sets from the body and connection (e.g. Content-Length)."
    ),
    "body": (
        "The request body as sent on the wire: a mapping with the camelCase keys "
        "below, validated like the keyword form."
    ),
}

_TEXT_RULE = (
    "Lengths count UTF-16 code units, as the server does, after trimming surrounding "
    "whitespace (integration and origin are checked as given)."
)
_WIDTH = 88
RETURNS = """Returns:
    A FeedbackResult; with AsyncFeedbackClient, an awaitable giving one.

Raises:
    ValidationError: the input breaks a rule (raised at the call; nothing is sent).
    APIError: a subclass for each way the request failed (see firecrawl_feedback's
        errors); ``maybe_stored`` says whether the server may hold the feedback."""


def docstring(
    summary: str,
    method: str,
    parameters: Iterable[str],
    options: Mapping[str, str] = OPTIONS,
    returns: str = RETURNS,
) -> str:
    """The full docstring of ``method``: its summary, the route's rules, Args, Returns."""
    operation, wire_body = METHODS[method]
    rows = {f.name: f for f in FIELDS[operation]}
    paragraphs = [summary.strip(), *_route_rules(operation, wire_body), _TEXT_RULE]
    lines = [_fill(p, "", "") for p in paragraphs]
    args = ["Args:"]
    for name in parameters:
        text = options.get(name) or _field_doc(operation, rows[name], wire=False)
        args.append(_fill(f"{name}: {text}", "    ", "        "))
        if name == "body":
            args += [
                _fill(f"{f.wire}: {_field_doc(operation, f, wire=True)}", "        ", " " * 12)
                for f in FIELDS[operation]
                if f.location == "body"
            ]
    return "\n\n".join([*lines, "\n".join(args), returns]) + "\n"


def parameters_of(function: Callable[..., object]) -> list[str]:
    """The keyword names a caller can pass to ``function`` (``**fields`` spelled out)."""
    names: list[str] = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            # "Unpack[SubmitFields]": only this annotation is resolved (the others may
            # name what is imported for type checkers only).
            typed_dict = str(parameter.annotation).removeprefix("Unpack[").removesuffix("]")
            names += list(function.__globals__[typed_dict].__annotations__)
        else:
            names.append(parameter.name)
    return names


def document(cls: type, options: Mapping[str, str] = OPTIONS, returns: str = RETURNS) -> None:
    """Give each rating method of ``cls`` its full docstring (kept as None under -OO).

    ``options`` documents the arguments that are not body fields; ``returns`` is
    the Returns and Raises sections.
    """
    for method in METHODS:
        function = cls.__dict__[method]
        if function.__doc__ is None:
            continue
        summary = function.__doc__.split("\n\n", 1)[0]
        function.__doc__ = docstring(summary, method, parameters_of(function), options, returns)


def _field_doc(operation: str, field: Field, *, wire: bool) -> str:
    extras = [_server_rule(operation, field, wire)]
    forms = SHORT_FORMS.get(field.wire)
    if field.schema.get("format") == "uuid" and not wire:
        extras.append("A str or uuid.UUID.")
    if forms and not wire:
        pair = f", a ({', '.join(forms)}) pair" if len(forms) == 2 else ""
        extras.append(f"Each a {forms[0]}{pair}, a mapping with those keys, or the model.")
    return " ".join([field.doc, *(e for e in extras if e)])


def _server_rule(operation: str, field: Field, wire: bool) -> str:
    """The server's rules the spec cannot state, for ``field``."""
    spell, key, schema = _spelling(wire), field.wire, field.schema
    if key in L.URL_FIELDS:
        return (
            f"An http or https URL of {L.MIN_LENGTH[key]} to {L.MAX_LENGTH[key]} "
            "characters, as the WHATWG URL parser reads it."
        )
    if key in L.MAX_JSON_BYTES:
        return f"Its compact JSON must fit in {L.MAX_JSON_BYTES[key]} UTF-8 bytes."
    if schema.get("items", {}).get("type") == "integer":
        return f"Each at most {L.MAX_SAFE_INTEGER}."
    if key != "rating":
        return ""
    needs = "; ".join(
        f'"{rating}" needs {" or ".join(spell(k) for k in keys)}'
        for rating, keys in L.RATING_NEEDS.items()
    )
    return f"{needs}." if operation == SEARCH_OPERATION else f'With endpoint "search": {needs}.'


def _spelling(wire: bool) -> Callable[[str], str]:
    return (lambda key: key) if wire else PYTHON_NAMES.__getitem__


def _route_rules(operation: str, wire_body: bool) -> list[str]:
    if operation != ENDPOINT_OPERATION:
        return []
    signals = ", ".join(map(_spelling(wire_body), L.SIGNAL_KEYS))
    return [f"Give at least one of {signals}, non-empty after trimming."]


def _fill(text: str, first: str, rest: str) -> str:
    return textwrap.fill(
        text, width=_WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )
