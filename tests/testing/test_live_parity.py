"""Details where the fake once differed from the live server (server-behaviour.md, its source)."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl, ManualClock

START = 1_800_000_000.0
SEARCH_BODY = {"rating": "good", "valuableSources": [{"url": "https://example.com"}]}
JSON = {"content-type": "application/json"}


def scrape_body(job_id: str, **fields: object) -> dict[str, object]:
    return {"endpoint": "scrape", "jobId": job_id, "rating": "bad", "note": "empty page", **fields}


def fresh_client(fake: FakeFirecrawl, **headers: str) -> httpx.Client:
    return httpx.Client(
        transport=fake.transport(),
        base_url="http://firecrawl.test/v2",
        headers={"Authorization": f"Bearer {fake.api_key}", **headers},
    )


# -- The 429 wait: Math.round(msBeforeNext / 1000) || 1 -----------------------------------


def retry_after_text(response: httpx.Response) -> int:
    match = re.search(r"please retry after (\d+)s, resets at ", response.json()["error"])
    assert match is not None
    return int(match.group(1))


@pytest.mark.parametrize(
    ("elapsed", "wait"),
    [(20.6, 39), (21.5, 39), (22.5, 38), (59.7, 1), (59.4, 1), (58.4, 2)],
)
def test_rate_limit_wait_is_rounded_as_the_server_rounds_it(elapsed: float, wait: int) -> None:
    """39.4 s left says 39 (not 40), halves go up (38.5 says 39), under 0.5 s says 1."""
    fake = FakeFirecrawl(clock=ManualClock(START), rate_limit=1)
    with fresh_client(fake) as client:
        client.post("/feedback", json={})
        fake.advance(elapsed)
        limited = client.post("/feedback", json={})
    assert limited.status_code == 429
    assert retry_after_text(limited) == wait


def test_rate_limit_fault_rounds_its_wait_the_same_way(fake: FakeFirecrawl) -> None:
    """An injected 429 announcing 2.5 s says 3s, as Math.round would."""
    fake.faults.next(1, status=429, retry_after=2.5)
    with fresh_client(fake) as client:
        assert retry_after_text(client.post("/feedback", json={})) == 3


# -- Authentication: authorization.split(" ")[1], whatever the scheme -------------------


@pytest.mark.parametrize("header", ["Basic {key}", "bearer {key}", "Bearer {key} extra", "x {key}"])
def test_the_token_is_the_second_word_whatever_the_scheme(fake: FakeFirecrawl, header: str) -> None:
    """The server never looks at the scheme: the second space-separated word is the key."""
    job = fake.add_job("scrape")
    with fresh_client(fake, Authorization=header.format(key=fake.api_key)) as client:
        assert client.post("/feedback", json=scrape_body(job)).status_code == 200


@pytest.mark.parametrize(
    ("header", "error"),
    [
        (None, "Unauthorized"),
        ("Bearer", "Unauthorized: Token missing"),
        ("Bearer  {key}", "Unauthorized: Token missing"),  # two spaces: the second word is ""
        ("{key}", "Unauthorized: Token missing"),
        ("Bearer fc-wrong", "Unauthorized: Invalid token"),
    ],
)
def test_401_texts_follow_the_header(fake: FakeFirecrawl, header: str | None, error: str) -> None:
    """No header, no second word, or an unknown key: three 401 texts, never a code."""
    headers = {} if header is None else {"Authorization": header.format(key=fake.api_key)}
    with httpx.Client(transport=fake.transport(), base_url="http://x/v2") as client:
        response = client.post("/feedback", json={}, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"success": False, "error": error}


# -- express.json(): only application/json is read ---------------------------------------


@pytest.mark.parametrize("content_type", ["text/json", "application/vnd.api+json", "json"])
def test_only_application_json_is_parsed(
    fake: FakeFirecrawl, client: httpx.Client, content_type: str
) -> None:
    """type-is matches application/json exactly: other JSON-ish types are validated as {}."""
    job = fake.add_job("scrape")
    response = client.post(
        "/feedback",
        content=httpx.Request("POST", "/", json=scrape_body(job)).read(),
        headers={"content-type": content_type},
    )
    assert response.json()["feedbackErrorCode"] == "INVALID_BODY"


def test_application_json_matches_in_any_case_with_parameters(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Media types compare case-insensitively; parameters do not matter."""
    job = fake.add_job("scrape")
    response = client.post(
        "/feedback",
        content=httpx.Request("POST", "/", json=scrape_body(job)).read(),
        headers={"content-type": "Application/JSON ; charset=utf-8"},
    )
    assert response.status_code == 200


