"""``spec_docs.py``: each operation's parameters as a docstring's Args entries, wrapped.

The clients' and the sender's rating methods list every parameter with its
limit (help(), IDEs). The entries are written here, at regeneration, so that
importing the wrapper formats nothing: each field's English doc from the field
table (``fields.py``: the spec's description, then the limits its schema
states), the server's rules the spec cannot state, read from the wrapper's
``_limits`` (a change there is drift for ``regenerate --check``), and the other
forms the keyword calls take. The wrapper's ``_docs`` adds each method's
summary, its own options and what a call returns.
"""

from __future__ import annotations

import importlib.util
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from .apidocs import body_ref, operations
from .errors import SpecInputError
from .fields import item_short_forms, rows

#: The server's rules the spec cannot state (the wrapper validates by them too).
LIMITS = Path(__file__).resolve().parents[2] / "wrapper" / "firecrawl_feedback" / "_limits.py"
#: POST /feedback, which needs one of the signal fields, and the search route,
#: where a rating needs certain fields (as on POST /feedback with endpoint "search").
ENDPOINT_OPERATION = "submitEndpointFeedback"
SEARCH_OPERATION = "submitSearchFeedback"
_WIDTH = 88
_TEXT_RULE = (
    "Lengths count UTF-16 code units, as the server does, after trimming surrounding "
    "whitespace (integration and origin are checked as given)."
)

_HEAD = '''"""Each operation's parameters as the Args entries of a docstring, wrapped to 88 columns.

The clients' and the sender's rating methods list these (help(), IDEs): what the
canonical spec says of each field, and the server's rules the spec cannot state
(the wrapper's _limits; regenerate after changing them)."""

from typing import Final
'''


def docs_module(spec: dict[str, Any]) -> str:
    limits = _load(LIMITS)
    table, bodies = rows(spec)
    _check_limits_fields(limits, table)
    names = {row[1]: row[0] for fields in table.values() for row in fields}
    docs = _Docs(limits, item_short_forms(spec, bodies), names)
    rules, wire_rules, args, body_args = {}, {}, {}, {}
    for operation, fields in table.items():
        rules[operation] = docs.rules(operation, wire=False)
        wire_rules[operation] = docs.rules(operation, wire=True)
        args[operation] = {
            row[0]: _fill(f"{row[0]}: {docs.field(operation, row, wire=False)}", 4)
            for row in fields
        }
        body_args[operation] = "\n".join(
            _fill(f"{row[1]}: {docs.field(operation, row, wire=True)}", 8)
            for row in fields
            if row[2] == "body"
        )
    parts = [
        _HEAD,
        "#: By operationId: the paragraphs before Args (the route's rules), naming the\n"
        f"#: fields as keyword calls do.\nRULE_DOCS: Final[dict[str, str]] = {_literal(rules)}",
        "#: The same, naming the fields as a wire-form body does.\n"
        f"WIRE_RULE_DOCS: Final[dict[str, str]] = {_literal(wire_rules)}",
        "#: By operationId, each field's entry by its keyword name (indented as in Args).\n"
        f"ARG_DOCS: Final[dict[str, dict[str, str]]] = {_literal(args)}",
        "#: By operationId, the body's fields in the wire form: the entries under ``body``.\n"
        f"BODY_ARG_DOCS: Final[dict[str, str]] = {_literal(body_args)}",
    ]
    return "\n\n".join(parts) + "\n"


def field_docs(spec: dict[str, Any]) -> dict[str, dict[str, str]]:
    """By request body name, each keyword field's doc, as its Args entry says it (unwrapped).

    ``spec_fields`` writes these under the TypedDicts' fields: an IDE shows a field's
    docstring when the pointer is on that keyword in a call.
    """
    limits = _load(LIMITS)
    table, bodies = rows(spec)
    names = {row[1]: row[0] for fields in table.values() for row in fields}
    docs = _Docs(limits, item_short_forms(spec, bodies), names)
    by_body: dict[str, dict[str, str]] = {}
    for _, operation in operations(spec):
        body = body_ref(operation).rpartition("/")[2]
        if body:
            by_body[body] = {
                row[0]: docs.field(operation["operationId"], row, wire=False)
                for row in table[operation["operationId"]]
                if row[2] == "body"
            }
    return by_body


