"""The refund policy per endpoint and options, and the daily cap per team and UTC day."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl, ManualClock
from firecrawl_feedback.testing._refunds import apply_cap

MIDNIGHT = 1_800_057_600.0  # 2027-01-16T00:00:00Z, a UTC day boundary


def rate(fake: FakeFirecrawl, client: httpx.Client, job: str, kind: str, rating: str) -> Any:
    body: dict[str, object] = {"endpoint": kind, "jobId": job, "rating": rating}
    body |= {"valuableSources": [{"url": "https://a.b"}], "missingContent": [{"topic": "t"}]}
    return client.post("/feedback", json=body).json()


@pytest.mark.parametrize(
    ("kind", "options", "credits", "rating", "refund"),
    [
        ("search", {}, 5, "good", 1),
        ("search", {}, 5, "bad", 1),
        ("search", {}, 0, "bad", 0),
        ("map", {}, 3, "good", 0),
        ("map", {}, 3, "partial", 1),
        ("scrape", {}, 1, "bad", 1),
        ("scrape", {}, 0, "bad", 0),
        ("scrape", {}, 9, "good", 0),
        ("parse", {}, 10, "bad", 3),  # 25 % rounded up
        ("parse", {}, 100, "partial", 10),  # at most 10
        ("parse", {}, 1, "bad", 1),
        ("parse", {}, 50, "good", 0),
        ("scrape", {"pdf_parser": True}, 41, "bad", 10),
        ("scrape", {"pdf_parser": True, "formats": ["json"]}, 41, "bad", 10),
        ("scrape", {"formats": ["json"]}, 7, "bad", 2),
        ("scrape", {"formats": ["markdown", "screenshot"]}, 100, "bad", 5),  # at most 5
        ("scrape", {"actions": True}, 16, "partial", 4),
        ("scrape", {"formats": ["markdown", "html"]}, 16, "bad", 1),
    ],
)
def test_refund_policy(
    fake: FakeFirecrawl,
    client: httpx.Client,
    kind: Any,
    options: dict[str, Any],
    credits: int,
    rating: str,
    refund: int,
) -> None:
    """Refunds follow the policy table and never exceed what the job was billed."""
    job = fake.add_job(kind, credits=credits, **options)
    answer = rate(fake, client, job, kind, rating)
    assert answer["creditsRefunded"] == refund
    assert answer["creditsRefundedToday"] == refund
    assert fake.feedback[0].credits_refunded == refund


def test_search_cap_is_100_a_day(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """The 100th search refund reaches the cap; the 101st refunds nothing but is stored."""
    answers = [rate(fake, client, fake.add_job("search"), "search", "good") for _ in range(101)]
    assert [a["creditsRefundedToday"] for a in answers[:3]] == [1, 2, 3]
    assert "dailyCapReached" not in answers[98]
    assert answers[99]["dailyCapReached"] is True
    assert answers[99]["creditsRefunded"] == 1
    assert answers[100]["creditsRefunded"] == 0
    assert answers[100]["dailyCapReached"] is True
    assert "no further refunds today" in answers[100]["warning"]
    assert {a["dailyRefundCap"] for a in answers} == {100}
    assert len(fake.feedback) == 101


def test_other_cap_is_50_and_separate_from_search(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Non-search refunds share a cap of 50; a refund cut by the cap pays what is left."""
    first = rate(fake, client, fake.add_job("parse", credits=200), "parse", "bad")
    assert (first["creditsRefunded"], first["dailyRefundCap"]) == (10, 50)
    for _ in range(3):
        rate(fake, client, fake.add_job("parse", credits=200), "parse", "bad")
    fifth = rate(
        fake, client, fake.add_job("scrape", credits=200, pdf_parser=True), "scrape", "bad"
    )
    assert (fifth["creditsRefunded"], fifth["creditsRefundedToday"]) == (10, 50)
    assert fifth["dailyCapReached"] is True
    capped = rate(fake, client, fake.add_job("map"), "map", "bad")
    assert (capped["creditsRefunded"], capped["dailyCapReached"]) == (0, True)
    search = rate(fake, client, fake.add_job("search"), "search", "good")
    assert (search["creditsRefunded"], search["creditsRefundedToday"]) == (1, 1)
    assert fake.refunded_today(search=False) == 50


def test_good_rating_under_a_full_cap_is_not_flagged(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """No refund wanted, so the cap is not mentioned."""
    fake.team.daily_cap = 1
    rate(fake, client, fake.add_job("map"), "map", "bad")
    answer = rate(fake, client, fake.add_job("map"), "map", "good")
    assert "dailyCapReached" not in answer


def test_cap_resets_at_utc_midnight() -> None:
    """The cap counts per UTC day."""
    fake = FakeFirecrawl(clock=ManualClock(MIDNIGHT - 30))
    fake.team.search_daily_cap = 1
    with httpx.Client(
        transport=fake.transport(),
        base_url="http://x/v2",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        before = [rate(fake, client, fake.add_job("search"), "search", "good") for _ in range(2)]
        fake.advance(30)
        after = rate(fake, client, fake.add_job("search"), "search", "good")
    assert [a["creditsRefunded"] for a in before] == [1, 0]
    assert (after["creditsRefunded"], after["creditsRefundedToday"]) == (1, 1)


def test_caps_are_per_team(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Another team has its own caps, configurable at creation."""
    other = fake.add_team("other", daily_cap=2)
    fake.team.daily_cap = 1
    rate(fake, client, fake.add_job("map"), "map", "bad")
    job = fake.add_job("scrape", credits=8, formats=["json"], team=other)
    body = {"endpoint": "scrape", "jobId": job, "rating": "bad", "note": "n"}
    answer = client.post(
        "/feedback", json=body, headers={"Authorization": f"Bearer {other.api_key}"}
    ).json()
    assert (answer["creditsRefunded"], answer["dailyRefundCap"]) == (2, 2)
    assert fake.refunded_today(other, search=False) == 2


@pytest.mark.parametrize(
    ("wanted", "today", "cap", "paid", "reached"),
    [(1, 0, 100, 1, False), (1, 99, 100, 1, True), (1, 100, 100, 0, True), (5, 48, 50, 2, True),
     (0, 50, 50, 0, False), (0, 0, 50, 0, False), (3, 60, 50, 0, True)],
)  # fmt: skip
def test_apply_cap(wanted: int, today: int, cap: int, paid: int, reached: bool) -> None:
    """Paid is min(wanted, max(0, cap - today)); reached when cut to nothing or the cap is hit."""
    payout = apply_cap(wanted, today, cap)
    assert (payout.paid, payout.cap_reached, payout.refunded_today) == (paid, reached, today + paid)
