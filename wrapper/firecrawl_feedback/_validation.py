"""The server's body rules, applied before any network traffic.

Both the keyword API (``build_*``) and wire-form bodies (``*_from_body``, e.g.
one line of a batch file) go through one rule walk over a camelCase body, so
they cannot drift apart. Every broken rule is collected and raised at once as
a ValidationError; the request model is built from the trimmed values the
server would store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

from . import _api, _defaults, _inputs
from . import _limits as L
from ._api import FeedbackEndpoint, FeedbackRating
from ._errors import ValidationError, Violation
from ._fieldpath import python_name, render_wire, suggest
from ._jsvalues import NotJSONError, js_trim, json_size_exceeds, utf16_length
from ._types import JobId, MissingContentInput, Rating, ValuableSourceInput
from ._urls import http_url_problem

if TYPE_CHECKING:  # attrs models and uuid: loaded on first use, not at import (see _api)
    import uuid

    from ._api import EndpointFeedbackRequest, SearchFeedbackRequest

__all__ = [
    "build_endpoint_request",
    "build_search_request",
    "endpoint_request_from_body",
    "search_request_from_body",
]

Route = Literal["feedback", "search"]
Path = tuple[str | int, ...]

_PREVIEW_CHARS: Final = 40
_KEY_CHARS: Final = 40
#: Unknown keys per object that get a "did you mean" (each costs a difflib search).
_MAX_GUESSES: Final = 20
# Never echo what looks like a credential (a Firecrawl key, a bearer token). Long runs of
# letters, digits and hyphens are not on the list: UUIDs and URL slugs are ordinary values.
_SECRET_LOOKING: Final = re.compile(r"fc-[A-Za-z0-9]{6,}|bearer\s", re.I)


def _preview(text: str) -> str:
    """A short, safe echo of a user value for a message."""
    if _SECRET_LOOKING.search(text):
        return "a value that looks like a secret (not shown)"
    if len(text) > _PREVIEW_CHARS:
        return repr(text[:_PREVIEW_CHARS]) + "..."
    return repr(text)


def _kind(value: object) -> str:  # noqa: PLR0911 (a lookup, one line per JSON type)
    """The JSON name of a value's type, for "got ..." in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__


