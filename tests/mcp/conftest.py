"""The canonical spec read independently of the generated data, for the tool tests."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ..conftest import ROOT

CANONICAL = ROOT / "openapi" / "feedback-api.json"

#: Which route each tool is: (path, the request body's component schema).
ROUTES = {
    "firecrawl_feedback": ("/feedback", "EndpointFeedbackRequest"),
    "firecrawl_search_feedback": ("/search/{jobId}/feedback", "SearchFeedbackRequest"),
}


@pytest.fixture(scope="session")
def canonical() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(CANONICAL.read_text(encoding="utf-8"))
    return spec


def expected_tools(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each tool's description and input schema, built straight from openapi/feedback-api.json."""
    schemas = spec["components"]["schemas"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(schemas[node["$ref"].rsplit("/", 1)[1]])
            return {k: inline(v) for k, v in node.items() if k != "example"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    tools = {}
    for name, (path, component) in ROUTES.items():
        operation = spec["paths"][path]["post"]
        schema = inline(copy.deepcopy(schemas[component]))
        # The path's parameters come first, as the tools list them.
        for parameter in reversed(operation.get("parameters", [])):
            schema["properties"][parameter["name"]] = {
                **parameter["schema"],
                "description": parameter["description"],
            }
            schema["required"].insert(0, parameter["name"])
        tools[name] = {
            "description": f"{operation['summary']}. {operation['description']}",
            "inputSchema": schema,
        }
    return tools
