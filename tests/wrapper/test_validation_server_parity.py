"""The validator is never stricter than the server, and names fields as the caller wrote them.

Facts from server-behaviour.md, "More facts from the server source (December 2026)":
lone surrogates, which strings the server trims, the two UUID checks, and
metadata measured as JSON.stringify of the value as the server parsed it.
Each verdict is checked against the reference server's rules too
(``testing._rules.validate``), fed the body as the server's JSON.parse sees it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from firecrawl_feedback import FeedbackClient
from firecrawl_feedback._api import COMPONENT_SCHEMAS
from firecrawl_feedback._errors import ValidationError
from firecrawl_feedback._fieldpath import python_name
from firecrawl_feedback._validation import (
    build_endpoint_request,
    build_search_request,
    endpoint_request_from_body,
    search_request_from_body,
)
from firecrawl_feedback.testing._rules import validate

JOB_ID = "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e"
MAX_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff"
LONE = "\ud800"  # an unpaired high surrogate
LOW = "\udc00"  # an unpaired low surrogate
BASE: dict[str, Any] = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "x"}


def as_server_parses(body: object) -> object:
    """The body as the server's JSON.parse sees it when strings are sent with \\u escapes."""
    return json.loads(json.dumps(body))


def violations(body: object) -> list[tuple[str, str]]:
    try:
        endpoint_request_from_body(body)
    except ValidationError as error:
        return [(v.field, v.rule) for v in error.violations]
    return []


def client_accepts(body: object) -> bool:
    return violations(body) == []


def server_accepts(body: object) -> bool:
    return validate("feedback", as_server_parses(body)) == []


# -- 1. metadata measured as the server measures it ------------------------------------------

OVERHEAD = len('{"k":""}')


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_metadata_lone_surrogate_counts_six_bytes(extra: int, ok: bool) -> None:
    """JSON.stringify (ES2019) writes a lone surrogate as a 6-byte \\udXXX escape."""
    value = LONE + "a" * (8192 - OVERHEAD - 6 + extra)
    body = {**BASE, "metadata": {"k": value}}
    assert client_accepts(body) is ok
    assert server_accepts(body) is ok


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_metadata_surrogate_pair_in_two_code_points_counts_as_one_character(
    extra: int, ok: bool
) -> None:
    """A high and a low surrogate sent as two escapes are one 4-byte character to the server."""
    pairs = (8192 - OVERHEAD) // 4
    value = ("\ud83d\ude00" * pairs) + "a" * (8192 - OVERHEAD - 4 * pairs + extra)
    body = {**BASE, "metadata": {"k": value}}
    assert server_accepts(body) is ok
    assert client_accepts(body) is ok


def test_metadata_with_surrogates_in_keys_and_values_is_a_verdict_not_a_crash() -> None:
    """Lone surrogates anywhere in metadata: accepted and kept as given, no UnicodeEncodeError."""
    metadata = {"x": LONE, LOW + "k": [LONE + "v", {"n": LOW}]}
    request = endpoint_request_from_body({**BASE, "metadata": metadata})
    assert request.to_dict()["metadata"] == metadata
    keyword = build_endpoint_request(
        endpoint="scrape", job_id=JOB_ID, rating="bad", note="x", metadata=metadata
    )
    assert keyword.to_dict()["metadata"] == metadata


# -- 2. lone surrogates in every string field ------------------------------------------------

SURROGATE_FIELDS: dict[str, dict[str, Any]] = {
    "note": {"note": f"a{LONE}b"},
    "querySuggestions": {"querySuggestions": f"{LOW}q"},
    "url path": {"url": f"https://example.com/{LONE}"},
    "url userinfo": {"url": f"https://u{LONE}@example.com/"},
    "valuableSources url": {"valuableSources": [{"url": f"https://a.example/?q={LOW}"}]},
    "valuableSources reason": {"valuableSources": [{"url": "https://a.example", "reason": LONE}]},
    "missingContent topic": {"missingContent": [{"topic": f"{LONE}topic"}]},
    "missingContent description": {"missingContent": [{"topic": "t", "description": f"d{LOW}"}]},
    "origin": {"origin": f"app{LONE}"},
    "integration": {"integration": f"_{LONE}"},
    "metadata": {"metadata": {LONE: LOW}},
}


