"""help() on every public client method lists each parameter with its limit.

The limits expected here are read from where the wrapper keeps them (the
spec's constraints through _limits, the server's rules in _limits), so a
docstring that drops a parameter or states another limit fails.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import pydoc
import re
import textwrap
from typing import Any

import pytest
from firecrawl_feedback import (
    AsyncFeedbackClient,
    AsyncFeedbackSender,
    FeedbackClient,
    FeedbackSender,
    SearchFields,
    SubmitFields,
)
from firecrawl_feedback._api import EndpointFeedbackFields, SearchFeedbackFields
from firecrawl_feedback._fieldpath import python_name
from firecrawl_feedback._sender._base import (
    QueuedFields,
    QueuedSearchFields,
    QueueOptions,
    SenderCallOptions,
)
from firecrawl_feedback._types import CallOptions

from tests import limits as L

CLIENTS = [FeedbackClient, AsyncFeedbackClient]
OPTIONS = ["timeout", "max_retries", "extra_headers"]
KEYWORD_FIELDS = list(SubmitFields.__annotations__)
SEARCH_FIELDS = list(SearchFields.__annotations__)

#: Each method: every parameter a caller can pass, in signature order.
PARAMETERS: dict[str, list[str]] = {
    "submit": ["endpoint", "job_id", *KEYWORD_FIELDS],
    "scrape": ["job_id", *KEYWORD_FIELDS],
    "parse": ["job_id", *KEYWORD_FIELDS],
    "map": ["job_id", *KEYWORD_FIELDS],
    "submit_body": ["body", *OPTIONS],
    "search": ["job_id", *SEARCH_FIELDS],
    "search_body": ["job_id", "body", *OPTIONS],
}

#: Each keyword field of POST /feedback: what its entry must state.
ENDPOINT_LIMITS: dict[str, list[str]] = {
    "rating": [f'"{r}"' for r in L.RATINGS],
    "issues": [
        f"At most {L.LABELS_MAX_ITEMS} items",
        f"at most {L.LABEL_MAX_LENGTH} characters",
        L.LABEL_PATTERN_SOURCE,
    ],
    "tags": [f"At most {L.LABELS_MAX_ITEMS} items", f"at most {L.LABEL_MAX_LENGTH} characters"],
    "note": [f"At most {L.NOTE_MAX_LENGTH} characters"],
    "url": [f"{L.URL_MIN_LENGTH} to {L.URL_MAX_LENGTH} characters"],
    "page_numbers": [
        f"At most {L.PAGE_NUMBERS_MAX_ITEMS} items",
        f"at least {L.PAGE_NUMBER_MINIMUM}",
    ],
    "metadata": [f"{L.METADATA_MAX_BYTES} UTF-8 bytes"],
    "valuable_sources": [
        f"At most {L.SOURCES_MAX_ITEMS} items",
        f"at most {L.REASON_MAX_LENGTH} characters",
    ],
    "missing_content": [
        f"At most {L.CONTENT_MAX_ITEMS_FEEDBACK} items",
        f"{L.TOPIC_MIN_LENGTH} to {L.TOPIC_MAX_LENGTH} characters",
        f"at most {L.DESCRIPTION_MAX_LENGTH} characters",
    ],
    "query_suggestions": [f"At most {L.QUERY_SUGGESTIONS_MAX_LENGTH} characters"],
    "integration": [*sorted(L.INTEGRATIONS), '"_"'],
    "origin": ['"api"'],
    "job_id": ["UUID"],
    "timeout": ["positive, finite", "httpx.Timeout"],
    "max_retries": ["0 or more"],
    "extra_headers": ["header names"],
}
SEARCH_LIMITS = {
    **ENDPOINT_LIMITS,
    "missing_content": [f"At most {L.CONTENT_MAX_ITEMS_SEARCH} items"],
    "rating": [
        f'"{rating}" needs {" or ".join(python_name(k) for k in keys)}'
        for rating, keys in L.RATING_NEEDS.items()
    ],
}


def _help(method: Any) -> str:
    return pydoc.render_doc(method, renderer=pydoc.plaintext)


def _entries(text: str, indent: int) -> dict[str, str]:
    """Each ``name: text`` entry of an Args block indented by ``indent``, lines joined."""
    entries: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        match = re.match(rf"^ {{{indent}}}(\w+): (.*)", line)
        if match:
            current = match[1]
            entries[current] = match[2]
        elif current is not None and line.startswith(" " * (indent + 4)):
            entries[current] += " " + line.strip()
        else:
            current = None
    return entries


def _args(method: Any) -> str:
    rendered = _help(method)
    assert "Args:" in rendered, rendered
    args = re.split(r"\n\s*Returns:\n", rendered.split("Args:\n", 1)[1], maxsplit=1)[0]
    return textwrap.dedent(args)


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("method", list(PARAMETERS))
def test_help_lists_every_parameter_in_order(client: type, method: str) -> None:
    entries = _entries(_args(getattr(client, method)), 0)
    assert list(entries) == PARAMETERS[method]
    signature = inspect.signature(getattr(client, method))
    named = [
        name
        for name, parameter in list(signature.parameters.items())[1:]
        if parameter.kind is not inspect.Parameter.VAR_KEYWORD  # spelled out above
    ]
    assert set(named) <= set(entries)


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("method", ["submit", "scrape", "parse", "map"])
def test_help_of_the_keyword_methods_states_each_limit(client: type, method: str) -> None:
    entries = _entries(_args(getattr(client, method)), 0)
    for name, limits in ENDPOINT_LIMITS.items():
        for limit in limits:
            assert limit in entries[name], (name, limit, entries[name])
    assert 'With endpoint "search"' in entries["rating"]


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.__name__)
def test_help_of_search_states_the_search_route_limits(client: type) -> None:
    entries = _entries(_args(client.search), 0)
    for name in SEARCH_FIELDS:
        for limit in SEARCH_LIMITS[name]:
            assert limit in entries[name], (name, limit, entries[name])
    assert "note" not in entries


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    ("method", "keys"),
    [
        (
            "submit_body",
            ["endpoint", "jobId", "rating", "note", "pageNumbers", "metadata", "integration"],
        ),
        ("search_body", ["rating", "valuableSources", "missingContent", "querySuggestions"]),
    ],
)
def test_help_of_the_body_methods_lists_the_wire_keys_with_limits(
    client: type, method: str, keys: list[str]
) -> None:
    args = _args(getattr(client, method))
    fields = _entries(("\n" + args).split("\nbody: ", 1)[1], 4)
    for key in keys:
        assert key in fields, (key, list(fields))
    if method == "submit_body":
        assert f"At most {L.NOTE_MAX_LENGTH} characters" in fields["note"]
        assert f"{L.METADATA_MAX_BYTES} UTF-8 bytes" in fields["metadata"]
    else:
        assert "jobId" not in fields  # the search route's job ID is the path's
        assert f"At most {L.CONTENT_MAX_ITEMS_SEARCH} items" in fields["missingContent"]
        assert '"good" needs valuableSources' in fields["rating"]


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.__name__)
def test_help_says_what_a_call_returns_and_raises(client: type) -> None:
    text = " ".join(_help(client.scrape).split())
    assert "Returns: A FeedbackResult; with AsyncFeedbackClient, an awaitable" in text
    assert "ValidationError: the input breaks a rule" in text


def test_the_summary_line_stays_first() -> None:
    assert (FeedbackClient.scrape.__doc__ or "").startswith("Rate a scrape job")
    assert (AsyncFeedbackClient.search.__doc__ or "").startswith("Rate a search job")


@pytest.mark.parametrize("sender", [FeedbackSender, AsyncFeedbackSender], ids=lambda c: c.__name__)
@pytest.mark.parametrize("method", list(PARAMETERS))
def test_the_senders_document_every_parameter_too(sender: type, method: str) -> None:
    """The same table documents the senders' methods, with their own two options."""
    entries = _entries(_args(getattr(sender, method)), 0)
    assert list(entries) == [*PARAMETERS[method], "created_at", "block_timeout"]
    assert "feedback_window" in entries["created_at"]
    assert "True when queued" in _help(getattr(sender, method))


