"""Fixtures for the fake server's tests; each fake's answers must match the spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl, RequestRecord
from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "feedback-api.json"
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text())
SPEC_ROUTES = {
    "/v2/feedback": "/feedback",
    "/v2/search/{jobId}/feedback": "/search/{jobId}/feedback",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


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


@pytest.fixture
def fake() -> Iterator[FakeFirecrawl]:
    """A fresh fake; at teardown every JSON answer it sent must match the spec."""
    fake = FakeFirecrawl()
    yield fake
    problems = [problem for record in fake.requests for problem in spec_problems(record)]
    assert problems == []


@pytest.fixture
def client(fake: FakeFirecrawl) -> Iterator[httpx.Client]:
    """A plain httpx client on the fake's transport, authenticated as the default team."""
    with httpx.Client(
        transport=fake.transport(),
        base_url="http://firecrawl.test/v2",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        yield client
