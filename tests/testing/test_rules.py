"""The server's body rules as an independent oracle: boundary cases of every rule."""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable

import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl, _js
from firecrawl_feedback.testing._rules import validate
from firecrawl_feedback.testing._url import is_http_url

JOB = "0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b"
ASTRAL = "\U0001f600"  # one character, two UTF-16 code units


def feedback(**fields: object) -> dict[str, object]:
    return {"endpoint": "scrape", "jobId": JOB, "rating": "bad", "note": "n", **fields}


def search(**fields: object) -> dict[str, object]:
    return {"rating": "bad", "querySuggestions": "q", **fields}


def paths(issues: list[dict[str, object]]) -> list[object]:
    return [issue["path"] for issue in issues]


def codes(issues: list[dict[str, object]]) -> list[object]:
    return [issue["code"] for issue in issues]


def test_minimal_bodies_are_accepted() -> None:
    """A rating plus one signal is enough on each route."""
    assert validate("feedback", feedback()) == []
    assert validate("search", search()) == []


@pytest.mark.parametrize("body", [None, [], "x", 1, True])
def test_body_must_be_an_object(body: object) -> None:
    """Anything but a JSON object is an invalid_type at the root."""
    assert validate("feedback", body) == [
        {
            "expected": "object",
            "code": "invalid_type",
            "path": [],
            "message": validate("feedback", body)[0]["message"],
        }
    ]


def test_issue_shape_is_zod_like() -> None:
    """Every issue has exactly code, path (keys and indexes) and message."""
    issues = validate("search", search(valuableSources=[{"url": "ftp://x"}]))
    assert issues == [
        {
            "code": "invalid_format",
            "format": "url",
            "path": ["valuableSources", 0, "url"],
            "message": "Invalid URL: must be an http or https URL",
        }
    ]


@pytest.mark.parametrize(
    ("route", "body", "path"),
    [
        ("feedback", feedback(extra=1), []),
        ("search", search(endpoint="search"), []),
        ("search", search(jobId=JOB), []),
        ("search", search(note="n"), []),
        (
            "feedback",
            feedback(valuableSources=[{"url": "https://a.b", "why": "x"}]),
            ["valuableSources", 0],
        ),
        (
            "feedback",
            feedback(missingContent=[{"topic": "t", "detail": "x"}]),
            ["missingContent", 0],
        ),
        (
            "search",
            search(missingContent=[{"topic": "t"}, {"topic": "t", "x": 1}]),
            ["missingContent", 1],
        ),
    ],
)
def test_unknown_keys_are_rejected_at_every_level(
    route: str, body: object, path: list[object]
) -> None:
    """Unknown keys fail at the top level and inside valuableSources / missingContent items."""
    issues = validate(route, body)  # type: ignore[arg-type]
    assert [(i["code"], i["path"]) for i in issues] == [("unrecognized_keys", path)]


@pytest.mark.parametrize("rating", ["good", "partial", "bad"])
def test_each_rating_is_accepted(rating: str) -> None:
    """good, partial and bad are the ratings."""
    assert validate("feedback", feedback(rating=rating)) == []


@pytest.mark.parametrize("rating", ["Good", " good", "", None, 1])
def test_other_ratings_are_rejected(rating: object) -> None:
    """rating is an enum: no trimming, no case folding."""
    assert codes(validate("feedback", feedback(rating=rating))) == ["invalid_value"]


def test_required_fields() -> None:
    """POST /feedback needs endpoint, jobId and rating; the search route needs rating."""
    assert paths(validate("feedback", {"note": "n"})) == [["rating"], ["endpoint"], ["jobId"]]
    assert paths(validate("search", {})) == [["rating"]]


