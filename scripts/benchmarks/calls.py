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


#: Contender names, in report order; the first is the floor of every ratio.
RAW, GENERATED = "raw", "generated"
VIA_TRANSPORT, VIA_HTTP_CLIENT = "wrapper (transport=)", "wrapper (http_client=)"
NAMES = (RAW, GENERATED, VIA_TRANSPORT, VIA_HTTP_CLIENT)


@dataclass
class Contenders:
    """The ways to send the same submission over one kind of transport, by name."""

    calls: dict[str, Callable[[], object]]
    close: Callable[[], None]


def contenders(base_url: str, transport: Callable[[], httpx.BaseTransport] | None) -> Contenders:
    """``transport=None``: every contender opens its own connections (real HTTP).

    The wrapper runs twice: once given the transport (``transport=``, or its own
    pool), once given an ``httpx.Client`` over it (``http_client=``).
    """
    headers = {"Authorization": f"Bearer {API_KEY}"}
    made = (lambda: {}) if transport is None else (lambda: {"transport": transport()})
    raw = httpx.Client(base_url=base_url + "/v2", headers=headers, **made())
    model = build_endpoint_request(endpoint="scrape", job_id=JOB, **FIELDS)
    generated = AuthenticatedClient(base_url=base_url + "/v2", token=API_KEY, httpx_args=made())
    own = FeedbackClient(API_KEY, base_url=base_url, max_retries=0, **made())
    theirs = httpx.Client(**made())
    given = FeedbackClient(API_KEY, base_url=base_url, max_retries=0, http_client=theirs)

    def close() -> None:
        raw.close()
        generated.get_httpx_client().close()
        own.close()
        theirs.close()

    return Contenders(
        calls={
            RAW: lambda: raw.post("/feedback", json=WIRE_BODY).json(),
            GENERATED: lambda: submit_endpoint_feedback.sync_detailed(client=generated, body=model),
            VIA_TRANSPORT: lambda: own.scrape(JOB, **FIELDS),
            VIA_HTTP_CLIENT: lambda: given.scrape(JOB, **FIELDS),
        },
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
    #: Per contender but the raw floor: its time over raw httpx's, per round.
    ratios: dict[str, Spread]
    stages: dict[str, Spread]


def compare(make: Callable[[], Contenders], count: int, rounds: int) -> CallResult:
    """Per-call seconds of every contender, interleaved over ``rounds``."""
    chosen = make()
    try:
        for call in chosen.calls.values():  # warm up caches and pools
            per_call_seconds(call, min(count, 200))
        times: dict[str, list[float]] = {name: [] for name in chosen.calls}
        for index in range(rounds):
            order = list(times) if index % 2 == 0 else list(times)[::-1]
            for name in order:
                times[name].append(per_call_seconds(chosen.calls[name], count))
    finally:
        chosen.close()
    return CallResult(
        count=count,
        rounds=rounds,
        seconds={name: Spread.of(values) for name, values in times.items()},
        ratios={name: ratios(times[name], times[RAW]) for name in times if name != RAW},
        stages={},
    )


def stages(count: int, rounds: int) -> dict[str, Spread]:
    """Seconds per call of each stage of the wrapper's own work."""
    model = build_endpoint_request(endpoint="scrape", job_id=JOB, **FIELDS)
    request = httpx.Request("POST", "https://api.firecrawl.test/v2/feedback")
    response = httpx.Response(
        200, content=BODY, headers={"content-type": "application/json"}, request=request
    )
    answer = Response(200, BODY, response.headers, response)
    work: dict[str, Callable[[], object]] = {
        "validation + model (build_endpoint_request)": lambda: build_endpoint_request(
            endpoint="scrape", job_id=JOB, **FIELDS
        ),
        "model to JSON (to_dict)": model.to_dict,
        "request kwargs (_get_kwargs)": lambda: submit_endpoint_feedback._get_kwargs(body=model),
        "answer parsing (interpret)": lambda: interpret(answer, attempts=1, ambiguous_before=False),
    }
    return {
        name: Spread.of([per_call_seconds(call, count) for _ in range(rounds)])
        for name, call in work.items()
    }


def profile(count: int, top: int = 18, name: str = VIA_HTTP_CLIENT) -> str:
    """cProfile of ``count`` wrapper calls over MockTransport, by own time."""
    chosen = mock_contenders()
    try:
        call = chosen.calls[name]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            call()
        profiler.disable()
    finally:
        chosen.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def loopback_contenders(url: str) -> Contenders:
    """The contenders over real HTTP to the minimal server, each with its own pool."""
    return contenders(url, None)
