"""Injected faults, each kind, through the transport (sync and async) and the served mode."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import anyio
import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl

MODES = ["transport", "served"]


@pytest.fixture(params=MODES)
def mode_client(request: pytest.FixtureRequest, fake: FakeFirecrawl) -> Iterator[httpx.Client]:
    """A client reaching the fake in-process or over loopback HTTP."""
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    if request.param == "transport":
        with httpx.Client(
            transport=fake.transport(), base_url="http://x/v2", headers=headers
        ) as client:
            yield client
    else:
        with (
            fake.serve() as url,
            httpx.Client(base_url=url + "/v2", headers=headers, timeout=5) as client,
        ):
            yield client


def body_for(fake: FakeFirecrawl) -> dict[str, object]:
    return {"endpoint": "scrape", "jobId": fake.add_job("scrape"), "rating": "bad", "note": "n"}


def test_next_status_then_normal(fake: FakeFirecrawl, mode_client: httpx.Client) -> None:
    """next(2, status=503): two JSON 503s (nothing processed), then the real answer."""
    fake.faults.next(2, status=503)
    body = body_for(fake)
    assert fake.faults.pending == 2
    first, second, third = (mode_client.post("/feedback", json=body) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.json()["success"] is False
    assert fake.faults.pending == 0
    assert [r.fault for r in fake.requests] == ["status", "status", None]
    assert [r.processed for r in fake.requests] == [False, False, True]
    assert len(fake.feedback) == 1


def test_arbitrary_status_and_error_code(fake: FakeFirecrawl, mode_client: httpx.Client) -> None:
    """Any status works (520 included); error_code sets feedbackErrorCode; body overrides all."""
    fake.faults.next(1, status=520)
    fake.faults.next(1, status=500, error_code="INTERNAL")
    fake.faults.next(1, status=500, body={"success": False, "error": "x", "code": "UNKNOWN_ERROR"})
    answers = [mode_client.post("/feedback", json={}) for _ in range(3)]
    assert answers[0].status_code == 520
    assert answers[1].json()["feedbackErrorCode"] == "INTERNAL"
    assert answers[2].json() == {"success": False, "error": "x", "code": "UNKNOWN_ERROR"}


def test_rate_limit_fault_text_and_optional_headers(
    fake: FakeFirecrawl, mode_client: httpx.Client
) -> None:
    """A 429 fault says 'retry after Ns'; Retry-After and retry-after-ms only when asked for."""
    fake.faults.next(1, status=429, retry_after=3)
    fake.faults.next(1, status=429, retry_after=2.5, retry_after_headers=["seconds", "ms"])
    fake.faults.next(1, status=429, retry_after=30, retry_after_headers=["date"])
    plain, seconds, date = (mode_client.post("/feedback", json={}) for _ in range(3))
    assert "please retry after 3s, resets at" in plain.json()["error"]
    assert "retry-after" not in plain.headers
    assert (seconds.headers["retry-after"], seconds.headers["retry-after-ms"]) == ("2", "2500")
    when = parsedate_to_datetime(date.headers["retry-after"]).timestamp()
    assert when == int(fake.clock() + 30)
    assert [r.fault for r in fake.requests] == ["rate_limit"] * 3


def test_delay_before_processing_sleeps_then_processes(
    fake: FakeFirecrawl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transport: a delay sleeps before the request is processed (or after, when asked)."""
    stored_at_sleep: list[tuple[float, int]] = []
    monkeypatch.setattr(time, "sleep", lambda s: stored_at_sleep.append((s, len(fake.feedback))))
    fake.faults.next(1, delay=7)
    fake.faults.next(1, delay=8, after_processing=True)
    with httpx.Client(
        transport=fake.transport(), headers={"Authorization": f"Bearer {fake.api_key}"}
    ) as client:
        assert client.post("http://x/v2/feedback", json=body_for(fake)).status_code == 200
        assert client.post("http://x/v2/feedback", json=body_for(fake)).status_code == 200
    assert stored_at_sleep == [(7, 0), (8, 2)]
    assert [r.fault for r in fake.requests] == ["delay", "delay"]


def test_served_delay_longer_than_the_read_timeout(fake: FakeFirecrawl) -> None:
    """Served: a slow answer makes a client with a short read timeout give up."""
    fake.faults.next(1, delay=30)
    fake.faults.next(1, delay=0.01)
    with (
        fake.serve() as url,
        httpx.Client(base_url=url, timeout=httpx.Timeout(5, read=0.2)) as client,
    ):
        with pytest.raises(httpx.ReadTimeout):
            client.post("/v2/feedback", json={})
        assert client.post("/v2/feedback", json={}).status_code == 401


@pytest.mark.parametrize("after", [False, True])
def test_drop(fake: FakeFirecrawl, mode_client: httpx.Client, after: bool) -> None:
    """A drop raises RemoteProtocolError; after processing, the retry is a duplicate."""
    fake.faults.next(1, drop=True, after_processing=after)
    body = body_for(fake)
    with pytest.raises(httpx.RemoteProtocolError):
        mode_client.post("/feedback", json=body)
    assert len(fake.feedback) == int(after)
    retry = mode_client.post("/feedback", json=body).json()
    assert retry.get("alreadySubmitted", False) is after
    assert fake.requests[0].status is None
    assert fake.requests[0].fault == "drop"