def _field_docstrings(cls: type) -> dict[str, str]:
    """Each field of ``cls`` (its own, not inherited) -> the string under it, lines joined."""
    (node,) = ast.parse(textwrap.dedent(inspect.getsource(cls))).body
    assert isinstance(node, ast.ClassDef)
    docs: dict[str, str] = {}
    for field, after in itertools.pairwise(node.body):
        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name):
            string = after.value if isinstance(after, ast.Expr) else None
            if isinstance(string, ast.Constant) and isinstance(string.value, str):
                docs[field.target.id] = " ".join(string.value.split())
    return docs


#: The TypedDicts that declare the keyword arguments, and the docstrings under their fields.
FIELD_DOCS = {
    cls: _field_docstrings(cls)
    for cls in (EndpointFeedbackFields, SearchFeedbackFields, CallOptions, SenderCallOptions)
}


@pytest.mark.parametrize(
    ("cls", "limits"),
    [
        (EndpointFeedbackFields, ENDPOINT_LIMITS),
        (SearchFeedbackFields, SEARCH_LIMITS),
        (CallOptions, ENDPOINT_LIMITS),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_an_ide_shows_each_keyword_with_its_limit(cls: type, limits: dict[str, list[str]]) -> None:
    """Pylance and pyright show a TypedDict field's docstring on that keyword in a call.

    The methods' full docs are assigned at import, which static analysis cannot
    see; the string under each field is what an IDE has.
    """
    docs = FIELD_DOCS[cls]
    assert list(docs) == list(cls.__annotations__)
    for name, doc in docs.items():
        for limit in limits[name]:
            assert limit in doc, (name, limit, doc)


def test_an_ide_shows_the_senders_two_options_too() -> None:
    assert list(FIELD_DOCS[SenderCallOptions]) == ["created_at", "block_timeout"]
    assert "feedback_window" in FIELD_DOCS[SenderCallOptions]["created_at"]
    assert "retry policy" in FIELD_DOCS[CallOptions]["max_retries"]  # the sender's default


@pytest.mark.parametrize(
    "unpacked",
    [SubmitFields, SearchFields, QueueOptions, QueuedFields, QueuedSearchFields],
    ids=lambda cls: cls.__name__,
)
def test_every_keyword_a_method_unpacks_has_a_docstring(unpacked: type) -> None:
    documented = {name for docs in FIELD_DOCS.values() for name in docs}
    assert set(unpacked.__annotations__) <= documented
