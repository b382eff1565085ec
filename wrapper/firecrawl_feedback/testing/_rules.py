"""The server's body rules for both feedback routes, as one pure function.

This is an independent oracle for the client's own validator, so it shares
nothing with it: every limit below is written out from the server reference
(docs ``server-behaviour.md``, section "Validation the server applies"), not
read from the generated spec, whose numbers the client already uses. A typo
on either side then shows up as a disagreement instead of being copied.

Issues look like zod 4's: ``code``, ``path`` and ``message`` plus the keys
zod adds per kind (``expected``; ``origin``, ``maximum``/``minimum`` and
``inclusive``; ``format`` and ``pattern``; ``values``; ``keys``), with zod's
codes (``invalid_type``, ``too_small``, ``too_big``, ``invalid_format``,
``invalid_value``, ``unrecognized_keys``, ``custom``). As in zod, an object's
unknown keys are reported after the issues of its fields, and the
cross-field rules (a substantive signal, the search rating rules) are judged
only once every field passes, and every field problem is reported, not just
the first. Cross-field issues sit at ``[]`` (substantive signal) and
``["rating"]`` (rating rules).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Final, Literal

from ._js import MAX_SAFE_INTEGER, as_number, length, stringify, utf8_size
from ._js import trim as _trim
from ._url import is_http_url

Route = Literal["feedback", "search"]
Issue = dict[str, object]
Path = list[str | int]

# -- Limits, as the server reference states them ---------------------------------
RATINGS: Final = ("good", "partial", "bad")
ENDPOINTS: Final = ("search", "scrape", "parse", "map")
INTEGRATIONS: Final = frozenset({
    "dify", "zapier", "pipedream", "raycast", "langchain", "crewai", "llamaindex", "n8n",
    "camelai", "make", "flowise", "metagpt", "relevanceai", "viasocket", "cli", "hermes",
    "gstack", "prometheus",
})  # fmt: skip
URL_MAX: Final = 2048
VALUABLE_SOURCES_MAX: Final = 50
REASON_MAX: Final = 1000
TOPIC_MAX: Final = 200
DESCRIPTION_MAX: Final = 2000
MISSING_CONTENT_MAX: Final[dict[Route, int]] = {"search": 20, "feedback": 50}
QUERY_SUGGESTIONS_MAX: Final = 2000
LABELS_MAX: Final = 20  # issues and tags, each
LABEL_MAX: Final = 80
LABEL_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9_-]*")  # ^...$, applied with fullmatch
NOTE_MAX: Final = 4000
PAGE_NUMBERS_MAX: Final = 100
METADATA_MAX_BYTES: Final = 8192
#: RFC 9562 layout: version digit 1-8, variant digit 8, 9, a or b; nil and max
#: UUIDs spelled out in lower case, as zod's ``uuid()`` pattern does (body jobId).
UUID_PATTERN: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff"
)
#: The search route's path jobId: the ``uuid`` package's ``validate``, whose regex
#: has the ``i`` flag, so the all-F max UUID passes in upper case too.
PATH_UUID_PATTERN: Final = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff",
    re.IGNORECASE,
)

FEEDBACK_KEYS: Final = (
    "endpoint", "jobId", "rating", "url", "issues", "tags", "note", "valuableSources",
    "missingContent", "querySuggestions", "pageNumbers", "metadata", "origin", "integration",
)  # fmt: skip
SEARCH_KEYS: Final = (
    "rating", "valuableSources", "missingContent", "querySuggestions", "origin", "integration",
)  # fmt: skip
VALUABLE_SOURCE_KEYS: Final = ("url", "reason")
MISSING_CONTENT_KEYS: Final = ("topic", "description")
SUBSTANTIVE_SIGNALS: Final = (
    "issues", "tags", "note", "valuableSources", "missingContent", "querySuggestions", "url",
    "pageNumbers",
)  # fmt: skip


def validate(route: Route, body: object) -> list[dict[str, object]]:
    """The issues the server finds in ``body`` (parsed JSON) on ``route``; empty = accepted."""
    check = _Checker()
    keys = FEEDBACK_KEYS if route == "feedback" else SEARCH_KEYS
    fields = check.fields_of(body, [])
    if fields is None:
        return check.issues
    _check_common_fields(check, fields, route)
    if route == "feedback":
        _check_feedback_fields(check, fields)
    check.unrecognized_keys(fields, [], keys)
    if check.issues:
        return check.issues  # zod runs object refinements only on a clean parse
    if route == "feedback":
        _check_substantive_signal(check, fields)
    if route == "search" or fields.get("endpoint") == "search":
        _check_search_rating(check, fields)
    return check.issues


def stored(body: dict[str, object]) -> dict[str, object]:
    """A valid body as zod's output holds it: the ``.trim()`` fields trimmed, the rest as sent.

    origin, integration, jobId, endpoint and rating are not trimmed by the server's schema;
    an absent origin is stored as "api" (its zod ``.default("api")``).
    """
    kept = {"origin": "api", **body}
    for key, value in body.items():
        if key in ("note", "querySuggestions", "url") and isinstance(value, str):
            kept[key] = _trim(value)
        elif key in ("issues", "tags") and isinstance(value, list):
            kept[key] = [_trim(item) if isinstance(item, str) else item for item in value]
        elif key in _TRIMMED_ITEM_FIELDS and isinstance(value, list):
            kept[key] = [_trimmed_item(item, _TRIMMED_ITEM_FIELDS[key]) for item in value]
    return kept


_TRIMMED_ITEM_FIELDS: Final = {
    "valuableSources": ("url", "reason"),
    "missingContent": ("topic", "description"),
}


def _trimmed_item(item: object, fields: tuple[str, ...]) -> object:
    if not isinstance(item, dict):
        return item
    return {k: _trim(v) if k in fields and isinstance(v, str) else v for k, v in item.items()}


def _check_common_fields(check: _Checker, fields: dict[str, object], route: Route) -> None:
    # rating: required enum good | partial | bad (not trimmed: an enum, not a string).
    check.enum(fields.get("rating", _MISSING), ["rating"], RATINGS)
    # valuableSources: at most 50 strict {url, reason?}; reason <= 1000 after trim.
    if "valuableSources" in fields:
        for i, item in check.array(fields["valuableSources"], ["valuableSources"],
                                   VALUABLE_SOURCES_MAX):  # fmt: skip
            path: Path = ["valuableSources", i]
            source = check.fields_of(item, path)
            if source is not None:
                check.url(source.get("url", _MISSING), [*path, "url"])
                check.optional_string(source, "reason", path, max_length=REASON_MAX)
                check.unrecognized_keys(source, path, VALUABLE_SOURCE_KEYS)
    # missingContent: strict {topic 1..200, description? <= 2000}; 20 items on the
    # search route, 50 on POST /feedback.
    if "missingContent" in fields:
        for i, item in check.array(fields["missingContent"], ["missingContent"],
                                   MISSING_CONTENT_MAX[route]):  # fmt: skip
            path = ["missingContent", i]
            content = check.fields_of(item, path)
            if content is not None:
                check.string(content.get("topic", _MISSING), [*path, "topic"], 1, TOPIC_MAX)
                check.optional_string(content, "description", path, max_length=DESCRIPTION_MAX)
                check.unrecognized_keys(content, path, MISSING_CONTENT_KEYS)
    # querySuggestions: at most 2000 after trim.
    check.optional_string(fields, "querySuggestions", [], max_length=QUERY_SUGGESTIONS_MAX)
    # origin: free text, not trimmed; JSON null is rejected (optional is not nullable).
    check.optional_string(fields, "origin", [], trim=False)
    # integration: not trimmed; null rejected; a known name, or anything starting with "_".
    integration = check.optional_string(fields, "integration", [], trim=False)
    known = integration in INTEGRATIONS or (integration or "").startswith("_")
    if integration is not None and not known:
        check.add({"code": "custom"}, ["integration"],
                  "Unknown integration: use a known name or a _ prefix")  # fmt: skip


def _check_feedback_fields(check: _Checker, fields: dict[str, object]) -> None:
    # endpoint: required enum search | scrape | parse | map.
    check.enum(fields.get("endpoint", _MISSING), ["endpoint"], ENDPOINTS)
    # jobId: required RFC UUID, not trimmed (version 1-8, variant 8-b, nil and max allowed).
    job_id = check.string(fields.get("jobId", _MISSING), ["jobId"], trim=False)
    if job_id is not None and not UUID_PATTERN.fullmatch(job_id):
        check.add(
            {"origin": "string", "code": "invalid_format", "format": "uuid",
             "pattern": f"/^({UUID_PATTERN.pattern})$/"},
            ["jobId"],
            "Invalid UUID",
        )  # fmt: skip
    # url: 1..2048 after trim, a WHATWG URL with scheme http or https.
    if "url" in fields:
        check.url(fields["url"], ["url"])
    # issues, tags: at most 20 each; items 1..80 after trim matching ^[a-z0-9][a-z0-9_-]*$.
    for key in ("issues", "tags"):
        if key in fields:
            for i, item in check.array(fields[key], [key], LABELS_MAX):
                check.string(item, [key, i], 1, LABEL_MAX, LABEL_PATTERN)
    # note: at most 4000 after trim.
    check.optional_string(fields, "note", [], max_length=NOTE_MAX)
    # pageNumbers: at most 100 integers (JavaScript numbers, safe range), each >= 1.
    if "pageNumbers" in fields:
        for i, item in check.array(fields["pageNumbers"], ["pageNumbers"], PAGE_NUMBERS_MAX):
            check.page_number(item, ["pageNumbers", i])
    # metadata: an object of at most 8192 UTF-8 bytes as compact JSON.stringify output.
    # A "__proto__" key counts like any other, here and in the strict objects (an unknown
    # key there): zod 4.4 skips it, a quirk a client must not rely on (README).
    if "metadata" in fields:
        metadata = fields["metadata"]
        if not isinstance(metadata, dict):
            check.invalid_type(["metadata"], "record", metadata)
        elif utf8_size(stringify(metadata)) > METADATA_MAX_BYTES:
            check.add(
                {"code": "custom"}, ["metadata"], "metadata must be at most 8192 bytes as JSON"
            )


def _check_substantive_signal(check: _Checker, fields: dict[str, object]) -> None:
    # POST /feedback: at least one non-empty signal after trimming (tags count too).
    if not any(_present(fields, key) for key in SUBSTANTIVE_SIGNALS):
        check.add(
            {"code": "custom"},
            [],
            "Include at least one of issues, tags, note, valuableSources, missingContent, "
            "querySuggestions, url or pageNumbers",
        )


def _check_search_rating(check: _Checker, fields: dict[str, object]) -> None:
    # Search rating rules: good needs valuableSources; partial needs valuableSources or
    # missingContent; bad needs missingContent or querySuggestions.
    needs: dict[object, tuple[str, ...]] = {
        "good": ("valuableSources",),
        "partial": ("valuableSources", "missingContent"),
        "bad": ("missingContent", "querySuggestions"),
    }
    wanted = needs[fields["rating"]]
    if not any(_present(fields, key) for key in wanted):
        check.add(
            {"code": "custom"},
            ["rating"],
            f'Rating "{fields["rating"]}" needs {" or ".join(wanted)}',
        )


def _present(fields: dict[str, object], key: str) -> bool:
    """A signal counts when present and non-empty after trimming."""
    value = fields.get(key)
    if isinstance(value, str):
        return bool(_trim(value))
    return bool(value)


class _Missing:
    """An absent key (JavaScript's ``undefined``)."""


_MISSING: Final = _Missing()


class _Checker:
    """Collects zod-style issues while the field checks walk the body."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, issue: Issue, path: Path, message: str) -> None:
        """``issue``: the code and zod's extra keys, in zod's order; then path and message."""
        self.issues.append({**issue, "path": list(path), "message": message})

    def invalid_type(
        self, path: Path, expected: str, value: object, extra: Issue | None = None
    ) -> None:
        received = _js_type(value)
        self.add(
            {"expected": expected, "code": "invalid_type", **(extra or {})},
            path,
            f"Invalid input: expected {expected}, received {received}",
        )

    def fields_of(self, value: object, path: Path) -> dict[str, object] | None:
        """A JSON object's fields; its unknown keys are judged after them (unrecognized_keys)."""
        if not isinstance(value, dict):
            self.invalid_type(path, "object", value)
            return None
        return {str(key): item for key, item in value.items()}

    def unrecognized_keys(
        self, fields: dict[str, object], path: Path, allowed: tuple[str, ...]
    ) -> None:
        """zod's strict objects report unknown keys once their own fields are checked."""
        unknown = [key for key in fields if key not in allowed]
        if unknown:
            names = ", ".join(f'"{key}"' for key in unknown)
            plural = "s" if len(unknown) > 1 else ""
            self.add(
                {"code": "unrecognized_keys", "keys": unknown},
                path,
                f"Unrecognized key{plural}: {names}",
            )

    def enum(self, value: object, path: Path, options: tuple[str, ...]) -> None:
        if value not in options or not isinstance(value, str):
            expected = "|".join(f'"{option}"' for option in options)
            self.add(
                {"code": "invalid_value", "values": list(options)},
                path,
                f"Invalid option: expected one of {expected}",
            )

    def array(self, value: object, path: Path, max_items: int) -> list[tuple[int, object]]:
        """The items of a JSON array of at most ``max_items`` (wrong type: no items)."""
        if not isinstance(value, list):
            self.invalid_type(path, "array", value)
            return []
        if len(value) > max_items:
            self.add(
                _size_issue("too_big", "array", max_items),
                path,
                f"Too big: expected array to have <={max_items} items",
            )
        return list(enumerate(value))

    def string(
        self,
        value: object,
        path: Path,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: re.Pattern[str] | None = None,
        *,
        trim: bool = True,
    ) -> str | None:
        """A string, trimmed first (where zod's schema says ``.trim()``), in UTF-16 code units.

        Unpaired surrogates (``\\ud800`` escapes in the JSON) are ordinary code units here.
        """
        if not isinstance(value, str):
            self.invalid_type(path, "string", value)
            return None
        text = _trim(value) if trim else value
        size = length(text)
        if min_length is not None and size < min_length:
            self.add(
                _size_issue("too_small", "string", min_length),
                path,
                f"Too small: expected string to have >={min_length} characters",
            )
        if max_length is not None and size > max_length:
            self.add(
                _size_issue("too_big", "string", max_length),
                path,
                f"Too big: expected string to have <={max_length} characters",
            )
        if pattern is not None and not pattern.fullmatch(text):
            source = f"/^{pattern.pattern}$/"
            self.add(
                {"origin": "string", "code": "invalid_format", "format": "regex",
                 "pattern": source},
                path,
                f"Invalid string: must match pattern {source}",
            )  # fmt: skip
        return text

    def optional_string(
        self,
        fields: dict[str, object],
        key: str,
        parent: Path,
        max_length: int | None = None,
        *,
        trim: bool = True,
    ) -> str | None:
        if key not in fields:
            return None
        return self.string(fields[key], [*parent, key], max_length=max_length, trim=trim)

    def url(self, value: object, path: Path) -> None:
        text = self.string(value, path, 1, URL_MAX)
        if text is not None and not is_http_url(text):
            # How the server words this one is not known: zod's url format, at least.
            self.add(
                {"code": "invalid_format", "format": "url"},
                path,
                "Invalid URL: must be an http or https URL",
            )

    def page_number(self, value: object, path: Path) -> None:
        number = as_number(value)
        if number is None or not math.isfinite(number):
            # A literal too large for a double parses as Infinity, which zod names.
            infinite = number is not None and math.isinf(number)
            self.invalid_type(path, "number", value, {"received": "Infinity"} if infinite else None)
        elif not number.is_integer():
            # z.number().int() is the "safeint" number format: its own invalid_type.
            self.add(
                {"expected": "int", "format": "safeint", "code": "invalid_type"},
                path,
                f"Invalid input: expected int, received {_js_type(value)}",
            )
        elif number > MAX_SAFE_INTEGER:
            self.add(
                {"code": "too_big", "maximum": MAX_SAFE_INTEGER,
                 "note": "Integers must be within the safe integer range.", "origin": "int"},
                path,
                f"Too big: expected int to be <={MAX_SAFE_INTEGER}",
            )  # fmt: skip
        elif number < 1:
            self.add(
                {"origin": "number", "code": "too_small", "minimum": 1, "inclusive": True},
                path,
                "Too small: expected number to be >=1",
            )


def _size_issue(code: str, origin: str, limit: int) -> Issue:
    """zod's length checks: origin, code, the bound, inclusive."""
    bound = "maximum" if code == "too_big" else "minimum"
    return {"origin": origin, "code": code, bound: limit, "inclusive": True}


def _js_type(value: object) -> str:
    """How zod names the received type."""
    names: list[tuple[Callable[[object], bool], str]] = [
        (lambda v: isinstance(v, _Missing), "undefined"),
        (lambda v: v is None, "null"),
        (lambda v: isinstance(v, bool), "boolean"),
        (lambda v: isinstance(v, float) and math.isnan(v), "NaN"),
        (lambda v: isinstance(v, int | float), "number"),
        (lambda v: isinstance(v, str), "string"),
        (lambda v: isinstance(v, list), "array"),
    ]
    return next((name for test, name in names if test(value)), "object")
