"""The two feedback routes as tools for agents: JSON Schema for function calling.

Everything an agent sees comes from the canonical spec, so a regeneration of
the client updates the tools: each input schema is the route's request body
(``COMPONENT_SCHEMAS``, ``$ref``s inlined) with the spec's descriptions put
back (``SCHEMA_DESCRIPTIONS``), the search route's path ``jobId`` first; a
tool's description is its operation's summary and description.

The tool arguments ARE the wire body (camelCase keys), so a call goes straight
to ``submit_body`` / ``search_body`` and is validated by the client.
"""

from __future__ import annotations

import copy
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
    return [_shaped(*tool, style) for tool in copy.deepcopy(_tools())]


def _shaped(name: str, description: str, schema: dict[str, Any], style: str) -> dict[str, Any]:
    function = {"name": name, "description": description, "parameters": schema}
    if style == "openai":
        return {"type": "function", "function": function}
    if style == "openai-responses":
        return {"type": "function", **function}
    if style == "anthropic":
        return {"name": name, "description": description, "input_schema": schema}
    mcp = {"name": name, "description": description, "inputSchema": schema}
    return {**mcp, "annotations": dict(_MCP_ANNOTATIONS)}


@cache
def _tools() -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """(name, description, input schema) of each tool."""
    tools = []
    for name, operation_id in _OPERATION_OF.items():
        operation = OPERATIONS[operation_id]
        body = operation["requestBody"]
        schema = _resolved(COMPONENT_SCHEMAS[body], f"/{body}")
        # The path's parameters become the first properties, required as the spec says.
        path = [p for p in operation["parameters"] if p["in"] == "path"]
        if {p["name"] for p in path} & set(schema["properties"]):
            raise ValueError(f"{operation_id}: a path parameter is also a body property")
        schema["properties"] = {
            **{p["name"]: _described(p["schema"], p.get("description")) for p in path},
            **schema["properties"],
        }
        schema["required"] = [
            *(p["name"] for p in path if p.get("required")),
            *schema.get("required", []),
        ]
        description = f"{operation['summary'].rstrip('.')}. {operation['description']}"
        tools.append((name, description, schema))
    return tuple(tools)


def _resolved(node: Any, pointer: str) -> Any:
    """A copy of ``node`` with every ``$ref`` inlined and its descriptions put back."""
    if isinstance(node, list):
        return [_resolved(item, f"{pointer}/{index}") for index, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = node["$ref"].removeprefix("#/components/schemas/")
        out = _resolved(COMPONENT_SCHEMAS[target], f"/{target}")
    else:
        out = {key: _resolved(value, f"{pointer}/{_escape(key)}") for key, value in node.items()}
    # Beside a $ref, a description describes this use of the target.
    return _described(out, SCHEMA_DESCRIPTIONS.get(pointer))


def _described(schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    if description is None:
        return schema
    return {"description": description, **{k: v for k, v in schema.items() if k != "description"}}


def _escape(key: str) -> str:
    # RFC 6901, as the generator wrote the SCHEMA_DESCRIPTIONS keys.
    return key.replace("~", "~0").replace("/", "~1")
