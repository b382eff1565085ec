"""Every row of the server reference table, through fake.transport() and plain httpx."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from firecrawl_feedback.testing import NIL_UUID, FakeFirecrawl, ManualClock

SEARCH_BODY = {"rating": "good", "valuableSources": [{"url": "https://example.com"}]}


def scrape_body(job_id: str, **fields: object) -> dict[str, object]:
    return {"endpoint": "scrape", "jobId": job_id, "rating": "bad", "note": "empty page", **fields}


def error_code(response: httpx.Response) -> object:
    return response.json().get("feedbackErrorCode")


def test_success_shape(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """A stored feedback answers feedbackId (UUIDv7), creditsRefunded, today's total and the cap."""
    job = fake.add_job("scrape", credits=5)
    response = client.post("/feedback", json=scrape_body(job))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "success": True,
        "feedbackId": body["feedbackId"],
        "creditsRefunded": 1,
        "creditsRefundedToday": 1,
        "dailyRefundCap": 50,
    }
    feedback_id = uuid.UUID(body["feedbackId"])
    assert (feedback_id.version, feedback_id.variant) == (7, uuid.RFC_4122)
    assert feedback_id.int >> 80 == int(fake.clock() * 1000)


def test_stored_record(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """fake.feedback lists what was stored, with team, endpoint, job, body, id, refund."""
    job = fake.add_job("search")
    answer = client.post(f"/search/{job}/feedback", json=SEARCH_BODY).json()
    (record,) = fake.feedback
    assert (record.team, record.endpoint, record.job_id, record.rating, record.route) == (
        "default", "search", job, "good", "search",
    )  # fmt: skip
    assert record.body == {**SEARCH_BODY, "origin": "api"}  # zod's .default("api")
    assert (record.feedback_id, record.credits_refunded) == (answer["feedbackId"], 1)
    assert record.created_at == fake.clock()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer fc-wrong"},
        {"Authorization": "Basic abc"},
        {"Authorization": ""},
    ],
)
def test_bad_key_is_401_without_code(fake: FakeFirecrawl, headers: dict[str, str]) -> None:
    """Row 1: a missing or wrong key answers 401 {success:false, error}, no feedbackErrorCode."""
    job = fake.add_job("scrape")
    with httpx.Client(transport=fake.transport(), base_url="http://x/v2") as client:
        response = client.post("/feedback", json=scrape_body(job), headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"success", "error"}
    assert response.json()["success"] is False


def test_auth_comes_before_validation(fake: FakeFirecrawl) -> None:
    """Row 1 before row 3: an invalid body without a key is still 401."""
    with httpx.Client(transport=fake.transport(), base_url="http://x/v2") as client:
        assert client.post("/feedback", content=b"{nope").status_code == 401


