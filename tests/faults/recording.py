"""An httpx MockTransport that records every request and answers a fixed success."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from firecrawl_feedback import FeedbackClient

API_KEY = "fc-abuse-suite-5b1d0c9e"
JOB = "0190d7a2-3c4b-7d5e-8f60-123456789abc"
OK_BODY = {
    "success": True,
    "feedbackId": "0190d7a2-0000-7000-8000-000000000001",
    "creditsRefunded": 1,
}


class Recorder:
    """Keeps each request the client sent; every request gets a 200 feedback answer."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=OK_BODY)

    @property
    def paths(self) -> list[str]:
        """The raw (percent-encoded) request paths, exactly as sent."""
        return [request.url.raw_path.decode("ascii") for request in self.requests]


@contextmanager
def recording_client() -> Iterator[tuple[FeedbackClient, Recorder]]:
    """A FeedbackClient sending through a recording MockTransport."""
    recorder = Recorder()
    with (
        httpx.Client(transport=httpx.MockTransport(recorder)) as http,
        FeedbackClient(API_KEY, base_url="https://api.firecrawl.test", http_client=http) as client,
    ):
        yield client, recorder
