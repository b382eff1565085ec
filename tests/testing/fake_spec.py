"""Checks answers the fake sent against the response schemas of openapi/feedback-api.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from firecrawl_feedback.testing import RequestRecord
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "feedback-api.json"
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text())
SPEC_ROUTES = {
    "/v2/feedback": "/feedback",
    "/v2/search/{jobId}/feedback": "/search/{jobId}/feedback",
}


def spec_route(path: str) -> str | None:
    """The spec's path for a request path, or None for paths the spec does not describe."""
    parts = path.rstrip("/").split("/")
    if parts[:3] == ["", "v2", "search"] and len(parts) == 5 and parts[4] == "feedback":
        return SPEC_ROUTES["/v2/search/{jobId}/feedback"]
    return SPEC_ROUTES.get(path.rstrip("/"))


def response_schema(route: str, status: int) -> dict[str, Any] | None:
    """The JSON schema the spec gives this route and status (refs resolvable), or None."""
    responses = SPEC["paths"][route]["post"]["responses"]
    if str(status) not in responses:
        return None
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": SPEC["components"]}


def spec_problems(record: RequestRecord) -> list[str]:
    """Why a logged JSON answer does not match the spec's schema for its status (empty: fine)."""
    route = spec_route(record.path)
    if route is None or record.status is None or not record.response_body:
        return []
    schema = response_schema(route, record.status)
    if schema is None or not (record.content_type or "").startswith("application/json"):
        return []
    try:
        body = json.loads(record.response_body)
    except ValueError:
        return [] if record.fault == "broken" else [f"{record.status}: not JSON"]
    return [
        f"{record.status} {error.message}"
        for error in Draft202012Validator(schema).iter_errors(body)
    ]
