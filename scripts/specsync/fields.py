"""``spec_fields.py``: the one table of request fields, and the keyword types built from it.

For each operation, each field (path parameters, then body properties) gets a
row: its Python name, its wire name, where it goes, whether it is required,
its schema with ``$ref``s resolved and prose removed (the limits the wrapper
validates), and its English doc (the spec's description, then those limits).
Each request body also gets a ``TypedDict`` of its keyword arguments, which
the clients' methods take as ``**fields: Unpack[...]``: a field the spec adds
reaches signatures, validation, docs and the CLI by regenerating.
"""

from __future__ import annotations

import pprint
import textwrap
from collections.abc import Mapping
from typing import Any

from .apidocs import (
    KNOWN_VALUES,
    _alias,
    _description,
    _escape,
    _limits,
    _resolve,
    _sentence,
    body_ref,
    operations,
    parameters,
)
from .apidocs import python_name as snake
from .errors import SpecInputError

#: The job being rated: the clients take these as arguments of their own
#: (``submit(endpoint, job_id)``, ``scrape(job_id)``), never as keyword fields.
POSITIONAL = ("endpoint", "jobId")

_HEAD = '''"""The request fields of each operation, one row each, from the canonical spec.

The wrapper's keyword signatures (the TypedDicts below), validation, wire-form
error names, parameter docs and the CLI's flags are all read from here, so a
field the spec adds reaches each of them by regenerating."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Required, TypeAlias, TypedDict, Union

from .spec_types import {aliases}

if TYPE_CHECKING:  # the attrs models load on first use, not with this table
    from uuid import UUID

    from .models import {models}


class Field(NamedTuple):
    """One request field of one operation."""

    #: The keyword argument's name (``job_id``).
    name: str
    #: The name on the wire (``jobId``).
    wire: str
    #: ``"path"`` or ``"body"``.
    location: str
    required: bool
    #: The field's schema, ``$ref``s resolved and prose left out: what is validated.
    schema: dict[str, Any]
    #: The spec's description, then the limits its schema states, in English.
    doc: str
'''


def rows(spec: dict[str, Any]) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, Any]]:
    """(each operation's field rows, as ``Field`` takes them; each request body by name)."""
    table: dict[str, list[tuple[Any, ...]]] = {}
    bodies: dict[str, dict[str, Any]] = {}
    for path, operation in operations(spec):
        table[operation["operationId"]] = _rows(spec, path, operation, bodies)
    return table, bodies


def fields_module(spec: dict[str, Any], docs: Mapping[str, Mapping[str, str]]) -> str:
    """The module's source; ``docs``: by body name, each keyword field's docstring."""
    table, bodies = rows(spec)
    schemas = spec.get("components", {}).get("schemas", {})
    objects = sorted({name for body in bodies.values() for name in _item_objects(body).values()})
    enums = sorted(n for n, s in schemas.items() if isinstance(s.get("enum"), list))
    aliases = [_alias(n) for n in enums] + sorted(_known_value_aliases(bodies))
    parts = [
        _HEAD.format(models=", ".join(objects) or "", aliases=", ".join(sorted(aliases))),
        *(_input_alias(spec, name) for name in objects),
        "#: By operationId, every field: path parameters first, then the body's properties.",
        f"FIELDS: Final[dict[str, tuple[Field, ...]]] = {_table(table)}",
        "#: Lists of objects whose items the keyword form also takes as a bare value or\n"
        "#: a pair: each field's item keys, in that order (see the *Input aliases).\n"
        f"SHORT_FORMS: Final[dict[str, tuple[str, ...]]] = {item_short_forms(spec, bodies)!r}",
        *(_typed_dict(spec, name, body, docs[name]) for name, body in sorted(bodies.items())),
    ]
    return "\n\n".join(parts) + "\n"


def _rows(
    spec: dict[str, Any], path: str, operation: dict[str, Any], bodies: dict[str, Any]
) -> list[tuple[Any, ...]]:
    rows = []
    for parameter in parameters(spec, path, operation):
        schema = parameter.get("schema", {})
        doc = _sentence(" ".join(parameter.get("description", "").split()), _limits(spec, schema))
        rows.append(
            (snake(parameter["name"]), parameter["name"], parameter.get("in", "query"),
             bool(parameter.get("required")), _plain(spec, schema), doc)
        )  # fmt: skip
    ref = body_ref(operation)
    if ref:
        body = _resolve(spec, ref)
        bodies[ref.rpartition("/")[2]] = body
        pointer = ref.removeprefix("#")
        required = set(body.get("required", []))
        for prop, schema in body.get("properties", {}).items():
            limits = _limits(spec, schema)
            if prop in required:
                limits.insert(0, "Required.")
            described = _description(spec, f"{pointer}/properties/{_escape(prop)}")
            rows.append(
                (snake(prop), prop, "body", prop in required, _plain(spec, schema),
                 _sentence(described, limits))
            )  # fmt: skip
    return rows