def test_hang_in_transport_is_a_read_timeout(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Transport: a hang surfaces at once as the client's ReadTimeout."""
    fake.faults.next(1, hang=True)
    with pytest.raises(httpx.ReadTimeout):
        client.post("/feedback", json={})
    assert fake.requests[0].fault == "hang"


def test_served_hang_times_out_and_stop_ends_it(fake: FakeFirecrawl) -> None:
    """Served: a hang holds the answer until the client times out; stopping the server ends it."""
    fake.faults.next(1, hang=True, after_processing=True)
    body = body_for(fake)
    with (
        fake.serve() as url,
        httpx.Client(base_url=url, timeout=httpx.Timeout(5, read=0.2)) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post("/v2/feedback", json=body, headers={"Authorization": f"Bearer {fake.api_key}"})
    assert len(fake.feedback) == 1


@pytest.mark.parametrize("after", [False, True])
def test_broken_bodies(fake: FakeFirecrawl, mode_client: httpx.Client, after: bool) -> None:
    """An HTML page (502), half a JSON body, or nothing at all."""
    fake.faults.next(1, broken="html", after_processing=after)
    fake.faults.next(1, broken="truncated", after_processing=after)
    fake.faults.next(1, broken="empty", status=503, after_processing=after)
    html, truncated, empty = (mode_client.post("/feedback", json=body_for(fake)) for _ in range(3))
    assert (html.status_code, html.headers["content-type"]) == (502, "text/html")
    assert b"<html>" in html.content
    assert truncated.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        truncated.json()
    assert truncated.content.startswith(b'{"success":true,"feedbackId":"')
    assert (empty.status_code, empty.content) == (503, b"")
    assert len(fake.feedback) == (3 if after else 0)


def test_drip_delivers_the_whole_body_slowly(
    fake: FakeFirecrawl, mode_client: httpx.Client
) -> None:
    """A dripped body arrives complete, in chunks."""
    fake.faults.next(1, drip=0.001, drip_chunk=8)
    response = mode_client.post("/feedback", json=body_for(fake))
    assert response.status_code == 200
    assert response.json()["creditsRefunded"] == 1
    assert fake.requests[0].fault == "drip"


def test_drip_slower_than_the_read_timeout(fake: FakeFirecrawl) -> None:
    """Served: pauses between chunks longer than the read timeout end in ReadTimeout."""
    fake.faults.next(1, drip=30, drip_chunk=4)
    with (
        fake.serve() as url,
        httpx.Client(base_url=url, timeout=httpx.Timeout(5, read=0.2)) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post("/v2/feedback", json={})


def test_transport_drip_sleeps_between_chunks(
    fake: FakeFirecrawl, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transport: one pause per chunk."""
    pauses: list[float] = []
    monkeypatch.setattr(time, "sleep", pauses.append)
    fake.faults.next(1, drip=0.5, drip_chunk=10)
    with httpx.Client(transport=fake.transport()) as client:
        response = client.post("http://x/v2/feedback", json={})
    assert pauses == [0.5] * -(-len(response.content) // 10)


def test_random_faults_are_reproducible_with_a_seed() -> None:
    """random(fraction, seed=...) picks the same requests every run."""

    def statuses(seed: int) -> list[int]:
        fake = FakeFirecrawl()
        fake.faults.random(0.3, seed=seed, status=503)
        with httpx.Client(transport=fake.transport()) as client:
            return [client.post("http://x/v2/feedback").status_code for _ in range(40)]

    first = statuses(7)
    assert first == statuses(7)
    assert first != statuses(8)
    assert 0 < first.count(503) < 40
    assert set(first) == {401, 503}


def test_next_comes_before_random_and_clear_forgets_all(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Queued faults first; clear() removes queued and random rules."""
    fake.faults.random(1.0, status=502)
    fake.faults.next(1, status=504)
    assert [client.post("/feedback").status_code for _ in range(2)] == [504, 502]
    fake.faults.next(3, status=500)
    fake.faults.clear()
    assert fake.faults.pending == 0
    assert client.post("/feedback").status_code == 400


@pytest.mark.parametrize(
    "options",
    [
        {"drop": True, "status": 503},
        {"hang": True, "broken": "html"},
        {"drop": True, "drip": 0.1},
        {"retry_after_headers": ["seconds", "date"]},
        {"retry_after_headers": ["minutes"]},
        {"delay": -1},
        {"broken": "garbled"},
    ],
)
def test_contradictory_faults_are_refused(fake: FakeFirecrawl, options: dict[str, object]) -> None:
    """A fault that cannot happen raises at once."""
    with pytest.raises(ValueError):
        fake.faults.next(1, **options)  # type: ignore[arg-type]


def test_bad_schedules_are_refused(fake: FakeFirecrawl) -> None:
    """Counts below 1, fractions outside 0..1 and unknown options raise."""
    with pytest.raises(ValueError):
        fake.faults.next(0, status=500)
    with pytest.raises(ValueError):
        fake.faults.random(1.5, status=500)
    with pytest.raises(TypeError):
        fake.faults.next(1, stauts=500)  # type: ignore[call-arg]


@pytest.mark.anyio
async def test_async_transport_faults(fake: FakeFirecrawl, monkeypatch: pytest.MonkeyPatch) -> None:
    """Async: delays use anyio.sleep; drop, hang and drip behave as in sync mode."""
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(anyio, "sleep", fake_sleep)
    fake.faults.next(1, delay=4)
    fake.faults.next(1, drop=True)
    fake.faults.next(1, hang=True)
    fake.faults.next(1, drip=0.25, drip_chunk=1000)
    async with httpx.AsyncClient(transport=fake.transport(), base_url="http://x/v2") as client:
        assert (await client.post("/feedback")).status_code == 401
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/feedback")
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/feedback")
        dripped = await client.post("/feedback")
    assert dripped.json()["success"] is False
    assert slept == [4, 0.25]
