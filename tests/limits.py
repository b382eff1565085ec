"""Every limit the client enforces, by name, for the tests' expectations.

Read from the canonical spec's schemas (never retyped) and the server rules
the wrapper writes out in ``firecrawl_feedback._limits``; the wrapper itself
reads them from its generated field table.
"""

from __future__ import annotations

import re
from typing import Any, Final

from firecrawl_feedback import _limits as _server
from firecrawl_feedback._api import COMPONENT_SCHEMAS
from firecrawl_feedback._limits import (  # noqa: F401 (the server's rules, re-exported)
    MAX_SAFE_INTEGER,
    PATH_UUID_PATTERN,
    RATING_NEEDS,
    SIGNAL_KEYS,
    UUID_PATTERN,
)

_ENDPOINT: Final[dict[str, Any]] = COMPONENT_SCHEMAS["EndpointFeedbackRequest"]["properties"]
_SEARCH: Final[dict[str, Any]] = COMPONENT_SCHEMAS["SearchFeedbackRequest"]["properties"]
_SOURCE: Final[dict[str, Any]] = COMPONENT_SCHEMAS["ValuableSource"]["properties"]
_CONTENT: Final[dict[str, Any]] = COMPONENT_SCHEMAS["MissingContent"]["properties"]

RATINGS: Final[tuple[str, ...]] = tuple(COMPONENT_SCHEMAS["FeedbackRating"]["enum"])
ENDPOINTS: Final[tuple[str, ...]] = tuple(COMPONENT_SCHEMAS["FeedbackEndpoint"]["enum"])

ENDPOINT_KEYS: Final = frozenset(_ENDPOINT)
SEARCH_KEYS: Final = frozenset(_SEARCH)
SOURCE_KEYS: Final = frozenset(_SOURCE)
CONTENT_KEYS: Final = frozenset(_CONTENT)
#: Every field name the bodies know, at any level (keyword calls spell these in snake case).
WIRE_KEYS: Final = ENDPOINT_KEYS | SEARCH_KEYS | SOURCE_KEYS | CONTENT_KEYS
ENDPOINT_REQUIRED: Final[tuple[str, ...]] = tuple(
    COMPONENT_SCHEMAS["EndpointFeedbackRequest"]["required"]
)
SEARCH_REQUIRED: Final[tuple[str, ...]] = tuple(
    COMPONENT_SCHEMAS["SearchFeedbackRequest"]["required"]
)

LABELS_MAX_ITEMS: Final[int] = _ENDPOINT["issues"]["maxItems"]
LABEL_MAX_LENGTH: Final[int] = _ENDPOINT["issues"]["items"]["maxLength"]
LABEL_PATTERN_SOURCE: Final[str] = _ENDPOINT["issues"]["items"]["pattern"]
# Applied with fullmatch: JavaScript's "$" never matches before a final newline.
LABEL_PATTERN: Final = re.compile(LABEL_PATTERN_SOURCE)
NOTE_MAX_LENGTH: Final[int] = _ENDPOINT["note"]["maxLength"]
QUERY_SUGGESTIONS_MAX_LENGTH: Final[int] = _SEARCH["querySuggestions"]["maxLength"]
PAGE_NUMBERS_MAX_ITEMS: Final[int] = _ENDPOINT["pageNumbers"]["maxItems"]
PAGE_NUMBER_MINIMUM: Final[int] = _ENDPOINT["pageNumbers"]["items"]["minimum"]
SOURCES_MAX_ITEMS: Final[int] = _SEARCH["valuableSources"]["maxItems"]
REASON_MAX_LENGTH: Final[int] = _SOURCE["reason"]["maxLength"]
TOPIC_MIN_LENGTH: Final[int] = _CONTENT["topic"]["minLength"]
TOPIC_MAX_LENGTH: Final[int] = _CONTENT["topic"]["maxLength"]
DESCRIPTION_MAX_LENGTH: Final[int] = _CONTENT["description"]["maxLength"]
# Server: "at most 20 items on the search route and 50 on POST /feedback".
CONTENT_MAX_ITEMS_SEARCH: Final[int] = _SEARCH["missingContent"]["maxItems"]
CONTENT_MAX_ITEMS_FEEDBACK: Final[int] = _ENDPOINT["missingContent"]["maxItems"]

URL_MAX_LENGTH: Final = _server.MAX_LENGTH["url"]
URL_MIN_LENGTH: Final = _server.MIN_LENGTH["url"]
METADATA_MAX_BYTES: Final = _server.MAX_JSON_BYTES["metadata"]
INTEGRATIONS: Final = frozenset(_SEARCH["integration"]["x-known-values"])
