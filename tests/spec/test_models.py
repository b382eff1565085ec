"""The generated models round-trip the docs' examples and parse every answer the server gives."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from firecrawl_feedback_api import AuthenticatedClient
from firecrawl_feedback_api.api.feedback import submit_endpoint_feedback, submit_search_feedback
from firecrawl_feedback_api.errors import UnexpectedStatus
from firecrawl_feedback_api.models import (
    EndpointFeedbackRequest,
    FeedbackErrorResponse,
    FeedbackResponse,
    SearchFeedbackRequest,
)
from firecrawl_feedback_api.spec_schemas import COMPONENT_SCHEMAS

from tests.spec.specpages import Page
from tests.spec.specsupport import CANONICAL

JOB_ID = "550e8400-e29b-41d4-a716-446655440000"
EARLIER_ID = "0190b6f4-7c1e-7a3b-9d2e-4f5a6b7c8d9e"
NIL_UUID = "00000000-0000-0000-0000-000000000000"
CAP_WARNING = (
    "Feedback recorded, but the daily refund cap has been reached; no further credits "
    "will be refunded today."
)

# Every success body the server sends (server-behaviour.md, rows 4, 8, 11 and refunds).
SUCCESSES = {
    "normal": {
        "success": True,
        "feedbackId": "0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "creditsRefunded": 1,
        "creditsRefundedToday": 7,
        "dailyRefundCap": 100,
        "dailyCapReached": False,
        "alreadySubmitted": False,
    },
    "duplicate, empty id": {
        "success": True,
        "feedbackId": "",
        "creditsRefunded": 0,
        "alreadySubmitted": True,
        "warning": "Feedback was already submitted for this job.",
    },
    "duplicate, earlier id": {
        "success": True,
        "feedbackId": EARLIER_ID,
        "creditsRefunded": 0,
        "alreadySubmitted": True,
        "warning": "Feedback was already submitted for this job.",
    },
    "zero data retention": {"success": True, "feedbackId": NIL_UUID, "creditsRefunded": 0},
    "daily cap reached": {
        "success": True,
        "feedbackId": "0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c",
        "creditsRefunded": 0,
        "creditsRefundedToday": 50,
        "dailyRefundCap": 50,
        "dailyCapReached": True,
        "warning": CAP_WARNING,
    },
}

INVALID_BODY_DETAILS = [
    {
        "code": "invalid_string",
        "validation": "url",
        "path": ["valuableSources", 2, "url"],
        "message": "Invalid url",
    },
    {
        "code": "too_big",
        "maximum": 20,
        "type": "array",
        "inclusive": True,
        "exact": False,
        "path": ["missingContent"],
        "message": "Array must contain at most 20 element(s)",
    },
]

# Every error body (server-behaviour.md, order of checks), with its status.
ERRORS: list[tuple[int, dict[str, Any]]] = [
    (401, {"success": False, "error": "Unauthorized: Invalid token"}),
    (
        429,
        {
            "success": False,
            "error": "Rate limit exceeded. Consumed (req/min): 1001, Remaining (req/min): 0. "
            "Upgrade your plan or please retry after 12s, resets at Sat Nov 21 2026 05:40:12 GMT",
        },
    ),
    (
        400,
        {
            "success": False,
            "error": "Invalid request body",
            "feedbackErrorCode": "INVALID_BODY",
            "details": INVALID_BODY_DETAILS,
        },
    ),
    (
        400,
        {
            "success": False,
            "code": "BAD_REQUEST_INVALID_JSON",
            "error": "Bad request, malformed JSON",
        },
    ),
    (400, {"success": False, "error": "Invalid job ID"}),
    (413, {"success": False, "error": "Request entity too large"}),
    (403, {"success": False, "error": "Forbidden"}),
    (
        403,
        {
            "success": False,
            "error": "Preview teams cannot submit feedback",
            "feedbackErrorCode": "PREVIEW_TEAM_NOT_ALLOWED",
        },
    ),
    (
        403,
        {
            "success": False,
            "error": "Team opted out of feedback",
            "feedbackErrorCode": "TEAM_OPTED_OUT",
        },
    ),
    (404, {"success": False, "error": "Job not found", "feedbackErrorCode": "JOB_NOT_FOUND"}),
    (
        404,
        {"success": False, "error": "Search not found", "feedbackErrorCode": "SEARCH_NOT_FOUND"},
    ),
    (409, {"success": False, "error": "Search failed", "feedbackErrorCode": "SEARCH_FAILED"}),
    (
        409,
        {
            "success": False,
            "error": "Feedback window expired",
            "feedbackErrorCode": "FEEDBACK_WINDOW_EXPIRED",
        },
    ),
    (500, {"success": False, "error": "Internal error", "feedbackErrorCode": "INTERNAL"}),
    (500, {"success": False, "code": "UNKNOWN_ERROR", "error": "An unexpected error occurred"}),
    (503, {"success": False, "error": "Database is disabled", "feedbackErrorCode": "DB_DISABLED"}),
]


@pytest.mark.parametrize("page", ["fr", "zh", "ja"])
def test_the_docs_example_body_round_trips_as_endpoint_feedback(
    seed_pages: dict[str, Page], page: str
) -> None:
    """from_dict(body).to_dict() == body for each page's curl example."""
    body = seed_pages[page].body
    assert body["jobId"] == JOB_ID
    assert EndpointFeedbackRequest.from_dict(body).to_dict() == body


def test_the_search_docs_example_round_trips(seed_pages: dict[str, Page]) -> None:
    """The search page's example, with valuableSources and missingContent items."""
    body = seed_pages["search"].body
    model = SearchFeedbackRequest.from_dict(body)
    assert model.to_dict() == body
    assert model.valuable_sources and model.valuable_sources[0].url.startswith("https://")


def _answer(status: int, body: dict[str, Any]) -> AuthenticatedClient:
    def respond(request: httpx.Request) -> httpx.Response:
        assert request.url.path in ("/feedback", f"/search/{JOB_ID}/feedback")
        return httpx.Response(status, json=body)

    return AuthenticatedClient(
        base_url="http://127.0.0.1:9",
        token="fc-test-key",
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.MockTransport(respond)},
    )


def _submit_both(client: AuthenticatedClient) -> list[Any]:
    endpoint_body = EndpointFeedbackRequest.from_dict(
        {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "empty page"}
    )
    search_body = SearchFeedbackRequest.from_dict({"rating": "bad", "querySuggestions": "x"})
    with client:
        return [
            submit_endpoint_feedback.sync_detailed(client=client, body=endpoint_body).parsed,
            submit_search_feedback.sync_detailed(
                uuid.UUID(JOB_ID), client=client, body=search_body
            ).parsed,
        ]


@pytest.mark.parametrize("shape", list(SUCCESSES))
def test_every_success_shape_parses_on_both_routes(shape: str) -> None:
    """Empty, earlier and nil feedbackIds and the daily cap warning all parse and round-trip."""
    body = SUCCESSES[shape]
    for parsed in _submit_both(_answer(200, body)):
        assert isinstance(parsed, FeedbackResponse)
        assert parsed.feedback_id == body["feedbackId"]
        assert parsed.to_dict() == body


def test_success_fields_are_typed() -> None:
    """Duplicate and cap answers expose their flags and warning."""
    duplicate = FeedbackResponse.from_dict(SUCCESSES["duplicate, empty id"])
    assert (duplicate.already_submitted, duplicate.feedback_id) == (True, "")
    capped = FeedbackResponse.from_dict(SUCCESSES["daily cap reached"])
    assert (capped.daily_cap_reached, capped.warning) == (True, CAP_WARNING)


@pytest.mark.parametrize(
    ("status", "body"), ERRORS, ids=[f"{s}-{i}" for i, (s, _) in enumerate(ERRORS)]
)
def test_every_error_shape_parses_on_both_routes(status: int, body: dict[str, Any]) -> None:
    """401, 413, 429 and 503 included; code and details kept; round-trips."""
    for parsed in _submit_both(_answer(status, body)):
        assert isinstance(parsed, FeedbackErrorResponse)
        assert parsed.error == body["error"]
        assert parsed.to_dict() == body


def test_invalid_body_details_keep_paths_and_extra_keys() -> None:
    """The zod issue path mixes keys and indexes; issue-specific keys stay available."""
    error = FeedbackErrorResponse.from_dict(ERRORS[2][1])
    assert error.feedback_error_code == "INVALID_BODY"
    assert error.details
    first, second = error.details
    assert first.path == ["valuableSources", 2, "url"]
    assert first["validation"] == "url"
    assert (second.code, second["maximum"]) == ("too_big", 20)
    assert FeedbackErrorResponse.from_dict(ERRORS[3][1]).code == "BAD_REQUEST_INVALID_JSON"


@pytest.fixture(scope="module")
def canonical_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = json.loads(CANONICAL.read_text(encoding="utf-8"))["components"][
        "schemas"
    ]
    return schemas


@pytest.mark.parametrize("where", ["canonical", "COMPONENT_SCHEMAS"])
def test_the_missing_content_limits_follow_the_server(
    canonical_schemas: dict[str, Any], where: str
) -> None:
    """50 missingContent items on POST /feedback, 20 on the search route."""
    schemas = canonical_schemas if where == "canonical" else COMPONENT_SCHEMAS
    endpoint = schemas["EndpointFeedbackRequest"]["properties"]["missingContent"]
    search = schemas["SearchFeedbackRequest"]["properties"]["missingContent"]
    assert (endpoint["maxItems"], search["maxItems"]) == (50, 20)


@pytest.mark.parametrize("where", ["canonical", "COMPONENT_SCHEMAS"])
def test_the_overrides_hold_in_the_published_schemas(
    canonical_schemas: dict[str, Any], where: str
) -> None:
    """integration not nullable, feedbackId without uuid format, strict request objects."""
    schemas = canonical_schemas if where == "canonical" else COMPONENT_SCHEMAS
    for request in ("EndpointFeedbackRequest", "SearchFeedbackRequest"):
        integration = schemas[request]["properties"]["integration"]
        assert integration["type"] == "string"
        assert "nullable" not in integration
    feedback_id = schemas["FeedbackResponse"]["properties"]["feedbackId"]
    assert "format" not in feedback_id
    assert feedback_id["type"] == "string"
    for strict in (
        "EndpointFeedbackRequest",
        "SearchFeedbackRequest",
        "ValuableSource",
        "MissingContent",
    ):
        assert schemas[strict]["additionalProperties"] is False, strict


def test_component_schemas_are_the_canonical_ones_without_prose(
    canonical_schemas: dict[str, Any],
) -> None:
    """The data module carries every constraint of the canonical spec, and no description."""
    assert _without_descriptions(canonical_schemas) == COMPONENT_SCHEMAS
    # Only the property called "description" (of MissingContent) is left.
    assert json.dumps(COMPONENT_SCHEMAS).count('"description"') == 1


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _without_descriptions(v)
            for k, v in node.items()
            if not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def test_both_operations_document_401_413_429_and_503() -> None:
    """The statuses the server sends although the upstream schema omits them."""
    paths = json.loads(CANONICAL.read_text(encoding="utf-8"))["paths"]
    for route in ("/feedback", "/search/{jobId}/feedback"):
        responses = paths[route]["post"]["responses"]
        for status in ("401", "413", "429", "503"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/FeedbackErrorResponse"}


def _raw(status: int, content: bytes, **headers: str) -> AuthenticatedClient:
    """A generated client whose httpx client has no base URL and no headers of its own.

    Its answers are streamed, as a network transport's are.
    """

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, stream=httpx.ByteStream(content), headers=headers)

    client = AuthenticatedClient(base_url="http://127.0.0.1:9/v2", token="fc-test-key")
    return client.set_httpx_client(httpx.Client(transport=httpx.MockTransport(respond)))


@pytest.mark.parametrize(
    ("status", "content"),
    [
        (520, b"<html>Web server is returning an unknown error</html>"),
        (200, b"<html>maintenance</html>"),
        (503, b"Service Unavailable"),
        (200, b'{"success": true}'),  # JSON, but not a FeedbackResponse
        (599, b""),
    ],
)
def test_unknown_statuses_and_bodies_give_a_response_not_an_exception(
    status: int, content: bytes
) -> None:
    """HTTPStatus(520) and response.json() on HTML used to raise out of sync_detailed."""
    body = EndpointFeedbackRequest.from_dict(
        {"endpoint": "scrape", "jobId": JOB_ID, "rating": "good"}
    )
    answer = submit_endpoint_feedback.sync_detailed(client=_raw(status, content), body=body)
    assert (answer.status_code, answer.content, answer.parsed) == (status, content, None)
    assert answer.raw.status_code == status and not answer.over_limit


def test_the_operation_sends_whole_requests_through_the_httpx_client_it_is_given() -> None:
    """Absolute URL, auth and per-call headers and timeout: nothing relies on the httpx client."""
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=SUCCESSES["normal"])

    client = AuthenticatedClient(
        base_url="http://127.0.0.1:9/v2", token="fc-test-key", headers={"User-Agent": "t/1"}
    ).set_httpx_client(httpx.Client(transport=httpx.MockTransport(respond)))
    body = SearchFeedbackRequest.from_dict({"rating": "bad", "querySuggestions": "\ud83d alone"})
    answer = submit_search_feedback.sync_detailed(
        uuid.UUID(JOB_ID),
        client=client,
        body=body,
        timeout=httpx.Timeout(2.5),
        headers={"X-Trace": "t1"},
    )
    assert isinstance(answer.parsed, FeedbackResponse)
    (request,) = seen
    assert str(request.url) == f"http://127.0.0.1:9/v2/search/{JOB_ID}/feedback"
    assert request.headers["authorization"] == "Bearer fc-test-key"
    assert (request.headers["user-agent"], request.headers["x-trace"]) == ("t/1", "t1")
    assert request.extensions["timeout"]["read"] == 2.5
    # A lone surrogate travels as a JSON escape (UTF-8 cannot carry it).
    assert b'"\\ud83d alone"' in request.content
    assert json.loads(request.content)["querySuggestions"] == "\ud83d alone"


def test_default_headers_follow_each_copy_and_per_call_headers_stay_in_their_call() -> None:
    """The merged default and auth headers are kept per client: a per-call header never
    joins them, and a copy made by with_headers sends its own."""
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=SUCCESSES["normal"])

    http = httpx.Client(transport=httpx.MockTransport(respond))
    client = AuthenticatedClient(
        base_url="http://127.0.0.1:9/v2", token="fc-test-key", headers={"X-Team": "a"}
    ).set_httpx_client(http)
    copy = client.with_headers({"X-Team": "b"}).set_httpx_client(http)
    body = EndpointFeedbackRequest.from_dict(
        {"endpoint": "scrape", "jobId": JOB_ID, "rating": "good"}
    )
    submit_endpoint_feedback.sync_detailed(client=client, body=body, headers={"X-Trace": "t1"})
    submit_endpoint_feedback.sync_detailed(client=client, body=body)
    submit_endpoint_feedback.sync_detailed(client=copy, body=body)
    teams = [(r.headers["x-team"], r.headers.get("x-trace")) for r in seen]
    assert teams == [("a", "t1"), ("a", None), ("b", None)]
    assert {r.headers["authorization"] for r in seen} == {"Bearer fc-test-key"}
    assert {r.headers["content-type"] for r in seen} == {"application/json"}


def test_an_answer_over_the_size_limit_is_flagged_and_not_parsed() -> None:
    """max_response_bytes caps the body before and after gzip decoding."""
    import gzip

    big = json.dumps({**SUCCESSES["normal"], "warning": "x" * 5000}).encode()
    body = EndpointFeedbackRequest.from_dict(
        {"endpoint": "scrape", "jobId": JOB_ID, "rating": "good"}
    )
    for content, headers in [(big, {}), (gzip.compress(big), {"Content-Encoding": "gzip"})]:
        client = _raw(200, content, **headers)
        client.max_response_bytes = 1000
        answer = submit_endpoint_feedback.sync_detailed(client=client, body=body)
        assert answer.over_limit and answer.parsed is None and len(answer.content) <= 1000


def test_parsed_is_built_on_first_access_and_undocumented_statuses_still_raise_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A caller that reads the answer itself pays no model build; raise_on_unexpected_status
    keeps raising from the call, as openapi-python-client's clients do."""
    body = EndpointFeedbackRequest.from_dict(
        {"endpoint": "scrape", "jobId": JOB_ID, "rating": "good"}
    )
    built: list[object] = []
    real = FeedbackResponse.from_dict
    monkeypatch.setattr(FeedbackResponse, "from_dict", lambda src: built.append(src) or real(src))
    content = json.dumps(SUCCESSES["normal"]).encode()
    answer = submit_endpoint_feedback.sync_detailed(client=_raw(200, content), body=body)
    assert built == []
    assert isinstance(answer.parsed, FeedbackResponse) and answer.parsed is answer.parsed
    assert len(built) == 1
    strict = _raw(520, b"")
    strict.raise_on_unexpected_status = True
    with pytest.raises(UnexpectedStatus):
        submit_endpoint_feedback.sync_detailed(client=strict, body=body)
