"""A strict fake of the two routes for httpx.MockTransport: answers as told, fails on surprises."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from firecrawl_feedback import AsyncFeedbackClient, FeedbackClient

API_KEY = "fc-test-key-7f3a9c"
JOB = "0190d7a2-3c4b-7d5e-8f60-123456789abc"
ROUTES = {("POST", "/v2/feedback"), ("POST", f"/v2/search/{JOB}/feedback")}

Answer = httpx.Response | BaseException | Callable[[httpx.Request], httpx.Response]


def ok(**extra: Any) -> httpx.Response:
    body = {
        "success": True,
        "feedbackId": "0190d7a2-0000-7000-8000-000000000001",
        "creditsRefunded": 1,
        "creditsRefundedToday": 1,
        "dailyRefundCap": 50,
    }
    body.update(extra)
    return httpx.Response(200, json=body)


def error(
    status: int, message: str = "failed", code: str | None = None, **extra: Any
) -> httpx.Response:
    body: dict[str, Any] = {"success": False, "error": message}
    if code is not None:
        body["feedbackErrorCode"] = code
    body.update(extra)
    return httpx.Response(status, json=body)


@dataclass
class Script:
    """Answers in order; every request is checked and recorded."""

    answers: list[Answer]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        route = (request.method, request.url.path)
        assert route in ROUTES, f"unexpected request {route}"
        assert request.headers["authorization"] == f"Bearer {API_KEY}"
        assert request.headers["content-type"] == "application/json"
        json.loads(request.content)  # always a JSON body
        self.requests.append(request)
        assert self.answers, f"more requests than scripted answers: {route}"
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, httpx.Response):
            # A fresh copy: one scripted answer may serve several requests and modes.
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return answer(request)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def run(
    mode: str,
    script: Script,
    method: str,
    *args: Any,
    client: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Call ``method`` on a sync or async client wired to ``script``; returns or raises."""
    options = {"api_key": API_KEY, "base_url": "https://api.firecrawl.test", **(client or {})}
    if mode == "sync":
        with (
            httpx.Client(transport=httpx.MockTransport(script)) as http,
            FeedbackClient(http_client=http, **options) as sync_client,
        ):
            return getattr(sync_client, method)(*args, **kwargs)

    async def go() -> Any:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(script)) as http,
            AsyncFeedbackClient(http_client=http, **options) as async_client,
        ):
            return await getattr(async_client, method)(*args, **kwargs)

    return asyncio.run(go())


def scripted(answers: Iterable[Answer]) -> Script:
    return Script(list(answers))
