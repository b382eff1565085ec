"""Per-call client cost: wrapper vs bare generated client vs raw httpx, same transport.

Each round times N sync submissions per contender, one after another, so the
ratios come from side-by-side measurements; the stages of the wrapper's own
work (validation, model to JSON, answer parsing) are timed on their own.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from firecrawl_feedback import FeedbackClient
from firecrawl_feedback._response import interpret
from firecrawl_feedback._validation import build_endpoint_request
from firecrawl_feedback_api import AuthenticatedClient
from firecrawl_feedback_api.api.feedback import submit_endpoint_feedback
from firecrawl_feedback_api.models import FeedbackResponse
from firecrawl_feedback_api.types import Response

from .minimal_server import BODY
from .stats import Spread, ratios

API_KEY = "fc-bench-0000"
JOB = "0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b"
FIELDS: dict[str, Any] = {
    "rating": "partial",
    "issues": ["missing_markdown"],
    "note": "The second half of the page is missing.",
    "url": "https://example.com/page",
}
WIRE_BODY = {
    "endpoint": "scrape",
    "jobId": JOB,
    "rating": "partial",
    "issues": ["missing_markdown"],
    "note": "The second half of the page is missing.",
    "url": "https://example.com/page",
    "origin": "api",
}


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


@dataclass
class Contenders:
    """The three ways to send the same submission, over one kind of transport."""

    raw: Callable[[], object]
    generated: Callable[[], object]
    wrapper: Callable[[], object]
    close: Callable[[], None]


def contenders(
    base_url: str, transport: Callable[[], httpx.BaseTransport], *, own_pool: bool = False
) -> Contenders:
    """``own_pool``: the wrapper opens its own connections; otherwise it gets ``transport``."""
    headers = {"Authorization": f"Bearer {API_KEY}"}
    raw = httpx.Client(base_url=base_url + "/v2", headers=headers, transport=transport())
    model = build_endpoint_request(endpoint="scrape", job_id=JOB, **FIELDS)
    generated = AuthenticatedClient(
        base_url=base_url + "/v2", token=API_KEY, httpx_args={"transport": transport()}
    )
    wrapper = FeedbackClient(
        API_KEY, base_url=base_url, transport=None if own_pool else transport(), max_retries=0
    )

    def close() -> None:
        raw.close()
        generated.get_httpx_client().close()
        wrapper.close()

    return Contenders(
        raw=lambda: raw.post("/feedback", json=WIRE_BODY).json(),
        generated=lambda: submit_endpoint_feedback.sync_detailed(client=generated, body=model),
        wrapper=lambda: wrapper.scrape(JOB, **FIELDS),
        close=close,
    )


def mock_contenders() -> Contenders:
    return contenders("https://api.firecrawl.test", lambda: httpx.MockTransport(_answer))


def per_call_seconds(call: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - start) / count


@dataclass
class CallResult:
    count: int
    rounds: int
    seconds: dict[str, Spread]
    wrapper_ratio: Spread
    generated_ratio: Spread
    stages: dict[str, Spread]


def compare(make: Callable[[], Contenders], count: int, rounds: int) -> CallResult:
    """Per-call seconds of raw, generated and wrapper, interleaved over ``rounds``."""
    chosen = make()
    try:
        for name in ("raw", "generated", "wrapper"):  # warm up caches and pools
            per_call_seconds(getattr(chosen, name), min(count, 200))
        times: dict[str, list[float]] = {"raw": [], "generated": [], "wrapper": []}
        for index in range(rounds):
            order = list(times) if index % 2 == 0 else list(times)[::-1]
            for name in order:
                times[name].append(per_call_seconds(getattr(chosen, name), count))
    finally:
        chosen.close()
    return CallResult(
        count=count,
        rounds=rounds,
        seconds={name: Spread.of(values) for name, values in times.items()},
        wrapper_ratio=ratios(times["wrapper"], times["raw"]),
        generated_ratio=ratios(times["generated"], times["raw"]),
        stages={},
    )


def stages(count: int, rounds: int) -> dict[str, Spread]:
    """Seconds per call of each stage of the wrapper's own work."""
    model = build_endpoint_request(endpoint="scrape", job_id=JOB, **FIELDS)
    request = httpx.Request("POST", "https://api.firecrawl.test/v2/feedback")
    response = httpx.Response(
        200, content=BODY, headers={"content-type": "application/json"}, request=request
    )
    work: dict[str, Callable[[], object]] = {
        "validation + model (build_endpoint_request)": lambda: build_endpoint_request(
            endpoint="scrape", job_id=JOB, **FIELDS
        ),
        "model to JSON (to_dict)": model.to_dict,
        "request kwargs (_get_kwargs)": lambda: submit_endpoint_feedback._get_kwargs(body=model),
        "answer parsing (interpret)": lambda: interpret(
            Response(
                200, BODY, response.headers, FeedbackResponse.from_dict(response.json()), response
            ),
            attempts=1,
            ambiguous_before=False,
        ),
    }
    return {
        name: Spread.of([per_call_seconds(call, count) for _ in range(rounds)])
        for name, call in work.items()
    }


def profile(count: int, top: int = 18) -> str:
    """cProfile of ``count`` wrapper calls over MockTransport, by own time."""
    chosen = mock_contenders()
    try:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            chosen.wrapper()
        profiler.disable()
    finally:
        chosen.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def loopback_contenders(url: str) -> Contenders:
    """The three contenders over real HTTP to the minimal server."""
    return contenders(url, httpx.HTTPTransport, own_pool=True)
