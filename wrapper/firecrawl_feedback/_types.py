"""Public type aliases and the keyword arguments the clients' methods take.

The body fields' keyword types are generated from the canonical spec
(``EndpointFeedbackFields``, ``SearchFeedbackFields``); ``Rating``,
``Endpoint`` and ``Integration`` are ``Literal`` unions generated from its
enums (Integration stays open: the server also accepts names starting with
"_"). What is written here is what the spec does not describe: the per-call
options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias, TypedDict, Union

import httpx

from ._api import (
    Endpoint,
    EndpointFeedbackFields,
    Integration,
    MissingContentInput,
    Rating,
    SearchFeedbackFields,
    ValuableSourceInput,
)
from ._retry import RetryPolicy
from ._sentinel import NotGiven

if TYPE_CHECKING:
    import uuid  # loads platform: not at import

__all__ = [
    "CallOptions",
    "ClientOptions",
    "ConnectionSettings",
    "Endpoint",
    "Integration",
    "JobId",
    "MissingContentInput",
    "Rating",
    "SearchFields",
    "SubmitFields",
    "TimeoutTypes",
    "ValuableSourceInput",
]

# Union[...]: uuid is named by a string (a forward reference), which `|` refuses.
JobId: TypeAlias = Union[str, "uuid.UUID"]
TimeoutTypes: TypeAlias = float | httpx.Timeout | None


class ConnectionSettings(TypedDict, total=False):
    """Where and how a client sends (a sender that builds its client takes these too).

    ``base_url``: the API's URL (``FIRECRAWL_API_URL``, else
    ``https://api.firecrawl.dev``; ``/v2`` is added when missing). ``timeout``:
    seconds per attempt, an ``httpx.Timeout``, or None. ``max_retries``:
    retries of a transient failure. ``total_budget``: seconds a whole call may
    take, retries and waits included. ``default_headers``: headers for every
    request. ``allow_insecure_http``: allow a plain ``http://`` URL that is not
    loopback (the key would travel in clear).
    """

    base_url: str | httpx.URL | None
    timeout: TimeoutTypes | NotGiven
    max_retries: int | NotGiven
    total_budget: float | NotGiven
    default_headers: Mapping[str, str] | None
    allow_insecure_http: bool


class ClientOptions(ConnectionSettings, total=False):
    """The settings a client takes by keyword, besides ``http_client`` or ``transport``.

    Those of ConnectionSettings, and ``retry``: a RetryPolicy (``max_retries`` and
    ``total_budget`` override its fields).
    """

    retry: RetryPolicy | None


class CallOptions(TypedDict, total=False):
    """The per-call options every sending method takes besides the body's fields.

    Each field's docstring is what an IDE shows on the keyword in a call (the
    methods' full docs are assigned at import, where static analysis cannot see them).
    """

    timeout: TimeoutTypes | NotGiven
    """Seconds each attempt of this call may take: a positive, finite number, an
    httpx.Timeout, or None for no limit. Defaults to the client's timeout."""
    max_retries: int | NotGiven
    """How many times this call retries a transient failure: a whole number, 0 or more.
    Defaults to the client's (in a sender's call, to the sender's retry policy)."""
    extra_headers: Mapping[str, str] | None
    """Headers added to this call's requests: valid header names, string values without
    line breaks, control or non-ASCII characters; none that the transport sets from the
    body and connection (e.g. Content-Length)."""


class SubmitFields(EndpointFeedbackFields, CallOptions, total=False):
    """Keyword arguments of ``submit`` after endpoint and job ID (and of ``scrape`` and co)."""


class SearchFields(SearchFeedbackFields, CallOptions, total=False):
    """Keyword arguments of ``search`` after the job ID."""