@pytest.mark.parametrize(("field", "limit"), [("note", 4000), ("querySuggestions", 2000)])
def test_free_text_lengths_count_utf16_code_units_after_trimming(field: str, limit: int) -> None:
    """Padding does not count; an astral character counts two."""
    padded = "  \t" + "a" * limit + "\u3000\ufeff\n"
    assert validate("feedback", feedback(**{field: padded})) == []
    assert paths(validate("feedback", feedback(**{field: "a" * (limit + 1)}))) == [[field]]
    at_limit = "a" * (limit - 2) + ASTRAL
    assert validate("feedback", feedback(**{field: at_limit})) == []
    over = "a" * (limit - 1) + ASTRAL
    assert codes(validate("feedback", feedback(**{field: over}))) == ["too_big"]


def test_javascript_trim_differs_from_python_strip() -> None:
    """U+001C..U+001F and U+0085 are not JavaScript whitespace; U+FEFF is."""
    assert _js.trim("\ufeff a \u00a0") == "a"
    assert _js.trim("\x1ca\x85") == "\x1ca\x85"
    # so a tag of U+001F is not blank (and fails the pattern instead of the minimum)
    assert codes(validate("feedback", feedback(tags=["\x1f"]))) == ["invalid_format"]


@pytest.mark.parametrize(
    ("key", "item", "limit"),
    [
        ("valuableSources", lambda s: {"url": "https://a.b", "reason": s}, 1000),
        ("missingContent", lambda s: {"topic": "t", "description": s}, 2000),
        ("missingContent", lambda s: {"topic": s}, 200),
    ],
)
def test_item_string_limits(key: str, item: Callable[[str], object], limit: int) -> None:
    """reason <= 1000, description <= 2000, topic <= 200 (code units, after trim)."""
    ok = validate("feedback", feedback(**{key: [item(" " + "a" * (limit - 2) + ASTRAL + " ")]}))
    bad = validate("feedback", feedback(**{key: [item("a" * limit + "b")]}))
    assert ok == []
    assert codes(bad) == ["too_big"]


@pytest.mark.parametrize("topic", ["", "   ", "\u2028\u3000"])
def test_topic_must_not_be_blank(topic: str) -> None:
    """topic needs at least one code unit after trimming."""
    issues = validate("search", search(missingContent=[{"topic": topic}]))
    assert [(i["code"], i["path"]) for i in issues] == [
        ("too_small", ["missingContent", 0, "topic"])
    ]


def test_missing_content_limit_depends_on_route() -> None:
    """missingContent: 20 items on the search route, 50 on POST /feedback."""
    items = [{"topic": f"t{i}"} for i in range(21)]
    assert codes(validate("search", search(missingContent=items))) == ["too_big"]
    assert validate("search", search(missingContent=items[:20])) == []
    assert validate("feedback", feedback(missingContent=items)) == []
    many = [{"topic": "t"}] * 51
    assert codes(validate("feedback", feedback(missingContent=many))) == ["too_big"]


def test_valuable_sources_at_most_50() -> None:
    """valuableSources holds at most 50 items on both routes."""
    sources = [{"url": "https://a.b"}] * 50
    assert validate("search", search(valuableSources=sources)) == []
    assert codes(validate("search", search(valuableSources=[*sources, sources[0]]))) == ["too_big"]


@pytest.mark.parametrize("key", ["issues", "tags"])
def test_labels(key: str) -> None:
    """issues/tags: <= 20 items, each trimmed, 1..80, lower-case snake or kebab case."""
    assert validate("feedback", feedback(**{key: [" missing_markdown ", "a-b", "0"]})) == []
    assert codes(validate("feedback", feedback(**{key: ["x"] * 21}))) == ["too_big"]
    assert codes(validate("feedback", feedback(**{key: ["a" * 80]}))) == []
    assert codes(validate("feedback", feedback(**{key: ["a" * 81]}))) == ["too_big"]
    assert codes(validate("feedback", feedback(**{key: [""]}))) == ["too_small", "invalid_format"]
    for bad in ["Upper", "_lead", "-lead", "sp ace", "dot.s", "a\nb", "é"]:
        assert codes(validate("feedback", feedback(**{key: [bad]}))) == ["invalid_format"], bad
    assert paths(validate("feedback", feedback(**{key: ["ok", 3]}))) == [[key, 1]]