class _Rules:
    """One walk over a wire-form body: collects violations and the cleaned values.

    ``wire`` names fields as a wire-form body spells them (``jobId``); otherwise
    as the keyword arguments do (``job_id``).
    """

    def __init__(self, violations: list[Violation], *, wire: bool = False) -> None:
        self.violations = violations
        self.wire = wire

    def name(self, path: Path) -> str:
        """``path`` as the caller wrote it."""
        safe = [
            p if isinstance(p, int) or len(p) <= _KEY_CHARS else p[:_KEY_CHARS] + "..."
            for p in path
        ]
        if self.wire:
            return render_wire(safe)
        # Keyword calls: known fields by their argument names; any other key as written.
        return render_wire([python_name(p) if p in L.WIRE_KEYS else p for p in safe])

    def add(self, path: Path, rule: str) -> None:
        self.violations.append(Violation(self.name(path), rule))

    # -- scalars -----------------------------------------------------------------

    def string(
        self,
        value: object,
        path: Path,
        max_length: int | None = None,
        min_length: int = 0,
        *,
        trim: bool = True,
    ) -> str | None:
        """The string (trimmed when the server trims it), or None after reporting why not.

        Lone surrogates pass: the server's JSON.parse accepts them as ``\\u``
        escapes and counts each as one UTF-16 code unit.
        """
        if value is _inputs.SKIP:
            return None
        if not isinstance(value, str):
            self.add(path, f"must be a string; got {_kind(value)}")
            return None
        # Server: the free-text fields are trimmed (String.prototype.trim) before
        # every check and stored trimmed; jobId, origin and integration are not.
        text = js_trim(value) if trim else value
        if max_length is not None and len(text) > max_length:
            # Sizes first, before any per-character work (a 10 MB note fails fast).
            got = (
                utf16_length(text) if len(text) <= 4 * max_length else f"more than {4 * max_length}"
            )
            self.add(
                path,
                f"must be at most {max_length} characters (UTF-16 code units) "
                f"after trimming; got {got}",
            )
            return None
        # Server: lengths are JavaScript lengths, UTF-16 code units.
        size = utf16_length(text) if max_length is not None or min_length else 0
        if max_length is not None and size > max_length:
            self.add(
                path,
                f"must be at most {max_length} characters (UTF-16 code units) "
                f"after trimming; got {size}",
            )
            return None
        if size < min_length:
            self.add(path, "must not be empty after trimming")
            return None
        return text

    def optional_string(
        self,
        body: Mapping[str, Any],
        key: str,
        max_length: int | None,
        out: dict[str, Any],
        *,
        trim: bool = True,
    ) -> None:
        if key not in body:
            return
        # Server: optional fields are not nullable (JSON null is rejected).
        if body[key] is None:
            self.add((key,), "must not be null (leave it out instead)")
            return
        text = self.string(body[key], (key,), max_length, trim=trim)
        if text is not None:
            out[key] = text

    def url(self, value: object, path: Path) -> str | None:
        # Server: 1..2048 code units after trimming, a WHATWG URL with scheme http(s).
        text = self.string(value, path, L.URL_MAX_LENGTH, L.URL_MIN_LENGTH)
        if text is None:
            return None
        problem = http_url_problem(text)
        if problem is not None:
            self.add(path, f"{problem}; got {_preview(text)}")
            return None
        return text

    def enum(self, value: object, path: Path, options: tuple[str, ...]) -> str | None:
        # Server: enums are matched exactly (not trimmed, case-sensitive).
        if value is _inputs.SKIP:
            return None
        if isinstance(value, str) and value in options:
            return value
        got = _preview(value) if isinstance(value, str) else _kind(value)
        self.add(path, f"must be one of {', '.join(options)}; got {got}")
        return None

    def job_id(
        self, value: object, path: Path, pattern: re.Pattern[str] = L.UUID_PATTERN
    ) -> uuid.UUID | None:
        # Server: zod uuid() on the body's jobId, the uuid package's validate() on the
        # search route's path; neither trims. Sent in canonical lower-case form.
        text = self.string(value, path, trim=False)
        if text is None:
            return None
        if pattern.fullmatch(text) is None:
            padded = text != js_trim(text) and pattern.fullmatch(js_trim(text)) is not None
            self.add(
                path,
                "must be a UUID without surrounding spaces (the server does not trim it)"
                if padded
                else "must be a UUID (hyphenated, version 1-8, variant 8, 9, a or b; "
                f"or the nil or max UUID); got {_preview(text)}",
            )
            return None
        import uuid  # noqa: PLC0415 (uuid loads platform: not at import)

        return uuid.UUID(text)

    # -- containers --------------------------------------------------------------

    def array(self, body: Mapping[str, Any], key: str, max_items: int) -> list[Any] | None:
        """The items to check (at most ``max_items``: an over-long list is not walked)."""
        value = body[key]
        if value is _inputs.SKIP:
            return None
        if value is None:
            self.add((key,), "must not be null (leave it out instead)")
            return None
        if not isinstance(value, list | tuple):
            self.add((key,), f"must be a list; got {_kind(value)}")
            return None
        if len(value) > max_items:
            self.add((key,), f"must have at most {max_items} items; got {len(value)}")
            return list(value[:max_items])
        return list(value)

    def strict_object(
        self, value: object, path: Path, allowed: frozenset[str], what: str
    ) -> Mapping[str, Any] | None:
        # Server: objects are strict; unknown keys are rejected at every level.
        if value is _inputs.SKIP:
            return None
        if not isinstance(value, Mapping):
            self.add(path, f"must be {what}; got {_kind(value)}")
            return None
        guesses = _MAX_GUESSES  # a body of 100,000 unknown keys costs no 100,000 guesses
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                meant = None
                if isinstance(key, str) and len(key) <= _KEY_CHARS and guesses > 0:
                    guesses -= 1
                    meant = suggest(key, allowed)
                hint = f"; did you mean {self.name((meant,))}?" if meant is not None else ""
                self.add((*path, str(key)), "is not a known field" + hint)
        return value

    def labels(self, body: Mapping[str, Any], key: str, out: dict[str, Any]) -> None:
        # Server: at most 20; each trimmed, 1 to 80, matching ^[a-z0-9][a-z0-9_-]*$.
        items = self.array(body, key, L.LABELS_MAX_ITEMS)
        if items is None:
            return
        cleaned = []
        for index, item in enumerate(items):
            text = self.string(item, (key, index), L.LABEL_MAX_LENGTH, 1)
            if text is None:
                continue
            if L.LABEL_PATTERN.fullmatch(text) is None:
                self.add(
                    (key, index),
                    f"must match {L.LABEL_PATTERN_SOURCE} (lower-case letters, "
                    f"digits, '_' and '-'); got {_preview(text)}",
                )
                continue
            cleaned.append(text)
        out[key] = cleaned

    def page_numbers(self, body: Mapping[str, Any], out: dict[str, Any]) -> None:
        # Server: at most 100 JavaScript integers (safe range, zod 4 .int()), each >= 1.
        items = self.array(body, "pageNumbers", L.PAGE_NUMBERS_MAX_ITEMS)
        if items is None:
            return
        cleaned = []
        for index, item in enumerate(items):
            path = ("pageNumbers", index)
            if isinstance(item, bool) or not isinstance(item, int | float):
                self.add(path, f"must be an integer; got {_kind(item)}")
            elif isinstance(item, float) and not item.is_integer():
                self.add(path, "must be a whole number")
            elif item < L.PAGE_NUMBER_MINIMUM:
                self.add(path, f"must be at least {L.PAGE_NUMBER_MINIMUM}; got {int(item)}")
            elif item > L.MAX_SAFE_INTEGER:
                self.add(path, "must be at most 2**53 - 1 (JavaScript's largest safe integer)")
            else:
                cleaned.append(int(item))
        out["pageNumbers"] = cleaned

    def metadata(self, body: Mapping[str, Any], out: dict[str, Any]) -> None:
        value = body["metadata"]
        if value is _inputs.SKIP:
            return
        if value is None:
            self.add(("metadata",), "must not be null (leave it out instead)")
            return
        if not isinstance(value, Mapping):
            self.add(("metadata",), f"must be an object; got {_kind(value)}")
            return
        # Server: compact JSON.stringify output at most 8192 UTF-8 bytes (measured the
        # way JavaScript writes numbers, which differs from Python's repr).
        try:
            size = json_size_exceeds(value, L.METADATA_MAX_BYTES)
        except NotJSONError as error:
            self.add(("metadata",), f"must contain only JSON values: {error}")
            return
        except RecursionError:
            self.add(("metadata",), "must not be nested this deeply (or refer to itself)")
            return
        if size is None:
            self.add(
                ("metadata",),
                f"must be at most {L.METADATA_MAX_BYTES} bytes as compact JSON (UTF-8)",
            )
            return
        out["metadata"] = dict(value)

    def sources(self, body: Mapping[str, Any], out: dict[str, Any]) -> None:
        # Server: at most 50 strict {url, reason?}; reason at most 1000 after trimming.
        items = self.array(body, "valuableSources", L.SOURCES_MAX_ITEMS)
        if items is None:
            return
        cleaned = []
        for index, item in enumerate(items):
            path: Path = ("valuableSources", index)
            source = self.strict_object(item, path, L.SOURCE_KEYS, "an object with url and reason")
            if source is None:
                continue
            wire: dict[str, Any] = {}
            if "url" not in source:
                self.add((*path, "url"), "is required")
            else:
                url = self.url(source["url"], (*path, "url"))
                if url is not None:
                    wire["url"] = url
            self.optional_string_at(source, "reason", path, L.REASON_MAX_LENGTH, wire)
            cleaned.append(wire)
        out["valuableSources"] = cleaned

    def contents(self, body: Mapping[str, Any], route: Route, out: dict[str, Any]) -> None:
        # Server: strict {topic 1..200, description? <= 2000}; 20 items on the search
        # route, 50 on POST /feedback (read from the two request schemas).
        limit = L.CONTENT_MAX_ITEMS_SEARCH if route == "search" else L.CONTENT_MAX_ITEMS_FEEDBACK
        items = self.array(body, "missingContent", limit)
        if items is None:
            return
        cleaned = []
        for index, item in enumerate(items):
            path: Path = ("missingContent", index)
            content = self.strict_object(
                item, path, L.CONTENT_KEYS, "an object with topic and description"
            )
            if content is None:
                continue
            wire: dict[str, Any] = {}
            if "topic" not in content:
                self.add((*path, "topic"), "is required")
            else:
                topic = self.string(
                    content["topic"], (*path, "topic"), L.TOPIC_MAX_LENGTH, L.TOPIC_MIN_LENGTH
                )
                if topic is not None:
                    wire["topic"] = topic
            self.optional_string_at(content, "description", path, L.DESCRIPTION_MAX_LENGTH, wire)
            cleaned.append(wire)
        out["missingContent"] = cleaned

    def optional_string_at(
        self, item: Mapping[str, Any], key: str, path: Path, max_length: int, wire: dict[str, Any]
    ) -> None:
        if key not in item:
            return
        if item[key] is None:
            self.add((*path, key), "must not be null (leave it out instead)")
            return
        text = self.string(item[key], (*path, key), max_length)
        if text is not None:
            wire[key] = text