@pytest.mark.parametrize("fields", list(SURROGATE_FIELDS.values()), ids=list(SURROGATE_FIELDS))
def test_lone_surrogates_pass_in_every_string_field(fields: dict[str, Any]) -> None:
    """The server accepts unpaired surrogates sent as \\u escapes; so does the client, untouched."""
    body = {**BASE, **fields}
    assert server_accepts(body)
    assert violations(body) == []
    sent = endpoint_request_from_body(body).to_dict()
    assert all(sent[key] == value for key, value in fields.items())


def test_lone_surrogates_pass_on_the_search_route_and_the_keyword_api() -> None:
    """Keyword arguments and the search route pass them through as given."""
    _, model = build_search_request(
        JOB_ID, rating="partial", missing_content=[(f"t{LONE}", LOW)], origin=LONE
    )
    assert model.to_dict()["missingContent"] == [{"topic": f"t{LONE}", "description": LOW}]
    assert model.to_dict()["origin"] == LONE
    body = {"rating": "bad", "querySuggestions": LONE}
    assert validate("search", as_server_parses(body)) == []
    assert search_request_from_body(JOB_ID, body)[1].to_dict()["querySuggestions"] == LONE


def test_lone_surrogate_counts_one_code_unit() -> None:
    """note: 4000 UTF-16 code units, each lone surrogate counting 1."""
    at_limit = {**BASE, "note": LONE * 2 + "a" * 3998}
    over = {**BASE, "note": LONE * 2 + "a" * 3999}
    assert (client_accepts(at_limit), server_accepts(at_limit)) == (True, True)
    assert (client_accepts(over), server_accepts(over)) == (False, False)
    assert [field for field, _ in violations(over)] == ["note"]


def test_trimming_keeps_lone_surrogates() -> None:
    """JavaScript's trim() removes whitespace only; the stored value keeps the surrogate."""
    body = {**BASE, "note": f"\u3000 {LONE} \n"}
    assert endpoint_request_from_body(body).to_dict()["note"] == LONE


@pytest.mark.parametrize("label", [f"a{LONE}", LONE, f"{LOW}b"])
def test_a_surrogate_in_an_issue_code_fails_its_pattern(label: str) -> None:
    """issues items must still match ^[a-z0-9][a-z0-9_-]*$: a surrogate does not."""
    body = {**BASE, "issues": [label]}
    assert not server_accepts(body)
    [(field, rule)] = violations(body)
    assert field == "issues[0]"
    assert rule.startswith("must match ^[a-z0-9][a-z0-9_-]*$")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        (f"https://{LONE}.example/", False),  # U+FFFD in a host is disallowed
        (f"https://exa{LOW}mple.com", False),
        ("https://\ud83d\ude00.example/", True),  # a pair: one emoji, a valid IDN label
        (f"https://example.com:80{LONE}/", False),  # not a port number
        (f"https://example.com/#{LONE}", True),
    ],
)
def test_lone_surrogates_in_urls_as_new_url_reads_them(url: str, ok: bool) -> None:
    """new URL() reads a USVString: a lone surrogate is U+FFFD, refused only in the host/port."""
    body = {**BASE, "url": url}
    assert server_accepts(body) is ok
    assert client_accepts(body) is ok


# -- 3. the search route's path job ID ------------------------------------------------------