def test_pattern_end_anchor_is_javascripts() -> None:
    """JavaScript's $ does not match before a final newline (Python's does)."""
    assert validate("feedback", feedback(tags=["abc\n"])) == []
    assert codes(validate("feedback", feedback(tags=["abc\n\x00"]))) == ["invalid_format"]


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (1, True),
        (2.0, True),  # a JSON number; JavaScript reads it as the integer 2
        (100000, True),
        (2**53 - 1, True),
        (2**53 + 2, False),
        (0, False),
        (-1, False),
        (1.5, False),
        (True, False),  # booleans are not numbers in JavaScript
        ("1", False),
        (None, False),
        (math.inf, False),
        (math.nan, False),
    ],
)
def test_page_numbers(value: object, accepted: bool) -> None:
    """pageNumbers items: JavaScript safe integers, at least 1."""
    issues = validate("feedback", feedback(pageNumbers=[value]))
    assert (issues == []) is accepted
    if not accepted:
        assert paths(issues) == [["pageNumbers", 0]]


def test_page_numbers_at_most_100() -> None:
    """pageNumbers holds at most 100 numbers."""
    assert validate("feedback", feedback(pageNumbers=list(range(1, 101)))) == []
    assert codes(validate("feedback", feedback(pageNumbers=list(range(1, 102))))) == ["too_big"]


@pytest.mark.parametrize(
    ("job_id", "accepted"),
    [
        (JOB, True),
        (JOB.upper(), True),
        (f"  {JOB} ", False),  # z.uuid() on jobId: not trimmed
        *[(str(uuid.UUID(int=(0x1 << 76) * v | (0x8 << 60))), True) for v in range(1, 9)],
        ("00000000-0000-0000-0000-000000000000", True),
        ("ffffffff-ffff-ffff-ffff-ffffffffffff", True),
        ("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", False),  # zod spells the max UUID in lower case
        ("0190b2a4-5c3e-0d2f-9a1b-2c3d4e5f6a7b", False),  # version 0
        ("0190b2a4-5c3e-9d2f-9a1b-2c3d4e5f6a7b", False),  # version 9
        ("0190b2a4-5c3e-7d2f-7a1b-2c3d4e5f6a7b", False),  # variant digit 7 (NCS)
        ("0190b2a4-5c3e-7d2f-ca1b-2c3d4e5f6a7b", False),  # variant digit c (Microsoft)
        ("0190b2a45c3e7d2f9a1b2c3d4e5f6a7b", False),  # no hyphens
        ("{0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b}", False),
        ("0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7", False),
        ("0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7g", False),
        ("", False),
    ],
)
def test_job_id_is_an_rfc_uuid(job_id: str, accepted: bool) -> None:
    """jobId: version digit 1-8 and variant 8/9/a/b, or the nil / all-f UUID."""
    assert (validate("feedback", feedback(jobId=job_id)) == []) is accepted


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "HTTP://EXAMPLE.COM/Path?q=1#f",
        "  https://example.com  ",
        "http:example.com",  # special schemes need no slashes
        "http:\\\\example.com\\path",
        "https:///example.com",
        "http://user:pass@example.com:8080/",
        "http://@example.com",
        "http://example.com:",
        "http://example.com/a b<>",  # paths are percent-encoded, never refused
        "http://127.0.0.1",
        "http://0x7f.1",
        "http://2130706433",
        "http://[::1]:80/",
        "http://[1:2:3:4:5:6:7::]",
        "http://[::ffff:1.2.3.4]",
        "http://münchen.de",
        "http://xn--mnchen-3ya.de",
        "http://ex%41mple.com",
        "http://a..b",
        "http://example.com.",
        "ht\ttp://exa\nmple.com",  # tabs and newlines are removed anywhere
        "http://exa\u00admple.com",  # a soft hyphen maps to nothing
        "http://example\u3002com",  # an ideographic full stop maps to a dot
    ],
)
def test_urls_that_parse(url: str) -> None:
    """These parse as WHATWG URLs with scheme http or https."""
    assert is_http_url(_js.trim(url))
    assert validate("feedback", feedback(url=url)) == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "example.com",
        "//example.com",
        "http//example.com",
        "ftp://example.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:a@b.c",
        "data:text/plain,x",
        "https://",
        "http://",
        "http:///",
        "http://user@",
        "http://:80",
        "http://exa mple.com",
        "http://exa<mple.com",
        "http://example.com:65536",
        "http://example.com:8o",
        "http://%zz.com",
        "http://ex%00ample.com",
        "http://1.2.3.256",
        "http://1.2.3.4.5",
        "http://foo.1",
        "http://09.1.1.1",
        "http://[::1",
        "http://[::1]x",
        "http://[::%31]",
        "http://[1:2:3:4:5:6:7:8:9]",
        "http://\u00ad",
        "http://xn--",
        "http://a\ufffdb.com",
    ],
)
def test_urls_that_do_not_parse(url: str) -> None:
    """These fail to parse, or are not http(s)."""
    assert validate("feedback", feedback(url=url)) != []