def _check_body(
    body: object, route: Route, violations: list[Violation], *, wire: bool
) -> dict[str, Any]:
    """Walk ``body`` with the server's rules for ``route``; return the cleaned body.

    ``wire``: the caller wrote ``body`` itself (camelCase keys), so messages use its keys.
    """
    rules = _Rules(violations, wire=wire)
    allowed = L.ENDPOINT_KEYS if route == "feedback" else L.SEARCH_KEYS
    fields = rules.strict_object(body, (), allowed, "a JSON object")
    if fields is None:
        return {}
    out: dict[str, Any] = {}
    for key in L.ENDPOINT_REQUIRED if route == "feedback" else L.SEARCH_REQUIRED:
        if key not in fields:
            rules.add((key,), "is required")
    if "rating" in fields:
        rating = rules.enum(fields["rating"], ("rating",), L.RATINGS)
        if rating is not None:
            out["rating"] = rating
    if route == "feedback":
        _check_feedback_fields(rules, fields, out)
    _check_common_fields(rules, fields, route, out)
    if violations:
        return out  # like zod: cross-field rules are judged only on a clean body
    _check_signals(rules, out, route)
    return out


def _check_feedback_fields(rules: _Rules, fields: Mapping[str, Any], out: dict[str, Any]) -> None:
    """The fields only ``POST /v2/feedback`` has."""
    if "endpoint" in fields:
        endpoint = rules.enum(fields["endpoint"], ("endpoint",), L.ENDPOINTS)
        if endpoint is not None:
            out["endpoint"] = endpoint
    if "jobId" in fields:
        job_id = rules.job_id(fields["jobId"], ("jobId",))
        if job_id is not None:
            out["jobId"] = job_id
    if "url" in fields:
        url = rules.url(fields["url"], ("url",))
        if url is not None:
            out["url"] = url
    for key in ("issues", "tags"):
        if key in fields:
            rules.labels(fields, key, out)
    rules.optional_string(fields, "note", L.NOTE_MAX_LENGTH, out)
    if "pageNumbers" in fields:
        rules.page_numbers(fields, out)
    if "metadata" in fields:
        rules.metadata(fields, out)


