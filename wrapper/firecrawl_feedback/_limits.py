"""The server's rules that the canonical spec cannot state, each naming the rule it mirrors.

Everything the spec states (types, lengths, item counts, patterns, enums) is
read from its field table (``FIELDS``); only what the live server adds is
written here, keyed by the wire name of the field it applies to. The parameter
docs (the generated ``spec_docs``) state these rules too: regenerate after a change.
"""

from __future__ import annotations

from typing import Final

# Server: URLs are "1 to 2048 code units" after trimming, WHATWG URLs with scheme
# http or https (the spec says only "string").
URL_FIELDS: Final = frozenset({"url"})
MAX_LENGTH: Final = {"url": 2048}
# Server: issue codes and tags are "each trimmed, 1 to 80"; URLs are not empty.
MIN_LENGTH: Final = {"url": 1, "issues": 1, "tags": 1}
# Server: free-text fields are trimmed (String.prototype.trim) before every check
# and stored trimmed; these are checked and stored as sent.
UNTRIMMED: Final = frozenset({"jobId", "origin", "integration"})
# Server: metadata's compact JSON is "at most 8192 UTF-8 bytes" (measured the way
# JavaScript writes numbers, which differs from Python's repr).
MAX_JSON_BYTES: Final = {"metadata": 8192}
# Server (zod 4.4's strictObject and record): an own key named "__proto__" (JSON.parse
# makes one) is skipped: never refused as unknown, measured or stored. Left out, not sent.
SKIPPED_KEY: Final = "__proto__"
# Server (express.json, before every other check): a body over 10 MiB, as sent, gets a 413.
MAX_BODY_BYTES: Final = 10 * 1024 * 1024
# Server (zod 4 ``.int()``): integers beyond Number.MAX_SAFE_INTEGER are rejected.
MAX_SAFE_INTEGER: Final = 2**53 - 1
# Server: integration is a known name, or any string starting with "_" (the known
# names are recorded in the spec as x-known-values, see openapi/overrides.yaml).
KNOWN_VALUES: Final = "x-known-values"
# Server (zod 4 ``uuid()``, the body's jobId, not trimmed): hyphenated, version 1-8,
# variant 8/9/a/b, hex in either case; the nil and max UUIDs in lower case only.
# (Patterns as strings: they compile on first use, in re's cache, not at import.)
UUID_PATTERN: Final = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff"
)
# Server (the ``uuid`` package's ``validate``, the search route's path jobId): the
# same forms, case-insensitive throughout, the all-F max UUID included.
PATH_UUID_PATTERN: Final = "(?i)" + UUID_PATTERN
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