def test_url_length_is_checked_after_trim() -> None:
    """url: 1 to 2048 code units after trimming."""
    base = "https://example.com/"
    exact = base + "a" * (2048 - len(base))
    assert validate("feedback", feedback(url=f"  {exact}  ")) == []
    assert codes(validate("feedback", feedback(url=exact + "a"))) == ["too_big"]
    astral = base + "a" * (2048 - len(base) - 1) + ASTRAL
    assert codes(validate("feedback", feedback(url=astral))) == ["too_big"]


@pytest.mark.parametrize("name", ["dify", "n8n", "prometheus", "_mine", "_", "_ padded "])
def test_known_integrations_pass(name: str) -> None:
    """The allow-list, or any value starting with _."""
    assert validate("search", search(integration=name)) == []


@pytest.mark.parametrize("name", ["", "Dify", "openai", "x_", " cli ", " zapier", None, 3])
def test_other_integrations_fail(name: object) -> None:
    """integration: null and unknown names are refused."""
    assert paths(validate("search", search(integration=name))) == [["integration"]]


def test_origin_is_free_text_but_not_null() -> None:
    """origin: any string; JSON null is refused."""
    assert validate("search", search(origin="python-sdk@4.53")) == []
    assert codes(validate("search", search(origin=None))) == ["invalid_type"]


def test_metadata_size_is_compact_json_utf8_bytes() -> None:
    """metadata: at most 8192 UTF-8 bytes as JSON.stringify writes it."""
    overhead = len('{"k":""}')
    assert validate("feedback", feedback(metadata={"k": "a" * (8192 - overhead)})) == []
    assert codes(validate("feedback", feedback(metadata={"k": "a" * (8193 - overhead)}))) == [
        "custom"
    ]
    # é takes two bytes; an emoji four
    assert validate("feedback", feedback(metadata={"k": "é" * ((8192 - overhead) // 2)})) == []
    assert codes(
        validate("feedback", feedback(metadata={"k": "é" * ((8193 - overhead) // 2 + 1)}))
    ) == ["custom"]
    # JavaScript writes 1.0 as 1: one byte over in Python, at the limit in JavaScript
    padding = "a" * (8192 - len('{"n":1,"k":""}'))
    assert validate("feedback", feedback(metadata={"n": 1.0, "k": padding})) == []


@pytest.mark.parametrize("metadata", [[], None, "x", 1])
def test_metadata_must_be_an_object(metadata: object) -> None:
    """metadata is a JSON object."""
    assert codes(validate("feedback", feedback(metadata=metadata))) == ["invalid_type"]


@pytest.mark.parametrize(
    "signal",
    [
        {"issues": ["x"]},
        {"tags": ["x"]},  # tags count, although the spec's prose leaves them out
        {"note": " n "},
        {"valuableSources": [{"url": "https://a.b"}]},
        {"missingContent": [{"topic": "t"}]},
        {"querySuggestions": "q"},
        {"url": "https://a.b"},
        {"pageNumbers": [1]},
    ],
)
def test_each_substantive_signal_suffices(signal: dict[str, object]) -> None:
    """POST /feedback needs one non-empty signal; each one alone is enough."""
    body = {"endpoint": "scrape", "jobId": JOB, "rating": "bad", **signal}
    assert validate("feedback", body) == []


@pytest.mark.parametrize(
    "empty",
    [{}, {"note": "  \n"}, {"issues": []}, {"tags": []}, {"querySuggestions": "\u3000"},
     {"pageNumbers": []}, {"metadata": {"a": 1}}, {"origin": "x"}],
)  # fmt: skip
def test_without_a_signal_feedback_fails(empty: dict[str, object]) -> None:
    """Blank or empty signals (and metadata/origin) do not count."""
    body = {"endpoint": "map", "jobId": JOB, "rating": "partial", **empty}
    assert [(i["code"], i["path"]) for i in validate("feedback", body)] == [("custom", [])]


def test_cross_field_rules_wait_for_clean_fields() -> None:
    """As in zod, the signal rule is judged only once every field passes."""
    body = {"endpoint": "map", "jobId": "nope", "rating": "bad"}
    assert paths(validate("feedback", body)) == [["jobId"]]


@pytest.mark.parametrize(
    ("rating", "fields", "accepted"),
    [
        ("good", {"valuableSources": [{"url": "https://a.b"}]}, True),
        ("good", {"missingContent": [{"topic": "t"}]}, False),
        ("good", {"querySuggestions": "q"}, False),
        ("partial", {"valuableSources": [{"url": "https://a.b"}]}, True),
        ("partial", {"missingContent": [{"topic": "t"}]}, True),
        ("partial", {"querySuggestions": "q"}, False),
        ("bad", {"missingContent": [{"topic": "t"}]}, True),
        ("bad", {"querySuggestions": " q "}, True),
        ("bad", {"querySuggestions": "   "}, False),
        ("bad", {"valuableSources": [{"url": "https://a.b"}]}, False),
        ("good", {"valuableSources": []}, False),
    ],
)
def test_search_rating_rules(rating: str, fields: dict[str, object], accepted: bool) -> None:
    """The rating rules hold on the search route and for endpoint "search" on /feedback."""
    on_search = validate("search", {"rating": rating, **fields})
    on_feedback = validate(
        "feedback", {"endpoint": "search", "jobId": JOB, "rating": rating, **fields}
    )
    assert (on_search == []) is accepted
    assert (on_feedback == []) is accepted
    if not accepted:
        assert paths(on_search) == [["rating"]]


def test_rating_rules_do_not_apply_to_other_endpoints() -> None:
    """A scrape may be rated good with only a note."""
    assert validate("feedback", feedback(rating="good", endpoint="scrape")) == []


def test_every_problem_is_reported() -> None:
    """zod reports all field issues, not just the first."""
    body = {
        "endpoint": "crawl",
        "jobId": JOB,
        "rating": "bad",
        "issues": ["OK", "fine", "No"],
        "valuableSources": [{"url": "x"}, {}],
        "origin": None,
    }
    assert paths(validate("feedback", body)) == [
        ["valuableSources", 0, "url"],
        ["valuableSources", 1, "url"],
        ["origin"],
        ["endpoint"],
        ["issues", 0],
        ["issues", 2],
    ]


def test_unrecognized_key_survives_json_encoding() -> None:
    """An echoed key with a lone surrogate still yields a JSON-encodable issue."""
    issues = validate("search", json.loads('{"rating":"bad","querySuggestions":"q","\\ud800":1}'))
    assert codes(issues) == ["unrecognized_keys"]
    json.dumps(issues)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0.0, "0"),
        (1.0, "1"),
        (-2.5, "-2.5"),
        (1e16, "10000000000000000"),
        (1e21, "1e+21"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (123456789.125, "123456789.125"),
        (math.nan, "null"),
    ],
)
def test_numbers_are_written_as_javascript_writes_them(number: float, text: str) -> None:
    """Number#toString rules decide metadata's byte size."""
    assert _js.number_to_string(number) == text


def test_stringify_matches_json_stringify() -> None:
    """Compact, key order kept, non-ASCII raw, control characters and lone surrogates escaped."""
    value = {"b": [1, 2.0, True, None], "a": "é\n\x01\ud800", "big": 12345678901234567890}
    assert _js.stringify(value) == (
        '{"b":[1,2,true,null],"a":"é\\n\\u0001\\ud800","big":12345678901234567000}'
    )


# -- December 2026 facts: surrogates, what is not trimmed, the path UUID ---------------------

LONE = "\ud800"


def parsed(text: str) -> object:
    """A body as the server's JSON.parse reads it (escapes and all)."""
    return json.loads(text)


@pytest.mark.parametrize(
    "body",
    [
        '{"rating":"bad","querySuggestions":"q\\ud800"}',
        '{"rating":"bad","querySuggestions":"q","origin":"\\udc00"}',
        '{"rating":"bad","querySuggestions":"q","integration":"_\\ud800"}',
        '{"rating":"good","valuableSources":[{"url":"https://a.b/\\ud800","reason":"\\udfff"}]}',
        '{"rating":"bad","missingContent":[{"topic":"\\ud800","description":"\\udbff"}]}',
    ],
)
def test_lone_surrogate_escapes_are_accepted(body: str) -> None:
    """JSON.parse accepts \\ud800-style escapes; zod's string checks count them as code units."""
    assert validate("search", parsed(body)) == []


def test_lone_surrogates_count_one_code_unit_and_fail_label_patterns() -> None:
    """note: each lone surrogate is 1 of the 4000; an issue code with one fails its pattern."""
    assert validate("feedback", feedback(note=LONE * 4000)) == []
    assert codes(validate("feedback", feedback(note=LONE * 4001))) == ["too_big"]
    assert codes(validate("feedback", feedback(issues=["a" + LONE]))) == ["invalid_format"]


def test_metadata_lone_surrogate_is_six_bytes() -> None:
    """Well-formed JSON.stringify writes a lone surrogate as \\udXXX: 6 bytes."""
    room = 8192 - len('{"k":""}') - 6
    assert validate("feedback", feedback(metadata={"k": LONE + "a" * room})) == []
    assert codes(validate("feedback", feedback(metadata={"k": LONE + "a" * (room + 1)}))) == [
        "custom"
    ]


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("http://a.example/" + LONE, True),  # percent-encoded as U+FFFD
        ("http://u" + LONE + "@a.example", True),
        ("http://" + LONE + ".example", False),  # U+FFFD is not allowed in a host
        ("http://a.example:8" + LONE, False),
    ],
)
def test_urls_with_lone_surrogates_read_as_usvstrings(url: str, accepted: bool) -> None:
    """new URL() converts its argument to a USVString (lone surrogates become U+FFFD)."""
    assert is_http_url(url) is accepted


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("http://a.com/x\x00y", True),  # percent-encoded in a path, query or fragment
        ("http://a.com/?\x00#\x00", True),
        ("http://u\x00@a.com", True),
        ("\x00http://a.com\x00", True),  # C0 controls are stripped at the ends
        ("http://a\x00b.com", False),  # forbidden in a host
        ("http://[::1\x00]", False),
        ("ht\x00tp://a.com", False),
    ],
)
def test_urls_with_a_nul_as_node_reads_them(url: str, accepted: bool) -> None:
    """A NUL is a code point like any other for new URL() (Node 20's verdicts)."""
    assert is_http_url(url) is accepted


@pytest.mark.parametrize(
    ("field", "value"),
    [("jobId", f" {JOB}"), ("integration", " zapier"), ("integration", "zapier\n")],
)
def test_fields_the_server_does_not_trim_are_checked_as_sent(field: str, value: str) -> None:
    """jobId and integration are not trimmed by the server's schema."""
    assert paths(validate("feedback", feedback(**{field: value}))) == [[field]]


def test_padded_origin_is_accepted_as_sent() -> None:
    """origin is free text and not trimmed: padding is part of the value."""
    assert validate("search", search(origin="  web  ")) == []


def test_body_with_lone_surrogates_is_stored_by_the_fake(
    fake: FakeFirecrawl, client: httpx.Client
) -> None:
    """The served body parses (\\u escapes), passes validation and is stored as parsed."""
    job = fake.add_job("scrape")
    raw = '{"endpoint":"scrape","jobId":"%s","rating":"bad","note":"a\\ud800","origin":" x\\udc00"}'
    response = client.post(
        "/feedback", content=(raw % job).encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert fake.feedback[0].body["note"] == "a" + LONE
    assert fake.feedback[0].body["origin"] == " x\udc00"


@pytest.mark.parametrize(
    ("job_id", "status"),
    [
        ("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", 404),  # passes the path check: no such job
        ("ffffffff-ffff-ffff-ffff-ffffffffffff", 404),
        ("00000000-0000-0000-0000-000000000000", 404),
        ("0190B2A4-5C3E-7D2F-9A1B-2C3D4E5F6A7B", 404),
        ("0190b2a4-5c3e-0d2f-9a1b-2c3d4e5f6a7b", 400),  # version 0
    ],
)
def test_search_path_job_id_check_ignores_case(
    client: httpx.Client, job_id: str, status: int
) -> None:
    """uuid's validate() (regex with the i flag) decides the path check, all-F included."""
    body = {"rating": "bad", "querySuggestions": "q"}
    assert client.post(f"/search/{job_id}/feedback", json=body).status_code == status


def _nested(levels: int, innermost: object) -> dict[str, object]:
    value: object = innermost
    for _ in range(levels):
        value = {"a": value}
    assert isinstance(value, dict)
    return value


def test_metadata_as_deep_as_the_client_sends_is_measured() -> None:
    """Node's JSON.stringify goes about 4,000 levels deep, and 1,300 levels of {"a":...}
    fit in 8192 bytes; the oracle's must not stop at Python's recursion limit (an
    in-process call raised RecursionError into the client)."""
    assert validate("feedback", feedback(metadata=_nested(1300, 1))) == []
    too_big = _nested(1300, "x" * 1000)
    assert paths(validate("feedback", feedback(metadata=too_big))) == [["metadata"]]


def test_the_client_and_the_oracle_agree_on_deep_metadata() -> None:
    from firecrawl_feedback import FeedbackClient

    fake = FakeFirecrawl()
    with FeedbackClient(fake.api_key, transport=fake.transport(), max_retries=0) as client:
        result = client.scrape(
            fake.add_job("scrape"), rating="bad", note="n", metadata=_nested(900, 1)
        )
    assert result.stored


def test_a_body_deeper_than_the_parser_goes_gets_an_answer(fake: FakeFirecrawl) -> None:
    """In-process, a RecursionError reached the caller; served, the connection dropped."""
    body = feedback(metadata=_nested(1, 1))
    text = json.dumps(body).replace('{"a": 1}', '{"a":' * 1200 + "1" + "}" * 1200)
    with httpx.Client(transport=fake.transport(), base_url="http://firecrawl.test/v2") as client:
        answer = client.post(
            "/feedback",
            content=text,
            headers={"content-type": "application/json", "authorization": f"Bearer {fake.api_key}"},
        )
    assert answer.status_code == 400
    assert answer.json()["code"] == "BAD_REQUEST_INVALID_JSON"