def _check_common_fields(
    rules: _Rules, fields: Mapping[str, Any], route: Route, out: dict[str, Any]
) -> None:
    """The fields both routes share."""
    if "valuableSources" in fields:
        rules.sources(fields, out)
    if "missingContent" in fields:
        rules.contents(fields, route, out)
    rules.optional_string(fields, "querySuggestions", L.QUERY_SUGGESTIONS_MAX_LENGTH, out)
    # Server: origin and integration are checked and stored as sent, not trimmed.
    rules.optional_string(fields, "origin", None, out, trim=False)
    rules.optional_string(fields, "integration", None, out, trim=False)
    integration = out.get("integration")
    # Server: a known integration name, or any string starting with "_".
    if (
        integration is not None
        and integration not in L.INTEGRATIONS
        and not (integration.startswith("_"))
    ):
        out.pop("integration")
        trimmed = js_trim(integration)
        padded = trimmed != integration and (trimmed in L.INTEGRATIONS or trimmed.startswith("_"))
        rules.add(
            ("integration",),
            "must be a known integration name or start with '_', without surrounding "
            f"spaces (the server does not trim it); got {_preview(integration)}"
            if padded
            else "must be a known integration ("
            f"{', '.join(sorted(L.INTEGRATIONS))}) or start with '_'; "
            f"got {_preview(integration)}",
        )


