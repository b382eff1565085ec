"""The clients' docstrings: a summary, then every parameter with its limit.

What a body field is and the limits the spec states come from the canonical
spec (``PARAMETER_DOCS``, generated from its English descriptions and
constraints); the server rules the spec cannot state come from ``_limits``;
the per-call options are the wrapper's own. Nothing here retypes a limit.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable

from . import _limits as L
from ._api import PARAMETER_DOCS, WIRE_NAMES
from ._fieldpath import python_name
from ._types import SubmitFields

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
}

#: What the keyword form accepts besides the wire form (see _types).
_INPUT_FORMS: dict[str, str] = {
    "job_id": "A str or uuid.UUID.",
    "valuable_sources": (
        "Each a URL, a (url, reason) pair, a mapping with those keys, or a ValuableSource."
    ),
    "missing_content": (
        "Each a topic, a (topic, description) pair, a mapping with those keys, or a MissingContent."
    ),
}

_TEXT_RULE = (
    "Lengths count UTF-16 code units, as the server does, after trimming surrounding "
    "whitespace (integration and origin are checked as given)."
)
_WIDTH = 88


def docstring(summary: str, method: str, parameters: Iterable[str]) -> str:
    """The full docstring of ``method``: its summary, the route's rules, then Args."""
    operation, wire_body = METHODS[method]
    paragraphs = [summary.strip(), *_route_rules(operation, wire_body), _TEXT_RULE]
    lines = [_fill(p, "", "") for p in paragraphs]
    args = ["Args:"]
    for name in parameters:
        args.append(_fill(f"{name}: {_parameter(operation, name)}", "    ", "        "))
        if name == "body":
            args += [
                _fill(f"{wire}: {text}", "        ", "            ")
                for wire, text in _body_fields(operation)
            ]
    return "\n\n".join([*lines, "\n".join(args)]) + "\n"


def parameters_of(method: str, function: Callable[..., object]) -> list[str]:
    """The keyword names a caller can pass to ``function`` (``**fields`` spelled out)."""
    names: list[str] = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            names += list(SubmitFields.__annotations__)
        else:
            names.append(parameter.name)
    return names


def document(cls: type) -> None:
    """Give each public method of a client its full docstring (kept as None under -OO)."""
    for method in METHODS:
        function = cls.__dict__[method]
        if function.__doc__ is None:
            continue
        summary = function.__doc__.split("\n\n", 1)[0]
        function.__doc__ = docstring(summary, method, parameters_of(method, function))


def _parameter(operation: str, name: str) -> str:
    if name in OPTIONS:
        return OPTIONS[name]
    if name == "body":
        return (
            "The request body as sent on the wire: a mapping with the camelCase keys "
            "below, validated like the keyword form."
        )
    text = PARAMETER_DOCS[operation][name]  # KeyError: a parameter the spec does not know
    extras = [_server_rules(operation, python_name).get(name), _INPUT_FORMS.get(name)]
    return " ".join([text, *(e for e in extras if e)])


def _body_fields(operation: str) -> list[tuple[str, str]]:
    """(wire name, text) of each body field of the operation (path parameters left out)."""
    fields = []
    for name, wire in WIRE_NAMES[operation].items():
        if operation == SEARCH_OPERATION and name == "job_id":
            continue  # the search route's job ID is the path's, a separate argument
        text = PARAMETER_DOCS[operation][name]
        extra = _server_rules(operation, _wire_name).get(name)
        fields.append((wire, f"{text} {extra}" if extra else text))
    return fields


def _wire_name(wire: str) -> str:
    return wire


def _server_rules(operation: str, spell: Callable[[str], str]) -> dict[str, str]:
    """The server's rules the spec cannot state, by Python name, fields spelled by ``spell``."""
    rules = {
        "url": (
            f"An http or https URL of {L.URL_MIN_LENGTH} to {L.URL_MAX_LENGTH} "
            "characters, as the WHATWG URL parser reads it."
        ),
        "metadata": f"Its compact JSON must fit in {L.METADATA_MAX_BYTES} UTF-8 bytes.",
        "page_numbers": f"Each at most {L.MAX_SAFE_INTEGER}.",
    }
    needs = "; ".join(
        f'"{rating}" needs {" or ".join(spell(key) for key in keys)}'
        for rating, keys in L.RATING_NEEDS.items()
    )
    if operation == SEARCH_OPERATION:
        rules["rating"] = f"{needs}."
    else:
        rules["rating"] = f'With endpoint "search": {needs}.'
    return rules


def _route_rules(operation: str, wire_body: bool) -> list[str]:
    if operation != ENDPOINT_OPERATION:
        return []
    spell = _wire_name if wire_body else python_name
    signals = ", ".join(spell(key) for key in L.SIGNAL_KEYS)
    return [f"Give at least one of {signals}, non-empty after trimming."]


def _fill(text: str, first: str, rest: str) -> str:
    return textwrap.fill(
        text, width=_WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )
