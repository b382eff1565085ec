"""The server's body rules, applied before any network traffic.

One walk, driven by the field table generated from the canonical spec
(``FIELDS``: each field's schema), checks keyword calls and wire-form bodies
(e.g. one line of a batch file) alike. The schema gives types, lengths, item
counts, patterns and enums; ``_limits`` adds the server's rules the spec
cannot state. Every broken rule is collected and raised at once as a
ValidationError; the request model is built from the trimmed values the
server would store.
"""

from __future__ import annotations

import enum
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from . import _api, _defaults
from . import _limits as L
from ._api import FEEDBACK, FIELDS, PYTHON_NAMES, SEARCH, SHORT_FORMS, Field
from ._errors import ValidationError, shown
from ._fieldpath import render_wire, suggest
from ._jsvalues import NotJSONError, js_trim, json_size_exceeds, utf16_length
from ._models import build
from ._urls import http_url_problem

if TYPE_CHECKING:  # attrs models and uuid: loaded on first use, not at import (see _api)
    import uuid

    from ._api import EndpointFeedbackRequest, SearchFeedbackRequest
    from ._problems import Violation

__all__ = [
    "build_endpoint_request",
    "build_search_request",
    "endpoint_request_from_body",
    "search_request_from_body",
]

Path = tuple[str | int, ...]

_PREVIEW_CHARS: Final = 40
_KEY_CHARS: Final = 40
#: Unknown keys per object that get a "did you mean" (each costs a difflib search).
_MAX_GUESSES: Final = 20
#: Violations listed; the others are counted (a body of a million unknown keys must not
#: cost a million objects and a message of fifty megabytes).
_MAX_LISTED: Final = 1000
# Never echo what looks like a credential (a Firecrawl key, a bearer token). Long runs of
# letters, digits and hyphens are not on the list: UUIDs and URL slugs are ordinary values.
_KEY_LIKE: Final = r"(?i)fc-[A-Za-z0-9]{6,}|bearer\s"  # compiled on first use


class _Bad:
    """A value that broke a rule (already reported): left out of the cleaned body."""


BAD: Final = _Bad()


def _violation(field: str, rule: str) -> Violation:
    from ._problems import Violation  # noqa: PLC0415 (with the first broken rule, not at import)

    return Violation(field, rule)


def _preview(text: str) -> str:
    """A short, safe echo of a user value for a message."""
    if re.search(_KEY_LIKE, text):
        return "a value that looks like a secret (not shown)"
    if len(text) > _PREVIEW_CHARS:
        return repr(text[:_PREVIEW_CHARS]) + "..."
    return repr(text)


_JSON_KINDS: Final = ((bool, "boolean"), (int | float, "number"), (str, "string"))


def _kind(value: object) -> str:
    """The JSON name of a value's type, for "got ..." in messages."""
    if value is None:
        return "null"
    for python, json_name in _JSON_KINDS:
        if isinstance(value, python):
            return json_name
    if isinstance(value, Mapping):
        return "object"
    return "array" if isinstance(value, list | tuple) else type(value).__name__


class _Rules:
    """One walk over a wire-form body: collects violations and the cleaned values.

    ``wire`` names fields as a wire-form body spells them (``jobId``); otherwise
    as the keyword arguments do (``job_id``).
    """

    def __init__(self, violations: list[Violation], *, wire: bool) -> None:
        self.violations = violations
        self.wire = wire
        #: At least the cleaned body's size as sent, in bytes (see _check_size).
        self.size = 0
        self.unlisted = 0

    def name(self, path: Path) -> str:
        """``path`` as the caller wrote it."""
        safe = [
            p if isinstance(p, int) or len(p) <= _KEY_CHARS else p[:_KEY_CHARS] + "..."
            for p in path
        ]
        if self.wire:
            return render_wire(safe)
        # Keyword calls: known fields by their argument names; any other key as written.
        return render_wire([PYTHON_NAMES.get(p, p) if isinstance(p, str) else p for p in safe])

    def add(self, path: Path, rule: str) -> _Bad:
        if len(self.violations) < _MAX_LISTED:
            self.violations.append(_violation(self.name(path), rule))
        else:
            self.unlisted += 1
        return BAD

    def enum(self, value: object, path: Path, options: tuple[str, ...]) -> str | _Bad:
        # Server: enums are matched exactly (not trimmed, case-sensitive).
        if isinstance(value, str) and value in options:
            self.size += 6 * len(value) + 2
            return value
        got = _preview(value) if isinstance(value, str) else _kind(value)
        return self.add(path, f"must be one of {', '.join(options)}; got {got}")

    # -- scalars -----------------------------------------------------------------

    def string(
        self, value: object, path: Path, max_length: int | None, min_length: int, *, trim: bool
    ) -> str | _Bad:
        """The string (trimmed when the server trims it), or BAD after reporting why not.

        Lone surrogates pass: the server's JSON.parse accepts them as ``\\u``
        escapes and counts each as one UTF-16 code unit.
        """
        if not isinstance(value, str):
            return self.add(path, f"must be a string; got {_kind(value)}")
        text = js_trim(value) if trim else value
        # Server: lengths are JavaScript lengths, UTF-16 code units. Sizes first, before
        # any per-character work (a 10 MB note fails fast).
        if max_length is not None and len(text) > max_length:
            got = (
                utf16_length(text) if len(text) <= 4 * max_length else f"more than {4 * max_length}"
            )
            return self.add(path, _too_long(max_length, got))
        size = len(text) if text.isascii() else utf16_length(text)
        if max_length is not None and size > max_length:
            return self.add(path, _too_long(max_length, size))
        if size < min_length:
            return self.add(path, "must not be empty after trimming")
        self.size += 6 * len(text) + 2  # quotes; a character takes at most 6 bytes (\u001f)
        return text

    def string_field(self, value: object, path: Path, rule: _StringRule) -> str | _Bad:
        text = self.string(value, path, rule.max_length, rule.min_length, trim=rule.trim)
        if isinstance(text, _Bad):
            return text
        if rule.pattern is not None and rule.pattern.fullmatch(text) is None:
            # fullmatch: JavaScript's "$" never matches before a final newline.
            return self.add(path, f"must match {rule.pattern.pattern}; got {_preview(text)}")
        if rule.url and (problem := http_url_problem(text)) is not None:
            return self.add(path, f"{problem}; got {_preview(text)}")
        if rule.known is not None:
            return self.known_name(text, path, rule.known)
        return text

    def known_name(self, name: str, path: Path, known: frozenset[str]) -> str | _Bad:
        # Server: a known integration name, or any string starting with "_".
        if name in known or name.startswith("_"):
            return name
        trimmed = js_trim(name)
        if trimmed != name and (trimmed in known or trimmed.startswith("_")):
            return self.add(
                path,
                "must be a known integration name or start with '_', without surrounding "
                f"spaces (the server does not trim it); got {_preview(name)}",
            )
        return self.add(
            path,
            f"must be a known integration ({', '.join(sorted(known))}) or start with '_'; "
            f"got {_preview(name)}",
        )

    def job_id(self, value: object, path: Path, pattern: re.Pattern[str]) -> str | _Bad:
        # Server: zod uuid() on the body's jobId, the uuid package's validate() on the
        # search route's path; neither trims. Sent in canonical lower-case form.
        text = self.string(value, path, None, 0, trim=False)
        if isinstance(text, _Bad):
            return text
        if pattern.fullmatch(text) is None:
            padded = text != js_trim(text) and pattern.fullmatch(js_trim(text)) is not None
            return self.add(
                path,
                "must be a UUID without surrounding spaces (the server does not trim it)"
                if padded
                else "must be a UUID (hyphenated, version 1-8, variant 8, 9, a or b; "
                f"or the nil or max UUID); got {_preview(text)}",
            )
        return text.lower()  # the canonical form, as str(uuid.UUID(text)) writes it

    def integer(self, item: object, path: Path, minimum: int | None) -> int | _Bad:
        # Server: JavaScript integers (safe range, zod 4 .int()), at least the minimum.
        if isinstance(item, bool) or not isinstance(item, int | float):
            return self.add(path, f"must be an integer; got {_kind(item)}")
        if isinstance(item, float) and not item.is_integer():
            return self.add(path, "must be a whole number")
        if minimum is not None and item < minimum:
            return self.add(path, f"must be at least {minimum}; got {shown(int(item))}")
        if abs(item) > L.MAX_SAFE_INTEGER:
            return self.add(path, "must be at most 2**53 - 1 (JavaScript's largest safe integer)")
        self.size += 17  # the longest safe integer, with its sign
        return int(item)

    def unsized(self, value: object) -> object:
        """A value of a schema this walk has no rule for: passed on, the body measured."""
        self.size += L.MAX_BODY_BYTES
        return value

    # -- containers --------------------------------------------------------------

    def array(self, value: object, path: Path, limit: int | None, each: Check) -> Any:
        if not isinstance(value, list | tuple):
            return self.add(path, f"must be a list; got {_kind(value)}")
        if limit is not None and len(value) > limit:
            # An over-long list is not walked beyond its limit.
            self.add(path, f"must have at most {limit} items; got {len(value)}")
            value = value[:limit]
        # An item the keyword form already reported (BAD) is not judged again.
        items = [
            item if item is BAD else each(self, item, (*path, i)) for i, item in enumerate(value)
        ]
        self.size += 2 + len(items)  # brackets and commas
        return [item for item in items if item is not BAD]

    def keys(self, value: object, path: Path, allowed: frozenset[str], what: str) -> bool:
        """Whether ``value`` is an object; unknown keys are reported."""
        # Server: objects are strict; unknown keys are rejected at every level (but
        # L.SKIPPED_KEY, which zod skips: not reported, and not copied into the output).
        if value.__class__ is not dict and not isinstance(value, Mapping):
            self.add(path, f"must be {what}; got {_kind(value)}")
            return False
        if allowed.issuperset(value):
            return True
        guesses = _MAX_GUESSES  # a body of 100,000 unknown keys costs no 100,000 guesses
        for key in value:
            if not isinstance(key, str) or (key not in allowed and key != L.SKIPPED_KEY):
                meant = None
                if isinstance(key, str) and len(key) <= _KEY_CHARS and guesses > 0:
                    guesses -= 1
                    meant = suggest(key, sorted(allowed))  # a fixed order: a fixed guess
                hint = f"; did you mean {self.name((meant,))}?" if meant is not None else ""
                self.add(
                    (*path, key if isinstance(key, str) else shown(key)),
                    "is not a known field" + hint,
                )
        return True

    def strict_object(self, value: object, path: Path, shape: _Shape) -> Any:
        what = shape.what if path else "a JSON object"
        if not self.keys(value, path, shape.allowed, what):
            return BAD
        assert isinstance(value, Mapping)  # noqa: S101 (keys() said so)
        for key in shape.required:
            if key not in value:
                self.add((*path, key), "is required")
        out: dict[str, Any] = {}
        for key, check in shape.checks.items():  # in the table's order, whatever the input's
            if key not in value:
                continue
            item = value[key]
            if item is BAD:  # already reported by the keyword form
                continue
            if item is None and key not in shape.required:
                # Server: optional fields are not nullable (JSON null is rejected).
                self.add((*path, key), "must not be null (leave it out instead)")
                continue
            cleaned = check(self, item, (*path, key))
            if cleaned is not BAD:
                out[key] = cleaned
        self.size += shape.keys_size
        return out

    def free_object(self, value: object, path: Path, limit: int | None) -> dict[str, Any] | _Bad:
        if not isinstance(value, Mapping):
            return self.add(path, f"must be an object; got {_kind(value)}")
        if L.SKIPPED_KEY in value:  # Server: zod's record skips it (not measured, not stored)
            value = {key: item for key, item in value.items() if key != L.SKIPPED_KEY}
        try:
            size = json_size_exceeds(value, limit if limit is not None else 2**63)
        except NotJSONError as error:
            return self.add(path, f"must contain only JSON values: {error}")
        except RecursionError:
            return self.add(path, "must not be nested this deeply (or refer to itself)")
        if size is None:
            return self.add(path, f"must be at most {limit} bytes as compact JSON (UTF-8)")
        self.size += 2 * size  # Python spells some numbers longer than JavaScript (1e-07)
        return dict(value)


Check = Callable[[_Rules, Any, Path], Any]


class _StringRule(NamedTuple):
    max_length: int | None
    min_length: int
    trim: bool
    pattern: re.Pattern[str] | None
    url: bool
    known: frozenset[str] | None


class _Shape(NamedTuple):
    """A strict object: each property's check, in the table's order."""

    checks: dict[str, Check]
    required: tuple[str, ...]
    allowed: frozenset[str]
    what: str
    #: The most its braces, keys, colons and commas can take as sent, whichever keys it has.
    keys_size: int


def _compile(schema: dict[str, Any], key: str) -> Check:  # noqa: PLR0911 (one per JSON type)
    """The check of one value, built once from its schema and the server's rules for ``key``."""
    if "enum" in schema:
        options = tuple(schema["enum"])
        return lambda rules, value, path: rules.enum(value, path, options)
    kind = schema.get("type")
    if kind == "string" and schema.get("format") == "uuid":
        uuid_pattern = re.compile(L.UUID_PATTERN)  # on first use, like every check here
        return lambda rules, value, path: rules.job_id(value, path, uuid_pattern)
    if kind == "string":
        pattern = schema.get("pattern")
        rule = _StringRule(
            max_length=L.MAX_LENGTH.get(key, schema.get("maxLength")),
            min_length=max(schema.get("minLength", 0), L.MIN_LENGTH.get(key, 0)),
            trim=key not in L.UNTRIMMED,
            pattern=re.compile(pattern) if pattern is not None else None,
            url=key in L.URL_FIELDS,
            known=frozenset(schema[L.KNOWN_VALUES]) if L.KNOWN_VALUES in schema else None,
        )
        return lambda rules, value, path: rules.string_field(value, path, rule)
    if kind == "integer":
        minimum = schema.get("minimum")
        return lambda rules, value, path: rules.integer(value, path, minimum)
    if kind == "array":
        each, limit = _compile(schema.get("items", {}), key), schema.get("maxItems")
        return lambda rules, value, path: rules.array(value, path, limit, each)
    if kind == "object" and "properties" in schema:
        props, required = schema["properties"], tuple(schema.get("required", ()))
        shape = _Shape(
            checks={name: _compile(sub, name) for name, sub in props.items()},
            required=required,
            allowed=frozenset(props),
            what=f"an object with {' and '.join(sorted(props, key=lambda p: p not in required))}",
            keys_size=2 + sum(len(name) + 4 for name in props),
        )
        return lambda rules, value, path: rules.strict_object(value, path, shape)
    if kind == "object":
        size = L.MAX_JSON_BYTES.get(key)
        return lambda rules, value, path: rules.free_object(value, path, size)
    return lambda rules, value, path: rules.unsized(value)


def _body_check(operation: str) -> Check:
    """The request body as one strict object, from the table's body rows."""
    rows = [f for f in FIELDS[operation] if f.location == "body"]
    schema = {
        "type": "object",
        "properties": {f.wire: f.schema for f in rows},
        "required": [f.wire for f in rows if f.required],
    }
    return _compile(schema, "")


#: Each operation's body check, compiled on first use (not at import).
_BODIES: dict[str, Check] = {}
#: Each operation's keyword fields by their Python names.
_KEYWORDS: Final = {
    operation: {f.name: f for f in rows if f.location == "body"}
    for operation, rows in FIELDS.items()
}
#: The wire name of each keyword field whose usual value goes in as it is: a str for
#: a field that is no list, a list for a list field whose items have no short forms.
_AS_GIVEN: Final[dict[str, dict[tuple[str, type], str]]] = {
    operation: {
        (name, str if f.schema.get("type") != "array" else list): f.wire
        for name, f in rows.items()
        if f.wire not in SHORT_FORMS
    }
    for operation, rows in _KEYWORDS.items()
}


def _too_long(limit: int, got: object) -> str:
    return f"must be at most {limit} characters (UTF-16 code units) after trimming; got {got}"


def _check_body(
    operation: str, body: object, violations: list[Violation], *, wire: bool
) -> dict[str, Any]:
    """Walk ``body`` with the server's rules for ``operation``; return the cleaned body."""
    rules = _Rules(violations, wire=wire)
    check = _BODIES.get(operation)
    if check is None:
        check = _BODIES[operation] = _body_check(operation)
    out: Any = check(rules, body, ())
    if rules.unlisted:
        violations.append(_violation("body", f"breaks {rules.unlisted} more rules, not listed"))
    if violations or out is BAD:
        return {}  # like zod: cross-field rules are judged only on a clean body
    # Server: POST /feedback needs one substantive signal, non-empty after trimming.
    if operation == FEEDBACK and not any(map(out.get, L.SIGNAL_KEYS)):
        names = ", ".join(rules.name((key,)) for key in L.SIGNAL_KEYS)
        rules.add((), f"must include at least one non-empty signal: {names}")
    # Server: search rating rules (search route, and POST /feedback with endpoint search).
    # A rating the spec added since _limits was written has none here: the server judges it.
    if operation == SEARCH or out.get("endpoint") == "search":
        needs = L.RATING_NEEDS.get(out["rating"], ())
        if needs and not any(map(out.get, needs)):
            wanted = " or ".join(rules.name((key,)) for key in needs)
            rules.add(("rating",), f"{out['rating']!r} on a search job needs {wanted}")
    if rules.size > L.MAX_BODY_BYTES:  # a bound: only a body that may be too large is measured
        _check_size(out, rules)
    return dict(out)