@pytest.mark.parametrize(
    "job_id", [MAX_UUID.upper(), MAX_UUID, JOB_ID.upper(), uuid.UUID(MAX_UUID)]
)
def test_search_path_job_id_is_case_insensitive_in_every_form(job_id: str | uuid.UUID) -> None:
    """uuid's validate() on the path ignores case, the all-F UUID included; sent lower case."""
    body = {"rating": "bad", "querySuggestions": "q"}
    path_id, _ = search_request_from_body(job_id, body)
    assert str(path_id) == str(job_id).lower()
    keyword_id, _ = build_search_request(job_id, rating="bad", query_suggestions="q")
    assert keyword_id == path_id


def test_body_job_id_max_uuid_is_lower_case_only() -> None:
    """The body's jobId goes through zod's z.uuid(): the all-F UUID in upper case fails."""
    body = {**BASE, "jobId": MAX_UUID.upper()}
    assert not server_accepts(body)
    assert [field for field, _ in violations(body)] == ["jobId"]
    assert client_accepts({**BASE, "jobId": MAX_UUID})


def test_upper_case_max_uuid_reaches_the_reference_server() -> None:
    """Sent to the reference server, the search route's path check passes it (404: no such job)."""
    from firecrawl_feedback import NotFoundError
    from firecrawl_feedback.testing import FakeFirecrawl

    fake = FakeFirecrawl()
    with (
        FeedbackClient(
            fake.api_key, base_url="http://fake.test", transport=fake.transport(),
            allow_insecure_http=True, max_retries=0,
        ) as client,
        pytest.raises(NotFoundError) as caught,
    ):  # fmt: skip
        client.search(MAX_UUID.upper(), rating="bad", query_suggestions="q")
    assert caught.value.code == "SEARCH_NOT_FOUND"
    assert fake.requests[0].path == f"/v2/search/{MAX_UUID}/feedback"


# -- 4. what the server does not trim -------------------------------------------------------


@pytest.mark.parametrize("integration", [" zapier", "zapier ", "", " _mine"])
def test_integration_is_checked_as_sent(integration: str) -> None:
    """integration is not trimmed: a padded name, or an empty one, is refused."""
    body = {**BASE, "integration": integration}
    assert not server_accepts(body)
    assert [field for field, _ in violations(body)] == ["integration"]
    with pytest.raises(ValidationError) as caught:
        build_search_request(JOB_ID, rating="bad", query_suggestions="q", integration=integration)
    assert [v.field for v in caught.value.violations] == ["integration"]


def test_padded_integration_says_it_is_not_trimmed() -> None:
    """The message tells the caller why " zapier" fails although zapier is a known name."""
    [(_, rule)] = violations({**BASE, "integration": " zapier"})
    assert "does not trim" in rule


@pytest.mark.parametrize("origin", [" web ", "\u3000app\n", ""])
def test_origin_is_sent_as_given(origin: str) -> None:
    """origin is not trimmed: padded (or empty) it is accepted and sent with its spaces."""
    body = {**BASE, "origin": origin}
    assert server_accepts(body)
    assert endpoint_request_from_body(body).to_dict()["origin"] == origin
    keyword = build_endpoint_request(
        endpoint="scrape", job_id=JOB_ID, rating="bad", note="x", origin=origin
    )
    assert keyword.to_dict()["origin"] == origin


# -- 4. "__proto__": zod 4.4 skips the key (strictObject and record) --------------------------


@pytest.mark.parametrize(
    "body",
    [
        {**BASE, "__proto__": {"rating": "good"}},
        {**BASE, "valuableSources": [{"url": "https://a.b", "__proto__": 1}]},
        {**BASE, "missingContent": [{"topic": "t", "__proto__": None}]},
    ],
)
def test_a_proto_key_in_a_strict_object_is_accepted_and_left_out(body: dict[str, Any]) -> None:
    """zod's strictObject skips an own "__proto__" key: never unknown, never stored."""
    sent = endpoint_request_from_body(body).to_dict()
    assert "__proto__" not in json.dumps(sent)
    assert sent["rating"] == "bad"  # not read through the key


