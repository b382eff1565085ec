"""The generated modules for people and type checkers: Literal types, and English limits.

``spec_types.py`` turns the spec's enums (and ``x-known-values`` lists) into
``Literal`` unions an IDE can offer. The helpers below also turn a field's
schema into English sentences (the description followed by the limits its
constraints state: lengths, item counts, patterns, enums) for the field table
(``fields.py``), and read each operation's parameters and body.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from typing import Any

from .errors import SpecInputError

KNOWN_VALUES = "x-known-values"
_MODELS = "models"


def python_name(wire_name: str) -> str:
    """jobId -> job_id: the name openapi-python-client and the wrapper give a field."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", wire_name).lower()


# --- spec_types.py --------------------------------------------------------------


def types_module(spec: dict[str, Any]) -> str:
    schemas = spec.get("components", {}).get("schemas", {})
    enums = {
        name: schema["enum"]
        for name, schema in sorted(schemas.items())
        if schema.get("type") == "string" and isinstance(schema.get("enum"), list)
    }
    lines = [
        '"""The canonical spec\'s enums as ``Literal`` unions, for type checkers and IDEs.',
        "",
        "Each enum's alias takes its values as plain strings or its generated enum's",
        "members; a field the spec lists known values for (``x-known-values``) takes",
        'those names and any other string (the server accepts more, e.g. "_" names)."""',
        "",
        "from typing import Literal, TypeAlias",
        "",
    ]
    lines += [f"from .{_MODELS} import {name}" for name in enums]
    lines.append("")
    for name, values in enums.items():
        alias = _alias(name)
        description = _description(spec, f"/components/schemas/{name}")
        comment = f"{description} One of {_quoted(values)}, or a {name} member."
        lines += [
            "",
            *textwrap.wrap(comment, width=84, initial_indent="#: ", subsequent_indent="#: "),
            f"{alias}: TypeAlias = Literal[{', '.join(map(repr, values))}] | {name}",
        ]
    for prop, values in sorted(_known_values(schemas).items()):
        alias = prop[:1].upper() + prop[1:]
        lines += [
            "",
            f"#: A known {prop} name (an IDE offers these); open to any other",
            "#: string, since the server also accepts names the spec cannot list.",
            f"{alias}: TypeAlias = Literal[{', '.join(map(repr, values))}] | str",
        ]
    return "\n".join(lines) + "\n"


def _alias(component: str) -> str:
    # FeedbackRating -> Rating: the wrapper's public names drop the spec's prefix.
    return component.removeprefix("Feedback") or component


def _known_values(schemas: dict[str, Any]) -> dict[str, list[str]]:
    """Each property's x-known-values list; the same property must list the same names."""
    found: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        for prop, sub in schema.get("properties", {}).items():
            values = sub.get(KNOWN_VALUES) if isinstance(sub, dict) else None
            if values is None:
                continue
            if prop in found and found[prop] != values:
                raise SpecInputError(
                    f"{KNOWN_VALUES} of {prop} differs between schemas (see {name})"
                )
            found[prop] = values
    return found


# --- what the generated modules read of each operation ---------------------------


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, operation) of each operation the spec names by an operationId."""
    for path, item in spec.get("paths", {}).items():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, operation


def parameters(spec: dict[str, Any], path: str, operation: dict[str, Any]) -> list[Any]:
    """The operation's parameters, the path item's shared ones included."""
    own = operation.get("parameters", [])
    overridden = {(p.get("name"), p.get("in")) for p in own}
    shared = spec["paths"][path].get("parameters", [])
    return [p for p in shared if (p.get("name"), p.get("in")) not in overridden] + own


def body_ref(operation: dict[str, Any]) -> str:
    """The ``$ref`` of the operation's JSON request body, or "" when it has none."""
    ref: str = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref", "")
    )
    return ref


def _limits(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The constraints of one schema, as short English sentences."""
    if "$ref" in schema:
        return _limits(spec, _resolve(spec, schema["$ref"]))
    said: list[str] = []
    if "enum" in schema:
        said.append(f"One of {_quoted(schema['enum'])}.")
    if KNOWN_VALUES in schema:
        said.append(f"Known names: {', '.join(schema[KNOWN_VALUES])}.")
    kind = schema.get("type")
    if kind == "string":
        said += _string_limits(schema)
    elif kind == "integer" and "minimum" in schema:
        said.append(f"At least {schema['minimum']}.")
    elif kind == "array":
        said += _array_limits(spec, schema)
    elif kind == "object" and "properties" in schema:
        said.append(_object_fields(spec, schema))
    if "default" in schema:
        said.append(f"Defaults to {_quoted([schema['default']])}.")
    return said


def _string_limits(schema: dict[str, Any]) -> list[str]:
    said: list[str] = []
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and high is not None:
        said.append(f"{low} to {high} characters.")
    elif high is not None:
        said.append(f"At most {high} characters.")
    elif low is not None:
        said.append(f"At least {low} characters.")
    if "pattern" in schema:
        said.append(f"Matching {schema['pattern']}.")
    if schema.get("format") == "uuid":
        said.append("A UUID.")
    return said


def _array_limits(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    said: list[str] = []
    if "maxItems" in schema:
        said.append(f"At most {schema['maxItems']} items.")
    items = schema.get("items", {})
    each = _limits(spec, items)
    if each and "$ref" in items and "properties" in _resolve(spec, items["$ref"]):
        said += each
    elif each:
        said.append("Each " + _lower(" ".join(each)))
    return said


def _object_fields(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    parts = []
    ordered = sorted(schema["properties"].items(), key=lambda kv: kv[0] not in required)
    for prop, sub in ordered:
        text = _lower(" ".join(_limits(spec, sub)).rstrip("."))
        flag = "required" if prop in required else "optional"
        parts.append(f"{prop} ({flag}{'; ' + text if text else ''})")
    return f"Each item has {', '.join(parts)}."


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _sentence(description: str, limits: list[str]) -> str:
    parts = [description.strip()] if description.strip() else []
    if parts and not parts[0].endswith("."):
        parts[0] += "."
    return " ".join(parts + limits)


def _description(spec: dict[str, Any], pointer: str) -> str:
    node: Any = spec
    for token in pointer.strip("/").split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        node = node.get(key, {}) if isinstance(node, dict) else {}
    if "$ref" in node and "description" not in node:
        return _description(spec, node["$ref"].removeprefix("#"))
    text = node.get("description", "") if isinstance(node, dict) else ""
    return " ".join(text.split())


def _resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = spec
    for key in ref.removeprefix("#/").split("/"):
        node = node[key.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, dict):
        raise SpecInputError(f"{ref} is not a schema")
    return node


def _quoted(values: list[Any]) -> str:
    return ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