def test_a_large_body_of_another_type_is_not_read_so_not_413(client: httpx.Client) -> None:
    """express.json() skips a body it does not parse: no 413, it fails validation as {}."""
    big = b"x" * (10 * 1024 * 1024 + 1)
    response = client.post("/feedback", content=big, headers={"content-type": "text/plain"})
    assert (response.status_code, response.json()["feedbackErrorCode"]) == (400, "INVALID_BODY")


def test_a_leading_byte_order_mark_is_dropped(fake: FakeFirecrawl, client: httpx.Client) -> None:
    """iconv-lite strips a UTF-8 BOM before the strict first-character check and JSON.parse."""
    job = fake.add_job("scrape")
    content = "\ufeff".encode() + httpx.Request("POST", "/", json=scrape_body(job)).read()
    assert client.post("/feedback", content=content, headers=JSON).status_code == 200


# -- Express routing ---------------------------------------------------------------------


def test_routes_ignore_case(fake: FakeFirecrawl) -> None:
    """Express routes are case-insensitive by default, on both routes and served."""
    scrape, search = fake.add_job("scrape"), fake.add_job("search")
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    with fresh_client(fake) as client:
        assert client.post("/Feedback", json=scrape_body(scrape)).status_code == 200
    with fake.serve() as url:
        response = httpx.post(
            f"{url}/V2/SEARCH/{search}/Feedback/", json=SEARCH_BODY, headers=headers
        )
    assert response.status_code == 200


def test_an_empty_search_job_id_is_not_the_route(client: httpx.Client) -> None:
    """:jobId needs at least one character: /v2/search//feedback is no route (404)."""
    response = client.post("/search//feedback", json=SEARCH_BODY)
    assert response.status_code == 404
    assert "feedbackErrorCode" not in response.json()


# -- The window: its own setting for search ----------------------------------------------


def test_search_has_its_own_feedback_window() -> None:
    """SEARCH_FEEDBACK_MAX_AGE_SEC and FEEDBACK_MAX_AGE_SEC are separate settings."""
    fake = FakeFirecrawl(clock=ManualClock(START), feedback_window=30, search_feedback_window=300)
    search, scrape = fake.add_job("search", age=200), fake.add_job("scrape", age=200)
    search_late = fake.add_job("search", age=301)
    with fresh_client(fake) as client:
        assert client.post(f"/search/{search}/feedback", json=SEARCH_BODY).status_code == 200
        late = client.post(f"/search/{search_late}/feedback", json=SEARCH_BODY)
        expired = client.post("/feedback", json=scrape_body(scrape))
    assert late.json()["feedbackErrorCode"] == "FEEDBACK_WINDOW_EXPIRED"
    assert "300 seconds" in late.json()["error"]
    assert expired.json()["feedbackErrorCode"] == "FEEDBACK_WINDOW_EXPIRED"
    assert "30 seconds" in expired.json()["error"]


def test_search_window_follows_the_other_unless_set() -> None:
    """Without search_feedback_window, search jobs use feedback_window."""
    fake = FakeFirecrawl(clock=ManualClock(START), feedback_window=30)
    assert fake.search_feedback_window is None
    job = fake.add_job("search", age=31)
    with fresh_client(fake) as client:
        response = client.post(f"/search/{job}/feedback", json=SEARCH_BODY)
    assert response.json()["feedbackErrorCode"] == "FEEDBACK_WINDOW_EXPIRED"


# -- What is stored: zod's output, trimmed where the schema trims --------------------------