def _plain(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with ``$ref``s resolved and prose (descriptions, examples) left out."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _plain(spec, _resolve(spec, node["$ref"]))
        return {
            k: _plain(spec, v)
            for k, v in sorted(node.items())
            if not (k in ("description", "example", "title") and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_plain(spec, v) for v in node]
    return node


def _item_objects(body: dict[str, Any]) -> dict[str, str]:
    """Each array property holding objects, and their component name (ValuableSource...)."""
    found = {}
    for prop, schema in body.get("properties", {}).items():
        ref = schema.get("items", {}).get("$ref", "") if schema.get("type") == "array" else ""
        if ref:
            found[prop] = ref.rpartition("/")[2]
    return found


def _known_value_aliases(bodies: dict[str, Any]) -> set[str]:
    return {
        prop[:1].upper() + prop[1:]
        for body in bodies.values()
        for prop, schema in body.get("properties", {}).items()
        if KNOWN_VALUES in schema
    }


def short_forms(schema: dict[str, Any]) -> tuple[str, ...]:
    """The keys an item may be given as a bare value or a pair (``url``, ``reason``).

    An object whose properties are all strings, one of them required, may be
    given as that string alone, or (with two properties) as a pair.
    """
    props = schema.get("properties", {})
    required = schema.get("required", [])
    if not props or len(required) != 1 or any(s.get("type") != "string" for s in props.values()):
        return ()
    return (required[0], *(p for p in props if p != required[0]))[:2]


def item_short_forms(spec: dict[str, Any], bodies: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    found = {}
    for body in bodies.values():
        for prop, name in sorted(_item_objects(body).items()):
            forms = short_forms(_resolve(spec, f"#/components/schemas/{name}"))
            if forms:
                found[prop] = forms
    return found


def _input_alias(spec: dict[str, Any], name: str) -> str:
    forms = short_forms(_resolve(spec, f"#/components/schemas/{name}"))
    kinds = ["str"] if forms else []
    kinds += ["tuple[str, str]"] if len(forms) == 2 else []
    kinds += ["Mapping[str, Any]", f'"{name}"']
    said = ", ".join([f"a {forms[0]}"] if forms else [])
    said += f", a ({forms[0]}, {forms[1]}) pair" if len(forms) == 2 else ""
    return (
        f"#: A {name} item as the keyword form takes it: {said + ', ' if said else ''}"
        f"a mapping, or the model.\n{name}Input: TypeAlias = Union[{', '.join(kinds)}]"
    )


def _annotation(spec: dict[str, Any], schema: dict[str, Any], prop: str) -> str:  # noqa: PLR0911
    """The keyword argument's type: one branch per JSON type."""
    if "$ref" in schema:
        name = schema["$ref"].rpartition("/")[2]
        return _alias(name) if "enum" in _resolve(spec, schema["$ref"]) else f"{name}Input"
    if KNOWN_VALUES in schema:
        return prop[:1].upper() + prop[1:]
    kind = schema.get("type")
    if kind == "array":
        return f"Sequence[{_annotation(spec, schema.get('items', {}), prop)}]"
    if kind == "string":
        return 'Union[str, "UUID"]' if schema.get("format") == "uuid" else "str"
    if kind == "integer":
        return "int"
    if kind == "number":
        return "float"
    if kind == "boolean":
        return "bool"
    return "Mapping[str, Any]"


def _typed_dict(
    spec: dict[str, Any], name: str, body: dict[str, Any], docs: Mapping[str, str]
) -> str:
    required = set(body.get("required", []))
    lines = [
        f"class {name.removesuffix('Request')}Fields(TypedDict, total=False):",
        f'    """The keyword fields of {name} ({", ".join(POSITIONAL)} are arguments of',
        '    their own); None, like leaving a field out, sends nothing."""',
        "",
    ]
    props = body.get("properties", {})
    for prop in sorted(props, key=lambda p: p not in required):  # rating first
        schema = props[prop]
        if prop in POSITIONAL:
            continue
        kind = _annotation(spec, schema, prop)
        kind = f"Required[{kind}]" if prop in required else f"{kind} | None"
        lines.append(f"    {snake(prop)}: {kind}")
        lines.append(_attribute_docstring(docs[snake(prop)]))
    return "\n".join(lines)


def _attribute_docstring(doc: str) -> str:
    """``doc`` as the string under a class attribute, which IDEs show on hover."""
    if '"""' in doc:
        raise SpecInputError(f"a field's doc cannot hold a triple quote: {doc!r}")
    text = doc.replace("\\", "\\\\")
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return textwrap.fill(
        f'"""{text}"""',
        width=88,
        initial_indent="    ",
        subsequent_indent="    ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def _table(table: dict[str, list[tuple[Any, ...]]]) -> str:
    rows = []
    for op, fields in table.items():
        rows.append(f"    {op!r}: (")
        for field in fields:
            args = ", ".join(pprint.pformat(v, width=10_000, sort_dicts=True) for v in field)
            rows.append(f"        Field({args}),")
        rows.append("    ),")
    return "{\n" + "\n".join(rows) + "\n}"
