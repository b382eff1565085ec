"""``firecrawl_feedback.tool_schemas()``: the two routes as function-calling tools."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import firecrawl_feedback
import jsonschema
import pytest
from firecrawl_feedback import ValidationError
from firecrawl_feedback._validation import endpoint_request_from_body, search_request_from_body

from .conftest import expected_tools

STYLES = ("mcp", "openai", "openai-responses", "anthropic")
JOB = "5f0c7d1e-8a51-4d5b-9a8e-3c2b1a0f9e8d"


def _content(style: str, tool: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(name, description, schema) out of one tool of the given shape."""
    if style == "openai":
        assert set(tool) == {"type", "function"}
        assert tool["type"] == "function"
        assert set(tool["function"]) == {"name", "description", "parameters"}
        inner = tool["function"]
        return inner["name"], inner["description"], inner["parameters"]
    if style == "openai-responses":
        assert set(tool) == {"type", "name", "description", "parameters"}
        assert tool["type"] == "function"
        return tool["name"], tool["description"], tool["parameters"]
    if style == "anthropic":
        assert set(tool) == {"name", "description", "input_schema"}
        return tool["name"], tool["description"], tool["input_schema"]
    assert set(tool) == {"name", "description", "inputSchema", "annotations"}
    return tool["name"], tool["description"], tool["inputSchema"]


@pytest.mark.parametrize("style", STYLES)
def test_each_shape_holds_the_same_two_tools(style: str) -> None:
    """Every shape carries the same names, descriptions and schemas as the MCP one."""
    reference = [_content("mcp", tool) for tool in firecrawl_feedback.tool_schemas()]
    shaped = [_content(style, tool) for tool in firecrawl_feedback.tool_schemas(style)]  # type: ignore[arg-type]
    assert shaped == reference
    assert [name for name, _, _ in shaped] == ["firecrawl_feedback", "firecrawl_search_feedback"]


@pytest.mark.parametrize("style", STYLES)
def test_the_parameters_are_valid_json_schema_objects(style: str) -> None:
    """The 2020-12 (MCP's dialect) and draft 7 metaschemas accept them; an object at the root."""
    for tool in firecrawl_feedback.tool_schemas(style):  # type: ignore[arg-type]
        name, description, schema = _content(style, tool)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["type"] == "object"
        # What OpenAI and Anthropic take: a root object without combinators, a short name.
        assert not {"anyOf", "oneOf", "allOf", "not", "enum"} & set(schema)
        assert 1 <= len(name) <= 64
        assert name.replace("_", "").replace("-", "").isalnum()
        assert description


def test_a_broken_schema_fails_the_metaschema_check() -> None:
    """Negative control: the metaschema check above can fail."""
    schema = firecrawl_feedback.tool_schemas("anthropic")[0]["input_schema"]
    schema["properties"]["note"]["maxLength"] = "4000"
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_the_tools_are_the_canonical_spec(canonical: dict[str, Any]) -> None:
    """Schemas ($refs inlined), descriptions and the search route's jobId come from the spec."""
    expected = expected_tools(canonical)
    for tool in firecrawl_feedback.tool_schemas("mcp"):
        assert tool["description"] == expected[tool["name"]]["description"]
        assert tool["inputSchema"] == expected[tool["name"]]["inputSchema"]
    search = firecrawl_feedback.tool_schemas("mcp")[1]["inputSchema"]
    assert search["required"][0] == "jobId"
    assert search["properties"]["jobId"] == {
        "description": "The search job ID returned by /search.",
        "format": "uuid",
        "type": "string",
    }
    assert "$ref" not in str(firecrawl_feedback.tool_schemas("mcp"))


def test_the_schemas_are_the_callers_to_change() -> None:
    """Each call returns a fresh copy: changing one does not change the next."""
    first = firecrawl_feedback.tool_schemas("openai")
    first[0]["function"]["parameters"]["properties"].clear()
    assert firecrawl_feedback.tool_schemas("openai")[0]["function"]["parameters"]["properties"]


def test_an_unknown_style_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"style must be one of 'mcp', 'openai'.*got 'gemini'"):
        firecrawl_feedback.tool_schemas("gemini")  # type: ignore[arg-type]


def test_what_the_schema_accepts_the_client_accepts() -> None:
    """Arguments shaped by the schemas are the wire bodies the client validates and sends."""
    feedback, search = (
        tool["input_schema"] for tool in firecrawl_feedback.tool_schemas("anthropic")
    )
    body = {"endpoint": "scrape", "jobId": JOB, "rating": "bad", "note": "empty page"}
    jsonschema.validate(body, feedback, format_checker=jsonschema.FormatChecker())
    endpoint_request_from_body(body)
    arguments = {"jobId": JOB, "rating": "good", "valuableSources": [{"url": "https://a.example"}]}
    jsonschema.validate(arguments, search)
    search_request_from_body(
        arguments["jobId"], {k: v for k, v in arguments.items() if k != "jobId"}
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rating": "good"}, search)  # jobId is required
    with pytest.raises(ValidationError):
        endpoint_request_from_body({**body, "rating": "meh"})


def test_tool_schemas_loads_neither_mcp_nor_the_cli() -> None:
    """The function is part of the library: it needs no extra."""
    script = (
        "import json, sys, firecrawl_feedback\n"
        "firecrawl_feedback.tool_schemas('openai')\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(__import__("json").loads(result.stdout))
    assert "firecrawl_feedback._tools" in loaded
    assert not {"mcp", "mcp_types", "firecrawl_feedback._cli"} & loaded