def test_trimmed_fields_are_stored_trimmed_the_others_as_sent(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """note, querySuggestions, url, sources, topics and labels are stored trimmed; origin is not."""
    job = fake.add_job("search")
    body = {
        "endpoint": "search",
        "jobId": job,
        "rating": "partial",
        "note": " n\u3000",
        "querySuggestions": "\tq ",
        "url": " https://a.example ",
        "issues": [" a_b "],
        "tags": ["\ufeffx "],
        "valuableSources": [{"url": " https://b.example", "reason": " r "}],
        "missingContent": [{"topic": " t ", "description": " d\n"}],
        "origin": "  web  ",
        "integration": "_mine ",
        "metadata": {"k": " v "},
    }
    assert client.post("/feedback", json=body).status_code == 200
    assert fake.feedback[0].body == {
        **body,
        "note": "n",
        "querySuggestions": "q",
        "url": "https://a.example",
        "issues": ["a_b"],
        "tags": ["x"],
        "valuableSources": [{"url": "https://b.example", "reason": "r"}],
        "missingContent": [{"topic": "t", "description": "d"}],
    }


# -- INVALID_BODY details: zod 4's issue objects, extra keys and all -----------------------

JOB = "0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b"
LABEL = "/^[a-z0-9][a-z0-9_-]*$/"


def feedback(**fields: object) -> dict[str, object]:
    return {"endpoint": "scrape", "jobId": JOB, "rating": "bad", "note": "n", **fields}


@pytest.mark.parametrize(
    ("fields", "issue"),
    [
        ({"note": 1}, {"expected": "string", "code": "invalid_type", "path": ["note"]}),
        ({"issues": "x"}, {"expected": "array", "code": "invalid_type", "path": ["issues"]}),
        ({"metadata": []}, {"expected": "record", "code": "invalid_type", "path": ["metadata"]}),
        (
            {"note": "a" * 4001},
            {"origin": "string", "code": "too_big", "maximum": 4000, "inclusive": True,
             "path": ["note"]},
        ),
        (
            {"tags": ["t"] * 21},
            {"origin": "array", "code": "too_big", "maximum": 20, "inclusive": True,
             "path": ["tags"]},
        ),
        (
            {"missingContent": [{"topic": " "}]},
            {"origin": "string", "code": "too_small", "minimum": 1, "inclusive": True,
             "path": ["missingContent", 0, "topic"]},
        ),
        (
            {"tags": ["Bad"]},
            {"origin": "string", "code": "invalid_format", "format": "regex", "pattern": LABEL,
             "path": ["tags", 0]},
        ),
        (
            {"jobId": "nope"},
            {"origin": "string", "code": "invalid_format", "format": "uuid",
             "pattern": "/^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB]"
                        "[0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000"
                        "|ffffffff-ffff-ffff-ffff-ffffffffffff)$/",
             "path": ["jobId"]},
        ),
        (
            {"rating": "ok"},
            {"code": "invalid_value", "values": ["good", "partial", "bad"], "path": ["rating"]},
        ),
        (
            {"extra": 1, "more": 2},
            {"code": "unrecognized_keys", "keys": ["extra", "more"], "path": []},
        ),
        (
            {"pageNumbers": [1.5]},
            {"expected": "int", "format": "safeint", "code": "invalid_type",
             "path": ["pageNumbers", 0]},
        ),
        (
            {"pageNumbers": [0]},
            {"origin": "number", "code": "too_small", "minimum": 1, "inclusive": True,
             "path": ["pageNumbers", 0]},
        ),
        (
            {"pageNumbers": [2**53]},
            {"code": "too_big", "maximum": 2**53 - 1,
             "note": "Integers must be within the safe integer range.", "origin": "int",
             "path": ["pageNumbers", 0]},
        ),
        (
            {"pageNumbers": [10**400]},
            {"expected": "number", "code": "invalid_type", "received": "Infinity",
             "path": ["pageNumbers", 0]},
        ),
        ({"integration": "nope"}, {"code": "custom", "path": ["integration"]}),
    ],
)  # fmt: skip
def test_details_carry_the_keys_zod_adds_per_issue_kind(
    fake: FakeFirecrawl, client: httpx.Client, fields: dict[str, object], issue: dict[str, object]
) -> None:
    """Each detail is zod 4's finalized issue: its own keys, in zod's order, then path, message."""
    response = client.post(
        "/feedback",
        content=json.dumps(feedback(**fields)).encode(),  # 10**400: a literal JSON.parse reads
        headers=JSON,
    )
    (detail,) = response.json()["details"]
    assert isinstance(detail.pop("message"), str)
    assert list(detail.items()) == list(issue.items())


def test_unknown_keys_are_reported_after_the_fields_of_their_object(client: httpx.Client) -> None:
    """zod checks an object's fields first, then its catchall: unrecognized_keys comes last."""
    body = feedback(x=1, valuableSources=[{"why": "", "url": "ftp://a"}], note=3)
    details = client.post("/feedback", json=body).json()["details"]
    assert [(d["code"], d["path"]) for d in details] == [
        ("invalid_format", ["valuableSources", 0, "url"]),
        ("unrecognized_keys", ["valuableSources", 0]),
        ("invalid_type", ["note"]),
        ("unrecognized_keys", []),
    ]


def test_a_proto_metadata_key_is_measured_and_stored_like_any_key(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """Deliberately not the server's quirk: "__proto__" counts towards 8192 bytes and is kept."""
    job = fake.add_job("scrape")
    room = 8192 - len('{"__proto__":{"k":""}}')
    fits = b'{"__proto__":{"k":"' + b"a" * room + b'"}}'
    too_big = b'{"__proto__":{"k":"' + b"a" * (room + 1) + b'"}}'
    body = b'{"endpoint":"scrape","jobId":"%s","rating":"bad","note":"n","metadata":%s}'
    refused = client.post("/feedback", content=body % (job.encode(), too_big), headers=JSON)
    assert [d["path"] for d in refused.json()["details"]] == [["metadata"]]
    assert client.post("/feedback", content=body % (job.encode(), fits), headers=JSON).is_success
    assert fake.feedback[0].body["metadata"] == {"__proto__": {"k": "a" * room}}