class _Docs:
    """One field's doc, and a route's rules, as keyword calls or wire-form bodies name them."""

    def __init__(
        self, limits: ModuleType, short_forms: dict[str, tuple[str, ...]], names: dict[str, str]
    ) -> None:
        self.limits, self.short_forms, self.names = limits, short_forms, names

    def field(self, operation: str, row: tuple[Any, ...], *, wire: bool) -> str:
        key, schema, doc = row[1], row[4], row[5]
        extras = [self._server_rule(operation, key, schema, wire)]
        forms = self.short_forms.get(key)
        if schema.get("format") == "uuid" and not wire:
            extras.append("A str or uuid.UUID.")
        if forms and not wire:
            pair = f", a ({', '.join(forms)}) pair" if len(forms) == 2 else ""
            extras.append(f"Each a {forms[0]}{pair}, a mapping with those keys, or the model.")
        return " ".join([doc, *(e for e in extras if e)])

    def rules(self, operation: str, *, wire: bool) -> str:
        paragraphs = [
            _TEXT_RULE,
            f"The body as sent must fit in {self.limits.MAX_BODY_BYTES} bytes.",
        ]
        if operation == ENDPOINT_OPERATION:
            signals = ", ".join(map(self._spelling(wire), self.limits.SIGNAL_KEYS))
            paragraphs.insert(0, f"Give at least one of {signals}, non-empty after trimming.")
        return "\n\n".join(_fill(p, 0) for p in paragraphs)

    def _server_rule(self, operation: str, key: str, schema: dict[str, Any], wire: bool) -> str:
        """The server's rules the spec cannot state, for the field ``key``."""
        L = self.limits
        if key in L.URL_FIELDS:
            return (
                f"An http or https URL of {L.MIN_LENGTH[key]} to {L.MAX_LENGTH[key]} "
                "characters, as the WHATWG URL parser reads it."
            )
        if key in L.MAX_JSON_BYTES:
            return f"Its compact JSON must fit in {L.MAX_JSON_BYTES[key]} UTF-8 bytes."
        if schema.get("items", {}).get("type") == "integer":
            return f"Each at most {L.MAX_SAFE_INTEGER}."
        if key != "rating":
            return ""
        spell = self._spelling(wire)
        needs = "; ".join(
            f'"{rating}" needs {" or ".join(spell(k) for k in keys)}'
            for rating, keys in L.RATING_NEEDS.items()
        )
        return f"{needs}." if operation == SEARCH_OPERATION else f'With endpoint "search": {needs}.'

    def _spelling(self, wire: bool) -> Callable[[str], str]:
        return (lambda key: key) if wire else self.names.__getitem__


def _check_limits_fields(limits: ModuleType, table: dict[str, list[tuple[Any, ...]]]) -> None:
    """The fields the server's rules name for an operation must be in its body.

    A field the docs drop while ``_limits`` still names it (a signal, or what a
    rating needs) is a rule to revisit by hand, not something to guess.
    """
    stale = []
    for operation, fields in table.items():
        keys = {row[1] for row in fields}
        named: dict[str, str] = {}
        if "rating" in keys:
            needed = (key for need in limits.RATING_NEEDS.values() for key in need)
            named.update(dict.fromkeys(needed, "RATING_NEEDS"))
        if operation == ENDPOINT_OPERATION:
            named.update(dict.fromkeys(limits.SIGNAL_KEYS, "SIGNAL_KEYS"))
        stale += [f"{k} ({where}, {operation})" for k, where in named.items() if k not in keys]
    if stale:
        raise SpecInputError(
            f"{LIMITS.relative_to(LIMITS.parents[2])} names fields the spec no longer has: "
            f"{', '.join(stale)}; update the server's rules there to match"
        )


def _load(path: Path) -> ModuleType:
    """The wrapper module at ``path``, on its own (``_limits`` imports nothing of ours)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fill(text: str, indent: int) -> str:
    """``text`` wrapped to the docstring's width; an Args entry's later lines indented 4 more."""
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + 4 if indent else 0),
        break_on_hyphens=False,
    )


def _literal(value: dict[str, Any], indent: int = 4) -> str:
    """A dict of dicts of text as Python source, each text one line of source per line."""
    pad = " " * indent
    items = []
    for key, text in value.items():
        if isinstance(text, dict):
            items.append(f"{pad}{key!r}: {_literal(text, indent + 4)},")
        else:
            lines = "".join(f"\n{pad}    {line!r}" for line in text.splitlines(keepends=True))
            items.append(f"{pad}{key!r}: ({lines}\n{pad}),")
    return "{\n" + "\n".join(items) + "\n" + pad[4:] + "}"