def _check_size(out: dict[str, Any], rules: _Rules) -> None:
    # Server: a body over 10 MiB is refused (413) before any rule; measured as it will be sent.
    sent = {"origin": _defaults.ORIGIN, **out}
    size = len(_api.encode_json(sent))
    if size > L.MAX_BODY_BYTES:
        largest = max(sent, key=lambda key: len(_api.encode_json(sent[key])))
        rules.add(
            (largest,),
            f"makes the body {size} bytes as sent; the server refuses a body over "
            f"{L.MAX_BODY_BYTES} bytes",
        )


# -- the keyword form ------------------------------------------------------------


def _keyword_body(
    operation: str,
    given: Mapping[str, object],
    violations: list[Violation],
    options: Iterable[str],
) -> dict[str, Any]:
    """The wire body for keyword arguments: None means "not given".

    Nothing is judged here beyond shape (the rules judge the body); an argument
    of the wrong shape becomes a violation, never a TypeError. ``options``: the
    caller's other keyword arguments, which a misspelt name may have meant.
    """
    rows, as_given = _KEYWORDS[operation], _AS_GIVEN[operation]
    body: dict[str, Any] = {}
    for name, value in given.items():
        wire = as_given.get((name, value.__class__))
        if wire is not None:
            body[wire] = value  # the usual case: nothing to convert (the rules copy lists)
            continue
        field = rows.get(name)
        if field is None:
            meant = suggest(name, [*rows, *options])
            hint = f"; did you mean {meant}?" if meant is not None else ""
            violations.append(_violation(name, "is not a known argument" + hint))
        elif value is not None:
            body[field.wire] = _wire_value(value, field, violations)
    return body


def _wire_value(value: object, field: Field, out: list[Violation]) -> Any:
    """One keyword argument in wire form: enum members by value, UUIDs as text, lists."""
    name, schema = field.name, field.schema
    if isinstance(value, enum.Enum):
        return value.value
    if _is_uuid(value) and schema.get("format") == "uuid":
        return str(value)
    kind = schema.get("type")
    if kind == "array":
        return _wire_list(value, field, out)
    if isinstance(value, Mapping):
        return dict(value)
    if kind == "object":
        out.append(_violation(name, f"must be a mapping; got {type(value).__name__}"))
        return BAD
    return value


def _wire_list(value: object, field: Field, out: list[Violation]) -> Any:
    if value.__class__ not in (list, tuple) and (
        isinstance(value, str | bytes) or not isinstance(value, Sequence)
    ):
        out.append(_violation(field.name, f"must be a list; got {type(value).__name__}"))
        return BAD
    items: list[object] = list(value)  # a Sequence, checked above
    forms = SHORT_FORMS.get(field.wire)
    if forms is None:
        return items
    return [_item(v, f"{field.name}[{i}]", forms, out) for i, v in enumerate(items)]


def _item(item: object, name: str, forms: tuple[str, ...], out: list[Violation]) -> object:
    """An object item: its model, a mapping, a bare value or a pair (``forms`` are its keys)."""
    if hasattr(item, "to_dict") and not isinstance(item, Mapping):
        return item.to_dict()
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, str):
        return {forms[0]: item}
    if len(forms) == 2 and isinstance(item, tuple | list) and len(item) == 2:
        return dict(zip(forms, item, strict=True))
    out.append(_violation(name, f"must be {_forms_text(forms)}; got {type(item).__name__}"))
    return BAD