def _check_signals(rules: _Rules, out: dict[str, Any], route: Route) -> None:
    # Server: POST /feedback needs one substantive signal, non-empty after trimming.
    if route == "feedback" and not any(out.get(key) for key in L.SIGNAL_KEYS):
        names = ", ".join(rules.name((key,)) for key in L.SIGNAL_KEYS)
        rules.add((), f"must include at least one non-empty signal: {names}")
    # Server: search rating rules (search route, and POST /feedback with endpoint search).
    if route == "search" or out.get("endpoint") == "search":
        needs = L.RATING_NEEDS[out["rating"]]
        if not any(out.get(key) for key in needs):
            wanted = " or ".join(rules.name((key,)) for key in needs)
            rules.add(("rating",), f"{out['rating']!r} on a search job needs {wanted}")


def _raise_if(violations: list[Violation]) -> None:
    if violations:
        raise ValidationError(violations)


def _endpoint_model(out: dict[str, Any]) -> EndpointFeedbackRequest:
    request = _api.EndpointFeedbackRequest(
        endpoint=FeedbackEndpoint(out["endpoint"]),
        job_id=out["jobId"],
        rating=FeedbackRating(out["rating"]),
        origin=out.get("origin", _defaults.ORIGIN),
    )
    _fill_common(request, out)
    for key, attribute in (
        ("issues", "issues"),
        ("tags", "tags"),
        ("note", "note"),
        ("url", "url"),
        ("pageNumbers", "page_numbers"),
    ):
        if key in out:
            setattr(request, attribute, out[key])
    if "metadata" in out:
        request.metadata = _api.EndpointFeedbackRequestMetadata.from_dict(out["metadata"])
    return request


def _search_model(out: dict[str, Any]) -> SearchFeedbackRequest:
    request = _api.SearchFeedbackRequest(
        rating=FeedbackRating(out["rating"]), origin=out.get("origin", _defaults.ORIGIN)
    )
    _fill_common(request, out)
    return request


def _fill_common(
    request: EndpointFeedbackRequest | SearchFeedbackRequest, out: dict[str, Any]
) -> None:
    if "integration" in out:  # never null: omitted when not given
        request.integration = out["integration"]
    if "querySuggestions" in out:
        request.query_suggestions = out["querySuggestions"]
    if "valuableSources" in out:
        request.valuable_sources = [_api.ValuableSource(**item) for item in out["valuableSources"]]
    if "missingContent" in out:
        request.missing_content = [_api.MissingContent(**item) for item in out["missingContent"]]


def _keyword_body(violations: list[Violation], **given: object) -> dict[str, Any]:
    """The wire body for keyword arguments: None means "not given"."""
    body: dict[str, Any] = {}
    for key, given_value in given.items():
        if given_value is None:
            continue
        value = given_value
        if key in ("issues", "tags", "pageNumbers"):
            value = _inputs.string_list(given_value, python_name(key), violations)
        elif key == "valuableSources":
            value = _inputs.valuable_sources(given_value, violations)
        elif key == "missingContent":
            value = _inputs.missing_content(given_value, violations)
        elif key == "metadata":
            value = _inputs.metadata_value(given_value, violations)
        body[key] = value
    return body


def build_endpoint_request(
    *,
    endpoint: str | FeedbackEndpoint,  # any string: checked here (the sender passes str)
    job_id: JobId,
    rating: Rating,
    issues: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    note: str | None = None,
    url: str | None = None,
    page_numbers: Sequence[int] | None = None,
    metadata: Mapping[str, Any] | None = None,
    valuable_sources: Sequence[ValuableSourceInput] | None = None,
    missing_content: Sequence[MissingContentInput] | None = None,
    query_suggestions: str | None = None,
    integration: str | None = None,
    origin: str | None = None,
) -> EndpointFeedbackRequest:
    """Validate keyword arguments for ``POST /v2/feedback`` and build the request model."""
    violations: list[Violation] = []
    body = _keyword_body(
        violations,
        endpoint=_inputs.enum_value(endpoint, "endpoint", violations),
        jobId=_inputs.job_id_value(job_id, "job_id", violations),
        rating=_inputs.enum_value(rating, "rating", violations),
        issues=issues,
        tags=tags,
        note=note,
        url=url,
        pageNumbers=page_numbers,
        metadata=metadata,
        valuableSources=valuable_sources,
        missingContent=missing_content,
        querySuggestions=query_suggestions,
        integration=integration,
        origin=origin,
    )
    out = _check_body(body, "feedback", violations, wire=False)
    _raise_if(violations)
    return _endpoint_model(out)


def build_search_request(
    job_id: JobId,
    *,
    rating: Rating,
    valuable_sources: Sequence[ValuableSourceInput] | None = None,
    missing_content: Sequence[MissingContentInput] | None = None,
    query_suggestions: str | None = None,
    integration: str | None = None,
    origin: str | None = None,
) -> tuple[uuid.UUID, SearchFeedbackRequest]:
    """Validate arguments for ``POST /v2/search/{jobId}/feedback``: (path job ID, model)."""
    violations: list[Violation] = []
    path_id = _path_job_id(job_id, violations)
    body = _keyword_body(
        violations,
        rating=_inputs.enum_value(rating, "rating", violations),
        valuableSources=valuable_sources,
        missingContent=missing_content,
        querySuggestions=query_suggestions,
        integration=integration,
        origin=origin,
    )
    out = _check_body(body, "search", violations, wire=False)
    _raise_if(violations)
    assert path_id is not None  # noqa: S101 (no violations means the ID parsed)
    return path_id, _search_model(out)


def _path_job_id(job_id: object, violations: list[Violation]) -> uuid.UUID | None:
    # Server: the search route answers 400 when the path jobId is not a UUID. It is
    # the methods' ``job_id`` argument in both the keyword and the wire-form API.
    value = _inputs.job_id_value(job_id, "job_id", violations)
    return _Rules(violations).job_id(value, ("job_id",), L.PATH_UUID_PATTERN)


def endpoint_request_from_body(body: object) -> EndpointFeedbackRequest:
    """Validate a wire-form ``POST /v2/feedback`` body (camelCase JSON) and build the model."""
    violations: list[Violation] = []
    out = _check_body(body, "feedback", violations, wire=True)
    _raise_if(violations)
    return _endpoint_model(out)


def search_request_from_body(
    job_id: object, body: object
) -> tuple[uuid.UUID, SearchFeedbackRequest]:
    """Validate a wire-form search feedback body and its path job ID: (path job ID, model)."""
    violations: list[Violation] = []
    path_id = _path_job_id(job_id, violations)
    out = _check_body(body, "search", violations, wire=True)
    _raise_if(violations)
    assert path_id is not None  # noqa: S101 (no violations means the ID parsed)
    return path_id, _search_model(out)