def test_a_proto_key_of_metadata_is_not_measured_or_sent() -> None:
    """zod's record skips it too: 9000 bytes under "__proto__" pass, and are not stored."""
    body = {**BASE, "metadata": {"__proto__": "a" * 9000, "k": "v"}}
    assert endpoint_request_from_body(body).to_dict()["metadata"] == {"k": "v"}
    keyword = build_endpoint_request(
        endpoint="scrape", job_id=JOB_ID, rating="bad", note="x", metadata=body["metadata"]
    )
    assert keyword.to_dict()["metadata"] == {"k": "v"}


def test_a_nested_proto_key_of_metadata_counts() -> None:
    """Below the top level metadata is z.any(): a "__proto__" there is measured and kept."""
    nested = {"k": {"__proto__": "a" * (8192 - len('{"k":{"__proto__":""}}'))}}
    assert endpoint_request_from_body({**BASE, "metadata": nested}).to_dict()["metadata"] == nested
    nested["k"]["__proto__"] += "a"
    assert violations({**BASE, "metadata": nested})[0][0] == "metadata"


def test_padded_origin_is_stored_with_its_spaces() -> None:
    """The reference server stores what the caller gave, not a trimmed copy."""
    from firecrawl_feedback.testing import FakeFirecrawl

    fake = FakeFirecrawl()
    job = fake.add_job("scrape")
    with FeedbackClient(
        fake.api_key, base_url="http://fake.test", transport=fake.transport(),
        allow_insecure_http=True,
    ) as client:  # fmt: skip
        client.scrape(job, rating="bad", note="n", origin=" web ", integration="zapier")
    assert fake.feedback[0].body["origin"] == " web "
    assert fake.feedback[0].body["integration"] == "zapier"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("jobId", f" {JOB_ID}"),
        ("jobId", f"{JOB_ID}\n"),
        ("rating", " bad"),
        ("endpoint", "scrape "),
    ],
)
def test_untrimmed_enums_and_job_id_refuse_padding(field: str, value: str) -> None:
    """jobId, rating and endpoint are not trimmed by the server: padding is refused."""
    body = {**BASE, field: value}
    assert not server_accepts(body)
    assert [name for name, _ in violations(body)] == [field]


# -- 5. wire-form bodies: fields named as the caller wrote them ----------------------------


def test_snake_case_key_in_a_wire_body_is_named_as_written_with_a_suggestion() -> None:
    """job_id in a wire body: unknown (with the right key suggested) and jobId missing."""
    body = {"endpoint": "scrape", "job_id": JOB_ID, "rating": "bad", "note": "x"}
    assert sorted(violations(body)) == [
        ("jobId", "is required"),
        ("job_id", "is not a known field; did you mean jobId?"),
    ]


def test_nested_paths_use_the_body_keys() -> None:
    """valuableSources[2].url, missingContent[0].topic: as the body spells them."""
    body = {
        **BASE,
        "pageNumbers": [0],
        "valuableSources": [{"url": "https://a.b"}, {"url": "https://c.d"}, {"url": "nope"}],
        "missingContent": [{"topic": " ", "desc": "x"}],
        "valuable_sources": [],
    }
    assert [field for field, _ in violations(body)] == [
        "valuable_sources", "missingContent[0].desc", "missingContent[0].topic",
        "pageNumbers[0]", "valuableSources[2].url",
    ]  # fmt: skip
    rules = dict(violations(body))
    assert rules["valuable_sources"] == "is not a known field; did you mean valuableSources?"


def test_unknown_nested_key_gets_a_suggestion() -> None:
    """A misspelt item key is named where it is, with the key it was probably meant to be."""
    body = {**BASE, "valuableSources": [{"url": "https://a.b", "reson": "r"}]}
    assert violations(body) == [
        ("valuableSources[0].reson", "is not a known field; did you mean reason?")
    ]


