"""The clients' docstrings: a summary, the route's rules, then every parameter with its limit.

The parameters come written out from the generated ``spec_docs`` (each field's
description and limits from the canonical spec, and the server's rules from
``_limits``, wrapped at regeneration: importing formats none of them); the
per-call options are the wrapper's own. Nothing here retypes a limit.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable, Mapping

from ._api import ARG_DOCS, BODY_ARG_DOCS, FEEDBACK, RULE_DOCS, SEARCH, WIRE_RULE_DOCS

#: Each documented method: the operation it calls and whether it takes a wire body.
METHODS: dict[str, tuple[str, bool]] = {
    "submit": (FEEDBACK, False),
    "scrape": (FEEDBACK, False),
    "parse": (FEEDBACK, False),
    "map": (FEEDBACK, False),
    "submit_body": (FEEDBACK, True),
    "search": (SEARCH, False),
    "search_body": (SEARCH, True),
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
    options: Mapping[str, str],
    returns: str = RETURNS,
) -> str:
    """The full docstring of ``method``: its summary as written, the route's rules, Args, Returns.

    ``options`` are the Args entries of the arguments that are not fields.
    """
    operation, wire_body = METHODS[method]
    rules = (WIRE_RULE_DOCS if wire_body else RULE_DOCS)[operation]
    args = ["Args:"]
    for name in parameters:
        args.append(options.get(name) or ARG_DOCS[operation][name])
        if name == "body":
            args.append(BODY_ARG_DOCS[operation])
    return "\n\n".join([inspect.cleandoc(summary), rules, "\n".join(args), returns]) + "\n"


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
    entries = {name: _fill(f"{name}: {text}", "    ", " " * 8) for name, text in options.items()}
    for method in METHODS:
        function = cls.__dict__[method]
        if function.__doc__ is None:
            continue
        summary = function.__doc__.split("\n\n", 1)[0]
        function.__doc__ = docstring(summary, method, parameters_of(function), entries, returns)


def _fill(text: str, first: str, rest: str) -> str:
    return textwrap.fill(
        text, width=88, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )
