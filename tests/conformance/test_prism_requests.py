"""Every kind of request the client sends passes Prism's validation against the canonical spec.

Prism (an independent OpenAPI implementation) mocks openapi/feedback-api.json
and checks each request against it: a request breaking the spec comes back
as an error status with an ``sl-violations`` header listing what is wrong.
Prism mounts the spec's paths at its root and ignores the ``/v2`` of the
spec's server URL, so the recording transport below removes that prefix
(and only that) before forwarding.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from firecrawl_feedback import FeedbackClient, FeedbackError

API_KEY = "fc-conformance-0000"
JOB = "0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b"
NIL = "00000000-0000-0000-0000-000000000000"
MAX = "ffffffff-ffff-ffff-ffff-ffffffffffff"
ASTRAL = "\U0001f600"  # one code point, two UTF-16 code units
INTEGRATIONS = (
    "dify", "zapier", "pipedream", "raycast", "langchain", "crewai", "llamaindex", "n8n",
    "camelai", "make", "flowise", "metagpt", "relevanceai", "viasocket", "cli", "hermes",
    "gstack", "prometheus", "_in-house",
)  # fmt: skip


@dataclass
class Exchange:
    path: str
    body: Any
    status: int
    violations: list[dict[str, Any]]


@dataclass
class PrismPathTransport(httpx.BaseTransport):
    """Forwards to Prism without the spec server's ``/v2`` prefix and records each answer."""

    inner: httpx.BaseTransport
    exchanges: list[Exchange] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        sent_path = request.url.raw_path.decode("ascii")
        assert sent_path.startswith("/v2/"), sent_path
        request.url = request.url.copy_with(raw_path=sent_path[3:].encode("ascii"))
        response = self.inner.handle_request(request)
        response.read()
        raw = response.headers.get("sl-violations")
        self.exchanges.append(
            Exchange(
                path=sent_path,
                body=json.loads(request.content),
                status=response.status_code,
                violations=json.loads(raw) if raw else [],
            )
        )
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def recorder() -> PrismPathTransport:
    return PrismPathTransport(httpx.HTTPTransport())


@pytest.fixture
def client(prism_url: str, recorder: PrismPathTransport) -> Iterator[FeedbackClient]:
    with (
        httpx.Client(transport=recorder, timeout=10) as http,
        FeedbackClient(API_KEY, base_url=prism_url, http_client=http, max_retries=0) as client,
    ):
        yield client


def _sources(count: int, reason_length: int = 0) -> list[dict[str, str]]:
    return [
        {
            "url": f"https://example.com/{i}",
            **({"reason": "r" * reason_length} if reason_length else {}),
        }
        for i in range(count)
    ]


def _contents(
    count: int, topic_length: int = 5, description_length: int = 0
) -> list[dict[str, str]]:
    return [
        {
            "topic": f"{i:03d}" + "t" * (topic_length - 3),
            **({"description": "d" * description_length} if description_length else {}),
        }
        for i in range(count)
    ]


def _metadata_near_8k() -> dict[str, Any]:
    # {"blob":"..."} is 11 bytes of framing; leave a few bytes of slack under 8192.
    return {"blob": "m" * (8192 - 11 - 8), "n": 1.5}


Call = Callable[[FeedbackClient], object]


def _with_integration(name: str) -> Call:
    return lambda c: c.scrape(JOB, rating="bad", note="x", integration=name)