def test_unknown_key_without_a_near_match_gets_no_suggestion() -> None:
    """Nothing close: no guess."""
    assert violations({**BASE, "zzz": 1}) == [("zzz", "is not a known field")]


def test_search_body_messages_use_wire_names() -> None:
    """The search route's rating rule names the body's keys; the path ID stays job_id."""
    with pytest.raises(ValidationError) as caught:
        search_request_from_body("nope", {"rating": "good", "querySuggestions": "q"})
    fields = [v.field for v in caught.value.violations]
    assert fields == ["job_id"]  # cross-field rules wait for clean fields
    with pytest.raises(ValidationError) as caught:
        search_request_from_body(JOB_ID, {"rating": "good", "querySuggestions": "q"})
    [violation] = caught.value.violations
    assert (violation.field, violation.rule) == (
        "rating", "'good' on a search job needs valuableSources"
    )  # fmt: skip


def test_keyword_calls_keep_python_names() -> None:
    """client.submit(..., valuable_sources=...) reports valuable_sources[0].url."""
    with pytest.raises(ValidationError) as caught:
        build_endpoint_request(
            endpoint="search", job_id=JOB_ID, rating="good", valuable_sources=["nope"],
            page_numbers=[0],
        )  # fmt: skip
    assert [v.field for v in caught.value.violations] == [
        "page_numbers[0]",
        "valuable_sources[0].url",
    ]


def test_every_snake_case_spelling_from_the_spec_is_suggested() -> None:
    """The suggestions come from the spec's own property names, at every level."""
    for schema, route_body in (
        ("EndpointFeedbackRequest", dict(BASE)),
        ("SearchFeedbackRequest", None),
    ):
        for wire in COMPONENT_SCHEMAS[schema]["properties"]:
            snake = python_name(wire)
            if snake == wire:
                continue
            if route_body is None:
                with pytest.raises(ValidationError) as caught:
                    search_request_from_body(JOB_ID, {"rating": "bad", "querySuggestions": "q",
                                                      snake: 1})  # fmt: skip
                found = [(v.field, v.rule) for v in caught.value.violations]
            else:
                found = violations({**route_body, snake: 1})
            assert (snake, f"is not a known field; did you mean {wire}?") in found


def test_submit_body_names_wire_fields_and_sends_nothing() -> None:
    """Through the client: the error names jobId, and no request goes out."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    client = FeedbackClient(
        "fc-test-key-for-parity", base_url="http://fake.test",
        transport=httpx.MockTransport(handler), allow_insecure_http=True,
    )  # fmt: skip
    with client, pytest.raises(ValidationError) as caught:
        client.submit_body({"endpoint": "map", "job_id": JOB_ID, "rating": "bad", "note": "n"})
    assert sent == []
    assert "job_id: is not a known field; did you mean jobId?" in str(caught.value)
    assert "jobId: is required" in str(caught.value)


def test_keyword_calls_name_unknown_item_keys_as_written() -> None:
    """A mapping item with an unknown key: the key as written, the argument in snake case."""
    with pytest.raises(ValidationError) as caught:
        build_search_request(
            JOB_ID, rating="good", valuable_sources=[{"URL": "https://a.b"}, "https://c.d"]
        )
    assert [(v.field, v.rule) for v in caught.value.violations] == [
        ("valuable_sources[0].URL", "is not a known field; did you mean url?"),
        ("valuable_sources[0].url", "is required"),
    ]


def test_only_the_first_twenty_unknown_keys_get_a_guess() -> None:
    """Guessing costs a difflib search each: a flood of unknown keys gets plain messages."""
    body = {**BASE, **{f"note{letter}": 1 for letter in "abcdefghijklmnopqrstuvwxy"}}
    rules = [rule for _, rule in violations(body)]
    assert rules[:20] == ["is not a known field; did you mean note?"] * 20
    assert rules[20:] == ["is not a known field"] * 5
