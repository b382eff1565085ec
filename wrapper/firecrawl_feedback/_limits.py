"""Every limit the validator enforces, read once from the canonical spec.

Numbers, patterns and enums come from ``COMPONENT_SCHEMAS`` so they are never
retyped; the server's rules that the spec cannot express are written out
below, each naming the rule of server-behaviour.md it mirrors.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ._api import COMPONENT_SCHEMAS

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

# --- Server rules the spec does not state ---------------------------------

# Server: URLs are "1 to 2048 code units" after trimming (the spec says only "uri").
URL_MAX_LENGTH: Final = 2048
URL_MIN_LENGTH: Final = 1
# Server: metadata's compact JSON is "at most 8192 UTF-8 bytes".
METADATA_MAX_BYTES: Final = 8192
# Server (zod 4 ``.int()``): integers beyond Number.MAX_SAFE_INTEGER are rejected.
MAX_SAFE_INTEGER: Final = 2**53 - 1
# Server: integration is one of these names, or any string starting with "_"
# (the names are recorded in the spec as x-known-values, see openapi/overrides.yaml).
INTEGRATIONS: Final = frozenset(_SEARCH["integration"]["x-known-values"])
# Server (zod 4 ``uuid()``, the body's jobId, not trimmed): hyphenated, version 1-8,
# variant 8/9/a/b, hex in either case; the nil and max UUIDs in lower case only.
UUID_PATTERN: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff"
)
# Server (the ``uuid`` package's ``validate``, the search route's path jobId): the
# same forms, case-insensitive throughout, the all-F max UUID included.
PATH_UUID_PATTERN: Final = re.compile(UUID_PATTERN.pattern, re.IGNORECASE)
# Server: POST /feedback needs one of these non-empty after trimming ("tags" counts).
SIGNAL_KEYS: Final = (
    "issues", "tags", "note", "valuableSources", "missingContent", "querySuggestions", "url",
    "pageNumbers",
)  # fmt: skip
# Server: rating rules on the search route and POST /feedback with endpoint "search".
RATING_NEEDS: Final[dict[str, tuple[str, ...]]] = {
    "good": ("valuableSources",),
    "partial": ("valuableSources", "missingContent"),
    "bad": ("missingContent", "querySuggestions"),
}