CASES: dict[str, Call] = {
    # -- POST /v2/feedback, each helper and endpoint ------------------------------
    "scrape-note": lambda c: c.scrape(JOB, rating="bad", note="missing the footer"),
    "parse-issues": lambda c: c.parse(JOB, rating="partial", issues=["missing_tables"]),
    "map-tags": lambda c: c.map(JOB, rating="good", tags=["complete"]),
    "submit-search-endpoint": lambda c: c.submit(
        "search", JOB, rating="good", valuable_sources=["https://example.com"]
    ),
    "submit-url-only": lambda c: c.submit(
        "scrape", JOB, rating="bad", url="https://a.example/x?q=1#f"
    ),
    "submit-page-numbers": lambda c: c.submit("parse", JOB, rating="bad", page_numbers=[1, 2, 3]),
    "submit-every-field": lambda c: c.submit(
        "scrape",
        JOB,
        rating="partial",
        issues=["missing_markdown", "bad-encoding"],
        tags=["pdf"],
        note="  trimmed by the client  ",
        url="https://example.com/page",
        page_numbers=[4],
        metadata={"nested": {"list": [1, "two", None, True]}, "k": -0.5},
        valuable_sources=[{"url": "https://example.com/s", "reason": "it had the table"}],
        missing_content=[{"topic": "pricing", "description": "the price table"}],
        query_suggestions="try the docs",
        integration="langchain",
        origin="sdk-test",
    ),
    "submit-empty-metadata": lambda c: c.scrape(JOB, rating="good", note="x", metadata={}),
    # -- boundary values ----------------------------------------------------------
    "note-max-length": lambda c: c.scrape(JOB, rating="bad", note="n" * 4000),
    "note-astral-max": lambda c: c.scrape(JOB, rating="bad", note=ASTRAL * 2000),
    "labels-max": lambda c: c.scrape(
        JOB,
        rating="bad",
        issues=[f"{i:02d}" + "a" * 78 for i in range(20)],
        tags=[f"{i:02d}" + "b" * 78 for i in range(20)],
    ),
    "page-numbers-max": lambda c: c.parse(
        JOB, rating="bad", page_numbers=[*range(1, 100), 2**53 - 1]
    ),
    "metadata-near-8k": lambda c: c.scrape(
        JOB, rating="bad", note="x", metadata=_metadata_near_8k()
    ),
    "metadata-astral": lambda c: c.scrape(
        JOB, rating="bad", note="x", metadata={"e": ASTRAL * 1000}
    ),
    "sources-max": lambda c: c.scrape(JOB, rating="good", valuable_sources=_sources(50, 1000)),
    "contents-max-feedback": lambda c: c.scrape(
        JOB, rating="bad", missing_content=_contents(50, 200, 2000)
    ),
    "query-suggestions-max": lambda c: c.scrape(JOB, rating="bad", query_suggestions="q" * 2000),
    "url-max-length": lambda c: c.scrape(
        JOB, rating="bad", url="https://example.com/" + "p" * (2048 - 20)
    ),
    "nil-uuid": lambda c: c.scrape(NIL, rating="bad", note="x"),
    "max-uuid": lambda c: c.scrape(MAX, rating="bad", note="x"),
    "upper-case-uuid": lambda c: c.scrape(JOB.upper(), rating="bad", note="x"),
    **{f"integration-{name}": _with_integration(name) for name in INTEGRATIONS},
    # -- POST /v2/search/{jobId}/feedback ------------------------------------------
    "search-good": lambda c: c.search(JOB, rating="good", valuable_sources=["https://example.com"]),
    "search-partial": lambda c: c.search(JOB, rating="partial", missing_content=["news"]),
    "search-bad": lambda c: c.search(JOB, rating="bad", query_suggestions="add the year"),
    "search-max": lambda c: c.search(
        JOB,
        rating="partial",
        valuable_sources=_sources(50, 1000),
        missing_content=_contents(20, 200, 2000),
        query_suggestions="q" * 2000,
        integration="_x",
        origin="o",
    ),
    "search-nil-uuid": lambda c: c.search(NIL, rating="bad", query_suggestions="x"),
    # -- wire-form bodies ------------------------------------------------------------
    "submit-body": lambda c: c.submit_body(
        {"endpoint": "map", "jobId": JOB, "rating": "bad", "pageNumbers": [7], "origin": "batch"}
    ),
    "submit-body-search-endpoint": lambda c: c.submit_body(
        {"endpoint": "search", "jobId": JOB, "rating": "bad", "missingContent": [{"topic": "t"}]}
    ),
    "search-body": lambda c: c.search_body(
        JOB, {"rating": "good", "valuableSources": [{"url": "https://example.com", "reason": "r"}]}
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_prism_finds_no_request_violation(
    case: str, client: FeedbackClient, recorder: PrismPathTransport
) -> None:
    """The request the client builds for this case is valid against the spec, per Prism."""
    with contextlib.suppress(FeedbackError):  # the recorded answer below says why
        CASES[case](client)
    assert len(recorder.exchanges) == 1, "the client sent nothing"
    exchange = recorder.exchanges[0]
    assert exchange.violations == []
    assert exchange.status == 200


def test_prism_reports_a_request_that_breaks_the_spec(
    prism_url: str, recorder: PrismPathTransport
) -> None:
    """Negative control: a body the spec forbids is flagged by Prism, so the check can fail."""
    with httpx.Client(transport=recorder, base_url=prism_url + "/v2", timeout=10) as http:
        http.post(
            "/feedback",
            json={"endpoint": "crawl", "jobId": "not-a-uuid", "rating": "good", "extra": 1},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
    (exchange,) = recorder.exchanges
    assert exchange.status >= 400
    codes = {v["code"] for v in exchange.violations}
    assert {"enum", "format", "additionalProperties"} <= codes


#: URLs the server's WHATWG parser accepts (so the client accepts and sends them as given)
#: but the spec's ``format: uri`` (RFC 3986, as Prism's ajv-formats reads it) does not.
WHATWG_NOT_RFC3986 = [
    "https://example.com/a b",
    "https://bücher.example/",
    "https://example.com/ü",
    "https://example.com/%zz",
    "https://example.com/a|b",
    "https://example.com/{x}",
    "https://example.com\\path",
]


@pytest.mark.parametrize("url", WHATWG_NOT_RFC3986)
def test_prism_accepts_every_url_the_server_accepts(
    url: str, client: FeedbackClient, recorder: PrismPathTransport
) -> None:
    """A URL the client lets through (the server would store it) also satisfies the spec."""
    with contextlib.suppress(FeedbackError):
        client.scrape(JOB, rating="bad", url=url)
    (exchange,) = recorder.exchanges
    assert exchange.body["url"] == url
    assert exchange.violations == []
