"""Each operation as an agent tool: its description and its input JSON Schema.

The input schema is the operation's request body with every ``$ref`` inlined
and the spec's descriptions kept, its path parameters first (required as the
spec says); the description is the operation's summary and description. The
wrapper's ``tool_schemas()`` only shapes these for each API's tool format.
"""

from __future__ import annotations

from typing import Any

from .apidocs import _resolve, body_ref, operations, parameters
from .errors import SpecInputError


def tool_inputs(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tools: dict[str, dict[str, Any]] = {}
    for path, operation in operations(spec):
        op_id = operation["operationId"]
        path_params = [p for p in parameters(spec, path, operation) if p.get("in") == "path"]
        ref = body_ref(operation)
        schema = _inlined(spec, {"$ref": ref}) if ref else {"type": "object", "properties": {}}
        if {p["name"] for p in path_params} & set(schema["properties"]):
            raise SpecInputError(f"{op_id}: a path parameter is also a body property")
        schema["properties"] = {
            **{p["name"]: _described(_inlined(spec, p["schema"]), p) for p in path_params},
            **schema["properties"],
        }
        schema["required"] = [
            *(p["name"] for p in path_params if p.get("required")),
            *schema.get("required", []),
        ]
        summary = operation.get("summary", "").rstrip(".")
        tools[op_id] = {
            "description": f"{summary}. {operation.get('description', '')}",
            "inputSchema": schema,
        }
    return tools


def _inlined(spec: dict[str, Any], node: Any) -> Any:
    """A copy of ``node`` with every ``$ref`` inlined; a description beside a ``$ref`` wins."""
    if isinstance(node, list):
        return [_inlined(spec, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _described(_inlined(spec, _resolve(spec, node["$ref"])), node)
    # Descriptions first, as a reader (human or model) meets them.
    return _described({key: _inlined(spec, value) for key, value in node.items()}, node)


def _described(schema: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    description = source.get("description")
    if not isinstance(description, str):
        return schema
    return {"description": description, **{k: v for k, v in schema.items() if k != "description"}}
