"""The two feedback routes as tools for agents: JSON Schema for function calling.

Everything an agent sees comes from the canonical spec, so a regeneration of
the client updates the tools: each input schema and description is generated
(``TOOL_INPUTS``: the route's request body with ``$ref``s inlined and the
spec's descriptions, the search route's path ``jobId`` first); this module
only shapes them for each API's tool format.

The tool arguments ARE the wire body (camelCase keys), so a call goes straight
to ``submit_body`` / ``search_body`` and is validated by the client.
"""

from __future__ import annotations

import copy
from typing import Any, Final, Literal, get_args

from ._api import FEEDBACK, SEARCH, TOOL_INPUTS

#: ``POST /v2/feedback``: rate a scrape, parse, map or search job. A tool name,
#: not a module path: a vendored copy keeps it (and tools allow no dots).
FEEDBACK_TOOL: Final = "firecrawl_feedback"  # vendoring: keep
#: ``POST /v2/search/{jobId}/feedback``: rate a search job on its own route.
SEARCH_FEEDBACK_TOOL: Final = "firecrawl_search_feedback"

#: Which operation of the spec each tool is.
_OPERATION_OF: Final = {
    FEEDBACK_TOOL: FEEDBACK,
    SEARCH_FEEDBACK_TOOL: SEARCH,
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
    """  # vendoring: keep (the tool names above are not module paths)
    if style not in _STYLES:
        raise ValueError(f"style must be one of {', '.join(map(repr, _STYLES))}; got {style!r}")
    return [
        _shaped(name, TOOL_INPUTS[operation]["description"], schema, style)
        for name, operation in _OPERATION_OF.items()
        for schema in [copy.deepcopy(TOOL_INPUTS[operation]["inputSchema"])]
    ]


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