def _forms_text(forms: tuple[str, ...]) -> str:
    pair = f", a ({forms[0]}, {forms[1]}) pair" if len(forms) == 2 else ""
    return (
        f"a {forms[0]} string{pair}, a mapping with {' and '.join(map(repr, forms))}, or the model"
    )


def _path_job_id(job_id: object, violations: list[Violation]) -> uuid.UUID | None:
    # Server: the search route answers 400 when the path jobId is not a UUID. It is
    # the methods' ``job_id`` argument in both the keyword and the wire-form API.
    value = str(job_id) if _is_uuid(job_id) else job_id
    if not isinstance(value, str):
        violations.append(
            _violation("job_id", f"must be a UUID string or uuid.UUID; got {_kind(value)}")
        )
        return None
    pattern = re.compile(L.PATH_UUID_PATTERN)  # re's cache: compiled once
    text = _Rules(violations, wire=False).job_id(value, ("job_id",), pattern)
    if isinstance(text, _Bad):
        return None
    import uuid  # noqa: PLC0415 (uuid loads platform: not at import)

    return uuid.UUID(text)


def _is_uuid(value: object) -> bool:
    # A uuid.UUID can only exist once uuid is imported; importing it here would cost
    # every program that never uses one (uuid loads platform).
    module = sys.modules.get("uuid")
    return module is not None and isinstance(value, module.UUID)


def _model(operation: str, out: dict[str, Any], violations: list[Violation]) -> Any:
    if violations:
        raise ValidationError(violations)
    out.setdefault("origin", _defaults.ORIGIN)
    model = _api.EndpointFeedbackRequest if operation == FEEDBACK else _api.SearchFeedbackRequest
    return build(model, out)


# -- the four entry points -------------------------------------------------------


def build_endpoint_request(
    endpoint: object, job_id: object, *, options_named: Iterable[str] = (), **fields: object
) -> EndpointFeedbackRequest:
    """Validate keyword arguments for ``POST /v2/feedback`` and build the request model.

    ``options_named``: the caller's own options, for a misspelling's "did you mean".
    """
    violations: list[Violation] = []
    given = {"endpoint": endpoint, "job_id": job_id, **fields}
    body = _keyword_body(FEEDBACK, given, violations, options_named)
    out = _check_body(FEEDBACK, body, violations, wire=False)
    result: EndpointFeedbackRequest = _model(FEEDBACK, out, violations)
    return result


def build_search_request(
    job_id: object, *, options_named: Iterable[str] = (), **fields: object
) -> tuple[uuid.UUID, SearchFeedbackRequest]:
    """Validate arguments for ``POST /v2/search/{jobId}/feedback``: (path job ID, model)."""
    violations: list[Violation] = []
    path_id = _path_job_id(job_id, violations)
    body = _keyword_body(SEARCH, fields, violations, options_named)
    out = _check_body(SEARCH, body, violations, wire=False)
    model: SearchFeedbackRequest = _model(SEARCH, out, violations)
    assert path_id is not None  # noqa: S101 (no violations means the ID parsed)
    return path_id, model


def endpoint_request_from_body(body: object) -> EndpointFeedbackRequest:
    """Validate a wire-form ``POST /v2/feedback`` body (camelCase JSON) and build the model."""
    violations: list[Violation] = []
    out = _check_body(FEEDBACK, body, violations, wire=True)
    result: EndpointFeedbackRequest = _model(FEEDBACK, out, violations)
    return result


def search_request_from_body(
    job_id: object, body: object
) -> tuple[uuid.UUID, SearchFeedbackRequest]:
    """Validate a wire-form search feedback body and its path job ID: (path job ID, model)."""
    violations: list[Violation] = []
    path_id = _path_job_id(job_id, violations)
    out = _check_body(SEARCH, body, violations, wire=True)
    model: SearchFeedbackRequest = _model(SEARCH, out, violations)
    assert path_id is not None  # noqa: S101 (no violations means the ID parsed)
    return path_id, model