def test_banned_team_is_403_without_code(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 1: a banned or restricted team answers 403 without a code."""
    fake.team.banned = True
    response = client.post("/feedback", json=scrape_body(fake.add_job("scrape")))
    assert response.status_code == 403
    assert "feedbackErrorCode" not in response.json()


def test_rate_limit_is_429_with_the_wait_only_in_the_text(fake: FakeFirecrawl) -> None:
    """Row 1: over the per-team limit, 429, the wait only in the text, no Retry-After."""
    fake.team.rate_limit = 3
    job = fake.add_job("scrape")
    with httpx.Client(
        transport=fake.transport(),
        base_url="http://x/v2",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        statuses = [client.post("/feedback", json=scrape_body(job)).status_code for _ in range(3)]
        fake.advance(20)
        limited = client.post("/feedback", json={})
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert set(limited.json()) == {"success", "error"}
    assert "retry-after" not in limited.headers
    assert "retry-after-ms" not in limited.headers
    match = re.search(r"please retry after (\d+)s, resets at (.+)$", limited.json()["error"])
    assert match is not None
    assert match.group(1) == "40"
    assert re.fullmatch(
        r"\w{3} \w{3} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000 \(.+\)", match.group(2)
    )


def test_rate_limit_window_resets_with_the_clock(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """A new minute starts a new window."""
    fake.team.rate_limit = 1
    job = fake.add_job("scrape")
    assert client.post("/feedback", json=scrape_body(job)).status_code == 200
    assert client.post("/feedback", json=scrape_body(job)).status_code == 429
    fake.advance(60)
    assert client.post("/feedback", json=scrape_body(job)).status_code == 200


def test_rate_limit_is_shared_by_both_routes_and_per_team(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Both routes count against one limit; another team has its own."""
    fake.team.rate_limit = 2
    other = fake.add_team("other")
    search_job = fake.add_job("search")
    assert client.post(f"/search/{search_job}/feedback", json=SEARCH_BODY).status_code == 200
    assert client.post("/feedback", json={}).status_code == 400
    assert client.post(f"/search/{search_job}/feedback", json=SEARCH_BODY).status_code == 429
    headers = {"Authorization": f"Bearer {other.api_key}"}
    assert client.post("/feedback", json={}, headers=headers).status_code == 400


def test_default_rate_limit_is_1000_per_minute() -> None:
    """The default team allows 1000 requests a minute."""
    assert FakeFirecrawl().team.rate_limit == 1000
    assert FakeFirecrawl(rate_limit=5).team.rate_limit == 5


@pytest.mark.parametrize("path_id", ["not-a-uuid", "0190b2a4-5c3e-0d2f-9a1b-2c3d4e5f6a7b", "%20"])
def test_search_path_job_id_must_be_a_uuid(client: httpx.Client, path_id: str) -> None:
    """Row 2: a path jobId that is not a UUID is a 400 without code, before the body is read."""
    response = client.post(f"/search/{path_id}/feedback", content=b"{broken")
    assert response.status_code == 400
    assert set(response.json()) == {"success", "error"}


def test_invalid_body_is_400_with_details(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 3: INVALID_BODY with zod-like details (code, path, message); unknown keys come last."""
    job = fake.add_job("scrape")
    response = client.post("/feedback", json=scrape_body(job, issues=["Bad"], extra=1))
    assert response.status_code == 400
    body = response.json()
    assert (body["success"], body["error"], body["feedbackErrorCode"]) == (
        False, "Invalid request body", "INVALID_BODY",
    )  # fmt: skip
    assert [(d["code"], d["path"]) for d in body["details"]] == [
        ("invalid_format", ["issues", 0]),
        ("unrecognized_keys", []),
    ]
    assert all(isinstance(d["message"], str) for d in body["details"])
    assert fake.feedback == []


def test_search_route_uses_search_rules(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """The search route refuses /feedback-only fields and applies the rating rules."""
    job = fake.add_job("search")
    response = client.post(f"/search/{job}/feedback", json={"rating": "good", "note": "x"})
    assert [d["path"] for d in response.json()["details"]] == [[]]
    response = client.post(f"/search/{job}/feedback", json={"rating": "good"})
    assert [d["path"] for d in response.json()["details"]] == [["rating"]]


@pytest.mark.parametrize("content", [b"{nope", b'{"rating": NaN}', b'"good"', b"null", b"1"])
def test_non_json_body_is_400_with_its_own_shape(client: httpx.Client, content: bytes) -> None:
    """Row 3: unparseable JSON answers code BAD_REQUEST_INVALID_JSON, no feedbackErrorCode."""
    response = client.post(
        "/feedback", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": response.json()["error"],
        "code": "BAD_REQUEST_INVALID_JSON",
    }


def test_body_without_json_content_type_is_read_as_empty(client: httpx.Client) -> None:
    """Like express.json(), a body not declared JSON is not parsed, so it fails validation."""
    response = client.post("/feedback", content=b"{}", headers={"content-type": "text/plain"})
    assert response.json()["feedbackErrorCode"] == "INVALID_BODY"


def test_body_over_10_mb_is_413(client: httpx.Client) -> None:
    """Row 3: a body over 10 MB answers 413."""
    at_limit = b"{" + b" " * (10 * 1024 * 1024 - 2) + b"}"
    headers = {"content-type": "application/json"}
    assert client.post("/feedback", content=at_limit, headers=headers).status_code == 400
    assert client.post("/feedback", content=at_limit + b" ", headers=headers).status_code == 413


@pytest.mark.parametrize(
    ("content", "status"), [(b"{" + b" " * (10 * 1024 * 1024) + b"}", 413), (b"{nope", 400)]
)
def test_body_is_parsed_before_the_key_is_checked(
    fake: FakeFirecrawl, content: bytes, status: int
) -> None:
    """express.json() runs first: a body too large or not JSON is refused whatever the key."""
    with httpx.Client(transport=fake.transport(), base_url="http://firecrawl.test/v2") as anonymous:
        response = anonymous.post(
            "/feedback", content=content, headers={"content-type": "application/json"}
        )
    assert response.status_code == status


def test_zero_data_retention_team_gets_nil_id_and_nothing_stored(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Row 4: forced zero data retention answers 200 with the nil UUID, stores nothing."""
    fake.team.zero_data_retention = True
    fake.team.preview = True  # row 4 is checked before row 6
    job = fake.add_job("scrape")
    for _ in range(2):
        response = client.post("/feedback", json=scrape_body(job))
        assert response.status_code == 200
        assert response.json()["feedbackId"] == NIL_UUID
        assert response.json()["creditsRefunded"] == 0
    assert (
        client.post("/feedback", json=scrape_body(str(uuid.uuid4()))).json()["feedbackId"]
        == NIL_UUID
    )
    assert fake.feedback == []


def test_db_disabled_is_503(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 5: a self-hosted server without database answers 503 DB_DISABLED."""
    fake.db_disabled = True
    fake.team.opted_out = True  # row 5 comes before row 6
    response = client.post("/feedback", json=scrape_body(fake.add_job("scrape")))
    assert (response.status_code, error_code(response)) == (503, "DB_DISABLED")


@pytest.mark.parametrize(
    ("setting", "code"), [("preview", "PREVIEW_TEAM_NOT_ALLOWED"), ("opted_out", "TEAM_OPTED_OUT")]
)
def test_teams_that_cannot_give_feedback(
    fake: FakeFirecrawl, client: httpx.Client, setting: str, code: str
) -> None:
    """Row 6: preview and opted-out teams get 403 with their code, before the job lookup."""
    setattr(fake.team, setting, True)
    response = client.post("/feedback", json=scrape_body(str(uuid.uuid4())))
    assert (response.status_code, error_code(response)) == (403, code)


@pytest.mark.parametrize(
    ("endpoint", "code"),
    [
        ("scrape", "JOB_NOT_FOUND"),
        ("parse", "JOB_NOT_FOUND"),
        ("map", "JOB_NOT_FOUND"),
        ("search", "SEARCH_NOT_FOUND"),
    ],
)
def test_unknown_job_is_404_per_kind(client: httpx.Client, endpoint: str, code: str) -> None:
    """Row 7: JOB_NOT_FOUND for scrape/parse/map, SEARCH_NOT_FOUND for search."""
    body = {"endpoint": endpoint, "jobId": str(uuid.uuid4()), "rating": "partial", **SEARCH_BODY}
    body["rating"] = "partial"
    response = client.post("/feedback", json=body)
    assert (response.status_code, error_code(response)) == (404, code)


def test_unknown_search_on_search_route_is_404(client: httpx.Client) -> None:
    """Row 7 on the search route: SEARCH_NOT_FOUND."""
    response = client.post(f"/search/{uuid.uuid4()}/feedback", json=SEARCH_BODY)
    assert (response.status_code, error_code(response)) == (404, "SEARCH_NOT_FOUND")


def test_jobs_belong_to_their_team(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 7: another team's job is not found; the owning team can rate it."""
    other = fake.add_team("other")
    job = fake.add_job("scrape", team=other)
    assert error_code(client.post("/feedback", json=scrape_body(job))) == "JOB_NOT_FOUND"
    response = client.post(
        "/feedback", json=scrape_body(job), headers={"Authorization": f"Bearer {other.api_key}"}
    )
    assert response.status_code == 200
    assert fake.feedback[0].team == "other"


def test_job_of_another_kind_is_not_found(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 7: a map job rated as a scrape, or a scrape on the search route, is not found."""
    map_job = fake.add_job("map")
    assert error_code(client.post("/feedback", json=scrape_body(map_job))) == "JOB_NOT_FOUND"
    scrape_job = fake.add_job("scrape")
    response = client.post(f"/search/{scrape_job}/feedback", json=SEARCH_BODY)
    assert error_code(response) == "SEARCH_NOT_FOUND"


def test_job_ids_match_whatever_their_case(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Job ids are UUIDs: upper-case spellings find the same job."""
    job = fake.add_job("search")
    assert client.post(f"/search/{job.upper()}/feedback", json=SEARCH_BODY).status_code == 200


def test_zero_data_retention_job_gets_nil_id(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 8: a job that ran with zero data retention is 200 with the nil UUID, nothing stored."""
    job = fake.add_job("search", zero_data_retention=True, success=False)
    response = client.post(f"/search/{job}/feedback", json=SEARCH_BODY)
    assert (response.status_code, response.json()["feedbackId"]) == (200, NIL_UUID)
    assert fake.feedback == []


def test_failed_search_is_409(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 9: a search that did not succeed is 409 SEARCH_FAILED; other kinds are not."""
    job = fake.add_job("search", success=False)
    response = client.post(f"/search/{job}/feedback", json=SEARCH_BODY)
    assert (response.status_code, error_code(response)) == (409, "SEARCH_FAILED")
    failed_scrape = fake.add_job("scrape", success=False)
    assert client.post("/feedback", json=scrape_body(failed_scrape)).status_code == 200


def test_feedback_window_defaults_to_120_seconds(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Row 10: at 120 s the job still takes feedback; after it, 409 FEEDBACK_WINDOW_EXPIRED."""
    on_time, late = fake.add_job("scrape"), fake.add_job("scrape")
    fake.advance(120)
    assert client.post("/feedback", json=scrape_body(on_time)).status_code == 200
    fake.advance(0.001)
    response = client.post("/feedback", json=scrape_body(late))
    assert (response.status_code, error_code(response)) == (409, "FEEDBACK_WINDOW_EXPIRED")


def test_feedback_window_is_configurable() -> None:
    """The window is a server setting; jobs can be created in the past."""
    clock = ManualClock(1_800_000_000)
    fake = FakeFirecrawl(clock=clock, feedback_window=30)
    job, old = fake.add_job("map", age=10), fake.add_job("map", created_at=1_800_000_000 - 31)
    with httpx.Client(
        transport=fake.transport(),
        base_url="http://x/v2",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        body = {"endpoint": "map", "rating": "bad", "url": "https://a.b"}
        assert client.post("/feedback", json={**body, "jobId": job}).status_code == 200
        assert (
            error_code(client.post("/feedback", json={**body, "jobId": old}))
            == "FEEDBACK_WINDOW_EXPIRED"
        )


def test_duplicate_is_200_already_submitted_with_earlier_id(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Row 11: a repeat answers 200, alreadySubmitted, 0 credits, a warning and the earlier id."""
    job = fake.add_job("scrape")
    first = client.post("/feedback", json=scrape_body(job)).json()
    again = client.post("/feedback", json=scrape_body(job, rating="partial"))
    assert again.status_code == 200
    assert again.json() == {
        "success": True,
        "alreadySubmitted": True,
        "feedbackId": first["feedbackId"],
        "creditsRefunded": 0,
        "warning": again.json()["warning"],
    }
    assert again.json()["warning"]
    assert len(fake.feedback) == 1


def test_duplicate_may_answer_an_empty_feedback_id(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Row 11: the server sometimes answers feedbackId "" on a duplicate; the fake can too."""
    fake.duplicate_feedback_id = "empty"
    job = fake.add_job("scrape")
    client.post("/feedback", json=scrape_body(job))
    assert client.post("/feedback", json=scrape_body(job)).json()["feedbackId"] == ""


def test_window_is_checked_before_duplicates(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Rows 10 then 11: a retry after the window closed is a 409, not a duplicate."""
    job = fake.add_job("scrape")
    client.post("/feedback", json=scrape_body(job))
    fake.advance(121)
    assert error_code(client.post("/feedback", json=scrape_body(job))) == "FEEDBACK_WINDOW_EXPIRED"


def test_search_route_and_endpoint_search_share_one_record(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """The search route and POST /feedback with endpoint "search" dedupe against each other."""
    job = fake.add_job("search")
    first = client.post(f"/search/{job}/feedback", json=SEARCH_BODY).json()
    body = {"endpoint": "search", "jobId": job, **SEARCH_BODY}
    again = client.post("/feedback", json=body).json()
    assert again["alreadySubmitted"] is True
    assert again["feedbackId"] == first["feedbackId"]
    other = fake.add_job("search")
    assert "alreadySubmitted" not in client.post("/feedback", json={**body, "jobId": other}).json()
    assert (
        client.post(f"/search/{other}/feedback", json=SEARCH_BODY).json()["alreadySubmitted"]
        is True
    )


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/feedback"), ("POST", "/crawl"), ("POST", "/search/x/y")]
)
def test_unknown_routes_are_404(client: httpx.Client, method: str, path: str) -> None:
    """Only the two POST routes exist."""
    assert client.request(method, path).status_code == 404


def test_trailing_slash_and_query_are_tolerated(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """Express routing ignores a trailing slash and the query string."""
    job = fake.add_job("scrape")
    assert client.post("/feedback/?x=1", json=scrape_body(job)).status_code == 200


@pytest.mark.anyio
async def test_async_client_uses_the_same_transport(fake: FakeFirecrawl) -> None:
    """fake.transport() also serves httpx.AsyncClient."""
    job = fake.add_job("search")
    async with httpx.AsyncClient(
        transport=fake.transport(),
        base_url="http://x/v2",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        response = await client.post(f"/search/{job}/feedback", json=SEARCH_BODY)
    assert response.status_code == 200
    assert fake.feedback[0].job_id == job


def test_requests_are_logged_without_the_key(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """fake.requests records method, path, status and team; the key appears nowhere."""
    job = fake.add_job("scrape")
    client.post("/feedback", json=scrape_body(job))
    client.post("/feedback", json={}, headers={"Authorization": "Bearer nope"})
    first, second = fake.requests
    assert (first.method, first.path, first.status, first.team, first.fault) == (
        "POST",
        "/v2/feedback",
        200,
        "default",
        None,
    )
    assert (second.status, second.team) == (401, None)
    for text in (
        repr(fake),
        repr(fake.team),
        repr(fake.requests),
        repr(fake.feedback),
        repr(fake.transport()),
    ):
        assert fake.api_key not in text


def test_generated_keys_differ_and_given_keys_are_used() -> None:
    """Without a key the fake makes a test key; with one, it uses it."""
    assert FakeFirecrawl().api_key != FakeFirecrawl().api_key
    assert FakeFirecrawl().api_key.startswith("fc-")
    assert FakeFirecrawl(api_key="fc-mine").api_key == "fc-mine"


def test_set_up_mistakes_fail_loudly(fake: FakeFirecrawl) -> None:
    """Unknown kinds, misplaced scrape options, unknown teams and duplicate teams are refused."""
    with pytest.raises(ValueError, match="kind"):
        fake.add_job("crawl")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scrape options"):
        fake.add_job("map", pdf_parser=True)
    with pytest.raises(ValueError, match="no team"):
        fake.add_job("map", team="ghost")
    with pytest.raises(ValueError, match="exists"):
        fake.add_team("default")
    with pytest.raises(TypeError):
        FakeFirecrawl(clock=lambda: 0.0).advance(1)
