"""Public type aliases for the convenient inputs the clients accept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Required, TypeAlias, TypedDict, Union

import httpx

from ._api import Endpoint, Integration, Rating
from ._sentinel import NotGiven

if TYPE_CHECKING:  # attrs models: loaded on first use, not at import (see _api)
    import uuid  # loads platform: not at import

    from ._api import MissingContent, ValuableSource

# Rating, Endpoint and Integration are generated from the spec's enums (and its
# x-known-values list): ``Literal`` unions an IDE completes and mypy checks.
# Integration stays open (``Literal[...] | str``): the server also accepts any
# name starting with "_", which no Literal can list.
__all__ = [
    "Endpoint",
    "Integration",
    "JobId",
    "MissingContentInput",
    "Rating",
    "SubmitFields",
    "TimeoutTypes",
    "ValuableSourceInput",
]

JobId: TypeAlias = Union[str, "uuid.UUID"]
# Union[...] because the model is named by a string (a forward reference), which `|` refuses.
#: A URL, a ``(url, reason)`` pair, ``{"url": ..., "reason": ...}``, or the model.
ValuableSourceInput: TypeAlias = Union[str, tuple[str, str], Mapping[str, str], "ValuableSource"]
#: A topic, a ``(topic, description)`` pair, ``{"topic": ..., "description": ...}``, or the model.
MissingContentInput: TypeAlias = Union[str, tuple[str, str], Mapping[str, str], "MissingContent"]
TimeoutTypes: TypeAlias = float | httpx.Timeout | None


class SubmitFields(TypedDict, total=False):
    """Keyword arguments of ``submit`` after endpoint and job ID (for ``scrape`` and co)."""

    rating: Required[Rating]
    issues: Sequence[str] | None
    tags: Sequence[str] | None
    note: str | None
    url: str | None
    page_numbers: Sequence[int] | None
    metadata: Mapping[str, Any] | None
    valuable_sources: Sequence[ValuableSourceInput] | None
    missing_content: Sequence[MissingContentInput] | None
    query_suggestions: str | None
    integration: Integration | None
    origin: str | None
    timeout: TimeoutTypes | NotGiven
    max_retries: int | NotGiven
    extra_headers: Mapping[str, str] | None
