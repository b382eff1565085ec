"""The two feedback routes as tools for agents: JSON Schema for function calling.

Everything an agent sees comes from the canonical spec: each input schema is
the route's request body (``COMPONENT_SCHEMAS``, ``$ref``s inlined) with the
spec's descriptions put back (``SCHEMA_DESCRIPTIONS``); the search tool adds
the path's ``jobId`` as a required property, with the path parameter's schema
and description; a tool's description is its operation's summary and
description. A regeneration of the client therefore updates the tools.

The tool arguments ARE the wire body (camelCase keys), so a call goes straight
to ``submit_body`` / ``search_body`` and is validated by the client.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Literal, get_args

from ._api import COMPONENT_SCHEMAS, OPERATIONS, SCHEMA_DESCRIPTIONS

#: ``POST /v2/feedback``: rate a scrape, parse, map or search job.
FEEDBACK_TOOL: Final = "firecrawl_feedback"
#: ``POST /v2/search/{jobId}/feedback``: rate a search job on its own route.
SEARCH_FEEDBACK_TOOL: Final = "firecrawl_search_feedback"

#: Which operation of the spec each tool is.
_OPERATION_OF: Final = {
    FEEDBACK_TOOL: "submitEndpointFeedback",
    SEARCH_FEEDBACK_TOOL: "submitSearchFeedback",
}

ToolStyle = Literal["mcp", "openai", "openai-responses", "anthropic"]
_STYLES: Final = get_args(ToolStyle)

#: MCP tool annotations (hints for clients): the call changes state on the
#: server (not read-only), destroys nothing, and repeating it is harmless
#: because the server keeps one feedback record per job.
_MCP_ANNOTATIONS: Final = {
    "readOnlyHint": False,
    "destructiveHint": False,
    "idempotentHint": True,
    "openWorldHint": True,
}

_REF_PREFIX: Final = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class _Tool:
    name: str
    description: str
    input_schema: dict[str, Any]


def tool_schemas(style: ToolStyle = "mcp") -> list[dict[str, Any]]:
    """The two feedback tools, as JSON Schema in the shape an API takes.

    Args:
        style: ``"mcp"`` (default): ``{"name", "description", "inputSchema",
            "annotations"}``, as an MCP server lists them (``firecrawl-feedback
            mcp`` serves exactly these). ``"openai"``: Chat Completions tools,
            ``{"type": "function", "function": {"name", "description",
            "parameters"}}``. ``"openai-responses"``: the Responses API's flat
            form, ``{"type": "function", "name", "description", "parameters"}``.
            ``"anthropic"``: Messages API tools, ``{"name", "description",
            "input_schema"}``.

    Returns:
        A new list (yours to change) with the tool for ``POST /v2/feedback``
        (``firecrawl_feedback``) and the one for ``POST /v2/search/{jobId}/feedback``
        (``firecrawl_search_feedback``). Their arguments are the wire body in
        camelCase (the search tool's ``jobId`` goes in the path). The schemas
        use no ``strict`` mode: optional fields are optional, as on the server.

    Raises:
        ValueError: ``style`` is not one of the four above.
    """
    if style not in _STYLES:
        raise ValueError(f"style must be one of {', '.join(map(repr, _STYLES))}; got {style!r}")
    return [_shaped(tool, style) for tool in _tools()]


def _shaped(tool: _Tool, style: ToolStyle) -> dict[str, Any]:
    schema = copy.deepcopy(tool.input_schema)
    if style == "openai":
        return {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": schema,
            },
        }
    if style == "openai-responses":
        return {
            "type": "function",
            "name": tool.name,
            "description": tool.description,
            "parameters": schema,
        }
    if style == "anthropic":
        return {"name": tool.name, "description": tool.description, "input_schema": schema}
    return {
        "name": tool.name,
        "description": tool.description,
        "inputSchema": schema,
        "annotations": dict(_MCP_ANNOTATIONS),
    }


@cache
def _tools() -> tuple[_Tool, ...]:
    return tuple(_tool(name, OPERATIONS[operation]) for name, operation in _OPERATION_OF.items())


def _tool(name: str, operation: dict[str, Any]) -> _Tool:
    body = operation["requestBody"]
    schema = _resolved(COMPONENT_SCHEMAS[body], f"/{body}")
    path_parameters = [p for p in operation["parameters"] if p["in"] == "path"]
    if path_parameters:
        schema = _with_path_parameters(schema, path_parameters)
    description = f"{operation['summary'].rstrip('.')}. {operation['description']}"
    return _Tool(name=name, description=description, input_schema=schema)


def _resolved(node: Any, pointer: str) -> Any:
    """A copy of ``node`` with every ``$ref`` inlined and its descriptions put back."""
    if isinstance(node, list):
        return [_resolved(item, f"{pointer}/{index}") for index, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _component_name(ref)
        resolved = _resolved(COMPONENT_SCHEMAS[target], f"/{target}")
        own = SCHEMA_DESCRIPTIONS.get(pointer)
        if own is not None:  # a description beside the $ref describes this use
            resolved["description"] = own
        return resolved
    out = {key: _resolved(value, f"{pointer}/{_escape(key)}") for key, value in node.items()}
    description = SCHEMA_DESCRIPTIONS.get(pointer)
    if description is not None:
        out = {"description": description, **out}
    return out


def _component_name(ref: str) -> str:
    if not ref.startswith(_REF_PREFIX):
        raise ValueError(f"the spec's $ref {ref!r} is not a component schema")
    return ref.removeprefix(_REF_PREFIX)


def _escape(key: str) -> str:
    # RFC 6901, as the generator wrote the SCHEMA_DESCRIPTIONS keys.
    return key.replace("~", "~0").replace("/", "~1")


def _with_path_parameters(
    schema: dict[str, Any], parameters: list[dict[str, Any]]
) -> dict[str, Any]:
    """The path's parameters become the first properties, required as the spec says."""
    added: dict[str, Any] = {}
    required: list[str] = []
    for parameter in parameters:
        property_schema = copy.deepcopy(parameter["schema"])
        if "description" in parameter:
            property_schema = {"description": parameter["description"], **property_schema}
        added[parameter["name"]] = property_schema
        if parameter.get("required"):
            required.append(parameter["name"])
    clash = set(added) & set(schema.get("properties", {}))
    if clash:
        raise ValueError(f"path parameters {sorted(clash)} are also body properties")
    out = dict(schema)
    out["properties"] = {**added, **schema.get("properties", {})}
    out["required"] = [*required, *schema.get("required", [])]
    return out
