"""Every JSON answer the fake sends matches the spec's response schema for its status."""

from __future__ import annotations

import uuid

import httpx
from firecrawl_feedback.testing import FakeFirecrawl, RequestRecord

from .fake_spec import response_schema, spec_problems


def record(path: str, status: int, body: bytes) -> RequestRecord:
    return RequestRecord(
        method="POST", path=path, status=status, team=None, fault=None, processed=True,
        response_body=body, content_type="application/json", at=0.0,
    )  # fmt: skip


def test_the_checker_catches_answers_that_break_the_spec() -> None:
    """Negative control: a 200 without feedbackId and a 400 with a float path are flagged."""
    assert spec_problems(record("/v2/feedback", 200, b'{"success":true,"creditsRefunded":1}'))
    details = b'{"success":false,"error":"x","details":[{"path":[1.5]}]}'
    assert spec_problems(record(f"/v2/search/{uuid.uuid4()}/feedback", 400, details))
    assert (
        spec_problems(
            record("/v2/feedback", 200, b'{"success":true,"feedbackId":"a","creditsRefunded":1}')
        )
        == []
    )


def test_the_checker_skips_statuses_the_spec_does_not_list() -> None:
    """520 has no schema in the spec."""
    assert response_schema("/feedback", 520) is None
    assert spec_problems(record("/v2/feedback", 520, b"not json")) == []


def test_every_answer_across_all_scenarios_conforms() -> None:
    """All rows and JSON faults, on both routes: each answer validates against the spec."""
    fake = FakeFirecrawl(rate_limit=1_000)
    other = fake.add_team("other", rate_limit=1)
    preview = fake.add_team("preview", preview=True)
    opted_out = fake.add_team("opted-out", opted_out=True)
    zdr = fake.add_team("zdr", zero_data_retention=True)
    search_body = {"rating": "good", "valuableSources": [{"url": "https://a.b"}]}

    def scrape(job: str, **fields: object) -> dict[str, object]:
        return {"endpoint": "scrape", "jobId": job, "rating": "bad", "note": "n", **fields}

    def post(
        path: str, key: str | None = fake.api_key, json: object = None, content: bytes = b""
    ) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        if content:
            headers["content-type"] = "application/json"
        client.post(path, headers=headers, json=json, content=content or None)

    with httpx.Client(transport=fake.transport(), base_url="http://x/v2") as client:
        for route in ("/feedback", f"/search/{fake.add_job('search')}/feedback"):
            post(route, key=None)
            post(route, key="wrong")
            post(route, content=b"{")
            post(route, json={"rating": 1, "zzz": [None]})
            post(route, key=preview.api_key, json=scrape(str(uuid.uuid4())))
            post(route, key=opted_out.api_key, json=search_body)
            post(route, key=zdr.api_key, json=scrape(str(uuid.uuid4())))
            post(route, key=other.api_key, json={})
            post(route, key=other.api_key, json={})
        post("/feedback", content=b"{" + b" " * (10 * 1024 * 1024) + b"}")
        post("/search/nope/feedback", json=search_body)
        post("/feedback", json=scrape(str(uuid.uuid4())))
        post(f"/search/{uuid.uuid4()}/feedback", json=search_body)
        post(f"/search/{fake.add_job('search', success=False)}/feedback", json=search_body)
        post(
            f"/search/{fake.add_job('search', zero_data_retention=True)}/feedback", json=search_body
        )
        old = fake.add_job("scrape", age=500)
        post("/feedback", json=scrape(old))
        job = fake.add_job("scrape", credits=400, formats=["json"])
        post("/feedback", json=scrape(job))
        post("/feedback", json=scrape(job))
        fake.duplicate_feedback_id = "empty"
        post("/feedback", json=scrape(job))
        for _ in range(11):
            post("/feedback", json=scrape(fake.add_job("parse", credits=100), endpoint="parse"))
        fake.faults.next(1, status=500, error_code="INTERNAL")
        fake.faults.next(1, status=429, retry_after=2, retry_after_headers=["seconds", "ms"])
        fake.faults.next(1, status=503)
        fake.faults.next(1, status=404, after_processing=True)
        fake.faults.next(1, broken="truncated")
        fake.faults.next(1, drip=0.0)
        for _ in range(6):
            post("/feedback", json=scrape(fake.add_job("map"), endpoint="map"))
        fake.db_disabled = True
        post("/feedback", json=scrape(fake.add_job("scrape")))

    problems = [problem for r in fake.requests for problem in spec_problems(r)]
    assert problems == []
    statuses = {r.status for r in fake.requests}
    assert statuses >= {200, 400, 401, 403, 404, 409, 413, 429, 500, 503}
    answers = [r.response_body for r in fake.requests]
    assert any(b'"dailyCapReached":true' in body for body in answers)
    assert any(b'"feedbackId":""' in body for body in answers)
