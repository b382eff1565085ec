"""The client-side rules, one by one, at their boundaries."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import ada_url
import pytest
from firecrawl_feedback._errors import ValidationError
from firecrawl_feedback._jsvalues import as_usv, js_number, js_trim, json_size_exceeds, utf16_length
from firecrawl_feedback._urls import _PLAIN_HTTP_URL, http_url_problem
from firecrawl_feedback._validation import (
    build_endpoint_request,
    endpoint_request_from_body,
    search_request_from_body,
)
from firecrawl_feedback_api.client import encode_json
from hypothesis import example, given, settings
from hypothesis import strategies as st

JOB_ID = "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e"
ASTRAL = "\U0001f600"  # one character, two UTF-16 code units
BASE: dict[str, Any] = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "x"}


def violations_of(body: object) -> list[tuple[str, str]]:
    """(field, rule) pairs the client reports for a POST /feedback body; [] when accepted."""
    try:
        endpoint_request_from_body(body)
    except ValidationError as error:
        return [(v.field, v.rule) for v in error.violations]
    return []


def fields_of(body: object) -> list[str]:
    return [field for field, _ in violations_of(body)]


def with_(**fields: Any) -> dict[str, Any]:
    return {**BASE, **fields}


# -- JavaScript string semantics ------------------------------------------------


@pytest.mark.parametrize(
    "char",
    [
        "\t",
        "\n",
        "\v",
        "\f",
        "\r",
        " ",
        "\u00a0",
        "\u1680",
        "\u2000",
        "\u200a",
        "\u2028",
        "\u2029",
        "\u202f",
        "\u205f",
        "\u3000",
        "\ufeff",
    ],
)
def test_js_trim_removes_ecmascript_whitespace(char: str) -> None:
    """Every ECMAScript WhiteSpace/LineTerminator is trimmed, U+FEFF included."""
    assert js_trim(f"{char}a{char}") == "a"


@pytest.mark.parametrize("char", ["\x1c", "\x1f", "\x85", "\u180e", "\u200b"])
def test_js_trim_keeps_what_python_strip_would_remove_or_js_keeps(char: str) -> None:
    """U+0085, U+001C-U+001F, U+180E and U+200B survive trim(), unlike some str.strip() sets."""
    assert js_trim(f"{char}a{char}") == f"{char}a{char}"


def test_utf16_length_counts_astral_characters_twice() -> None:
    """Lengths are JavaScript lengths: an emoji counts 2, an accented letter 1."""
    assert utf16_length("a\u00e9" + ASTRAL) == 4


# -- string lengths at N-1, N, N+1 ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit"), [("note", 4000), ("querySuggestions", 2000)]
)  # fmt: skip
@pytest.mark.parametrize("delta", [-1, 0, 1])
@pytest.mark.parametrize("astral", [False, True])
def test_top_level_string_limits(field: str, limit: int, delta: int, astral: bool) -> None:
    """Top-level strings are measured after trimming, in UTF-16 code units."""
    size = limit + delta
    text = (ASTRAL * (size // 2) + "a" * (size % 2)) if astral else "a" * size
    got = fields_of(with_(**{field: " \u3000" + text + "\n\ufeff"}))
    expected = [] if delta <= 0 else [field]
    assert got == expected


def test_length_message_names_limit_and_size() -> None:
    """The rule says the limit, the unit, and the size found."""
    assert violations_of(with_(note="a" * 4001)) == [
        ("note", "must be at most 4000 characters (UTF-16 code units) after trimming; got 4001")
    ]


def test_huge_note_gives_a_short_message() -> None:
    """A 10 MB note is reported without echoing it."""
    [(field, rule)] = violations_of(with_(note="a" * 10_000_000))
    assert field == "note"
    assert len(rule) < 200


@pytest.mark.parametrize(("size", "ok"), [(999, True), (1000, True), (1001, False)])
def test_reason_limit(size: int, ok: bool) -> None:
    """valuableSources[].reason is at most 1000 code units."""
    body = with_(valuableSources=[{"url": "https://a.b", "reason": "r" * size}])
    assert fields_of(body) == ([] if ok else ["valuableSources[0].reason"])


@pytest.mark.parametrize(
    ("topic", "ok"),
    [
        ("", False),
        ("   ", False),
        ("a", True),
        ("t" * 200, True),
        ("t" * 199 + ASTRAL, False),
        (" " + "t" * 200 + " ", True),
        ("t" * 201, False),
    ],
)
def test_topic_is_one_to_two_hundred(topic: str, ok: bool) -> None:
    """missingContent[].topic is 1 to 200 code units after trimming."""
    assert fields_of(with_(missingContent=[{"topic": topic}])) == (
        [] if ok else ["missingContent[0].topic"]
    )


@pytest.mark.parametrize(("size", "ok"), [(1999, True), (2000, True), (2001, False)])
def test_description_limit(size: int, ok: bool) -> None:
    """missingContent[].description is at most 2000 code units."""
    body = with_(missingContent=[{"topic": "t", "description": "d" * size}])
    assert fields_of(body) == ([] if ok else ["missingContent[0].description"])


# -- issues and tags ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "ok"),
    [
        ("a", True),
        ("missing_markdown", True),
        ("x-1_y", True),
        ("0", True),
        (" ok\t", True),
        ("a" * 80, True),
        ("a" * 81, False),
        ("", False),
        ("Upper", False),
        ("-a", False),
        ("_a", False),
        ("a b", False),
        ("\u00e9", False),
        ("a.b", False),
    ],
)
@pytest.mark.parametrize("key", ["issues", "tags"])
def test_labels(key: str, label: str, ok: bool) -> None:
    """Issue codes and tags: trimmed, 1 to 80, lower-case snake or kebab case."""
    assert fields_of(with_(**{key: [label]})) == ([] if ok else [f"{key}[0]"])


@pytest.mark.parametrize(("count", "ok"), [(19, True), (20, True), (21, False)])
def test_label_count(count: int, ok: bool) -> None:
    """At most 20 issues."""
    assert fields_of(with_(issues=["a"] * count)) == ([] if ok else ["issues"])


# -- counts per route --------------------------------------------------------------


@pytest.mark.parametrize(("count", "ok"), [(49, True), (50, True), (51, False)])
def test_valuable_sources_count(count: int, ok: bool) -> None:
    """At most 50 valuableSources."""
    body = with_(valuableSources=[{"url": "https://a.b"}] * count)
    assert fields_of(body) == ([] if ok else ["valuableSources"])


@pytest.mark.parametrize(("count", "ok"), [(49, True), (50, True), (51, False)])
def test_missing_content_count_on_feedback_route(count: int, ok: bool) -> None:
    """POST /feedback allows 50 missingContent items."""
    assert fields_of(with_(missingContent=[{"topic": "t"}] * count)) == (
        [] if ok else ["missingContent"]
    )


@pytest.mark.parametrize(("count", "ok"), [(19, True), (20, True), (21, False)])
def test_missing_content_count_on_search_route(count: int, ok: bool) -> None:
    """The search route allows only 20 missingContent items."""
    body = {"rating": "partial", "missingContent": [{"topic": "t"}] * count}
    if ok:
        search_request_from_body(JOB_ID, body)
    else:
        with pytest.raises(ValidationError) as caught:
            search_request_from_body(JOB_ID, body)
        assert [v.field for v in caught.value.violations] == ["missingContent"]


def test_over_long_list_reports_count_and_checks_only_the_first_items() -> None:
    """100,000 issues fail on the count, and only the first 20 items are examined."""
    got = fields_of(with_(issues=["BAD"] * 100_000))
    assert got == ["issues"] + [f"issues[{i}]" for i in range(20)]


# -- pageNumbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (1, True),
        (2.0, True),
        (2**53 - 1, True),
        (0, False),
        (-1, False),
        (1.5, False),
        (True, False),
        ("1", False),
        (None, False),
        (2**53, False),
        (float("inf"), False),
    ],
)
def test_page_numbers(value: object, ok: bool) -> None:
    """Page numbers are JavaScript safe integers >= 1; booleans are not numbers."""
    assert fields_of(with_(pageNumbers=[value])) == ([] if ok else ["pageNumbers[0]"])


@pytest.mark.parametrize(("count", "ok"), [(99, True), (100, True), (101, False)])
def test_page_number_count(count: int, ok: bool) -> None:
    """At most 100 page numbers."""
    assert fields_of(with_(pageNumbers=[1] * count)) == ([] if ok else ["pageNumbers"])


# -- metadata -------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["a", "\u00e9", "\u20ac", ASTRAL])
@pytest.mark.parametrize(("delta", "ok"), [(-1, True), (0, True), (1, False)])
def test_metadata_size_in_utf8_bytes(char: str, delta: int, ok: bool) -> None:
    """metadata's compact JSON is at most 8192 UTF-8 bytes."""
    width = len(char.encode())
    count, rest = divmod(8192 + delta - len('{"k":""}'), width)
    metadata = {"k": char * count + "a" * rest}
    assert len(json.dumps(metadata, separators=(",", ":"), ensure_ascii=False).encode()) == (
        8192 + delta
    )
    assert fields_of(with_(metadata=metadata)) == ([] if ok else ["metadata"])


def test_metadata_size_uses_javascript_number_spelling() -> None:
    """1e20 is 21 bytes in JavaScript (5 in Python): 400 of them are over 8192."""
    assert fields_of(with_(metadata={"f": [1e20] * 400})) == ["metadata"]
    assert fields_of(with_(metadata={"f": [1.0] * 4000})) == []  # "1" in JavaScript


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (1e-6, "0.000001"),
        (0.1, "0.1"),
        (123.456, "123.456"),
        (2**60, "1152921504606847000"),
        (12345678901234567890, "12345678901234567000"),
        (10**400, "null"),
    ],
)
def test_js_number(number: float, text: str) -> None:
    """Numbers are measured as JSON.stringify writes the double the server parses."""
    assert js_number(number) == text


def test_json_size_stops_past_limit() -> None:
    """A huge metadata object is abandoned as soon as it passes the limit."""
    assert json_size_exceeds({"k": ["x" * 100] * 1_000_000}, 8192) is None


@pytest.mark.parametrize(
    "metadata",
    [{"a": float("nan")}, {"a": {1, 2}}, {1: "x"}, {"a": b"x"}, [], "x", None, {"a": 10**5000}],
)
def test_metadata_must_be_a_json_object(metadata: object) -> None:
    """NaN, sets, non-string keys, bytes, non-objects and null are refused; so is an int
    too long for json to write (it raised json's ValueError at sending)."""
    assert fields_of(with_(metadata=metadata)) == ["metadata"]


# -- the whole body ---------------------------------------------------------------------

MAX_BODY = 10 * 1024 * 1024  # the server's express.json() limit, in bytes as sent


def padded_to(size: int, char: str, **fields: Any) -> dict[str, Any]:
    """A body with ``fields`` whose origin is padded with ``char`` to ``size`` bytes as sent."""
    body = with_(origin="", **fields)
    short = len(encode_json(body))
    width = len(encode_json(char)) - 2
    body["origin"] = char * ((size - short) // width) + "o" * ((size - short) % width)
    assert len(encode_json(body)) == size
    return body


@pytest.mark.parametrize("char", ["o", "\u00e9", "\U0001f600", "\x1f", "\ud800"])
def test_body_size_limit_is_counted_in_bytes_as_sent(char: str) -> None:
    """Over 10 MiB as sent (UTF-8 and escapes counted), a body is refused by its largest field."""
    assert violations_of(padded_to(MAX_BODY, char)) == []
    ((field, rule),) = violations_of(padded_to(MAX_BODY + 1, char))
    assert field == "origin"
    assert rule == (
        f"makes the body {MAX_BODY + 1} bytes as sent; "
        f"the server refuses a body over {MAX_BODY} bytes"
    )


def test_body_size_limit_names_the_largest_field_in_every_form() -> None:
    """Keyword calls name the argument; the search route's body has the same limit."""
    big = "_" + "x" * MAX_BODY
    with pytest.raises(ValidationError) as caught:
        build_endpoint_request("scrape", JOB_ID, rating="bad", note="x", integration=big)
    assert [v.field for v in caught.value.violations] == ["integration"]
    search = {"rating": "bad", "querySuggestions": "q", "origin": "o" * MAX_BODY}
    with pytest.raises(ValidationError) as caught:
        search_request_from_body(JOB_ID, search)
    assert [v.field for v in caught.value.violations] == ["origin"]


def test_largest_body_the_spec_bounds_is_far_below_the_limit() -> None:
    """Every bounded field at its limit, in the widest characters: no size check is needed."""
    wide = "\x1f"  # six bytes as sent, one UTF-16 unit
    body = with_(
        endpoint="search",
        rating="bad",
        note=wide * 4000,
        querySuggestions=wide * 2000,
        valuableSources=[{"url": "https://e.co/" + "a" * 2035, "reason": wide * 1000}] * 50,
        missingContent=[{"topic": wide * 200, "description": wide * 2000}] * 50,
        pageNumbers=[2**53 - 1] * 100,
        metadata={"k": "\u00e9" * 4000},
    )
    assert violations_of(body) == []
    assert len(encode_json(body)) < MAX_BODY // 4


# -- URLs --------------------------------------------------------------------------------

# Verdicts of Node 20's WHATWG URL parser (new URL(...) and an http(s) protocol).
NODE_ACCEPTS = [
    "http://example.com", "HTTP://A", "https://a.b:443/x y?q#f", "http:example.com",
    "http:/a", "http:\\\\a", "http://a\\b", "http://@a", "http://u:p w@a", "http://a:",
    "http://a:65535", "http://a%41", "http://\u00e9xample.com", "http://\uff41.com",
    "http://a\u3002b", "http://xn--zca.com", "http://xn--ZCA.com", "http://xn--ls8h.la",
    "http://xn--abc-.com", "http://ab--cd.com", "http://-a-.com", "http://a..b", "http://.",
    "http://a.%C2%AD", "http://0x", "http://1.2.3.4.", "http://4294967295", "http://0xffffffff",
    "http://[::1]", "http://[::ffff:1.2.3.4]", "http://\u0915\u094d\u200c.com",
    "http://\u00df.com", "http://\u03c2.com", "http://\U0001f600.com", "http://a#b",
    "http://a?b", "http://exa\nmple.com", "http://example.com\t/",
]  # fmt: skip
NODE_REJECTS = [
    "", "example.com", "//a", "ftp://a", "mailto:a@b", "https:", "http://", "http://:80",
    "http://user@", "http://a b/", "http://a:65536", "http://a:8a", "http://a:+80",
    "http://[::1", "http://[1:2:3:4:5:6:7:8:9]", "http://[::1.2.3]", "http://[v1.x]",
    "http://[::1]x", "http://1.2.3.999", "http://4294967296", "http://08", "http://foo.09",
    "http://a.b.c.d.1", "http://%ff.com", "http://%C2%AD", "http://a%zz", "http://ex%2Fample",
    "http://xn--a.com", "http://xn--.com", "http://xn--ls8h\u00e9.com", "http://a\uff0fb",
    "http://\u2100.com", "http://\ue000.com", "http://\U000e0001.com", "http://\u0378.com",
    "http://\u0300a.com", "http://a\u200db", "http://\u200d.com", "http://\u094d\u200c.com",
    "http://\u05d0a.com", "http://x\x00y", "http://a<b", "http://a^b", "http://a|b",
]  # fmt: skip


@pytest.mark.parametrize("url", NODE_ACCEPTS)
def test_urls_node_accepts_are_accepted(url: str) -> None:
    """Never reject a URL the server's parser accepts."""
    assert http_url_problem(url) is None


@pytest.mark.parametrize("url", NODE_REJECTS)
def test_urls_node_rejects_are_rejected(url: str) -> None:
    """Reject what the server's parser rejects, with a reason."""
    assert http_url_problem(url)


# Node 20's verdicts on NUL: WHATWG strips it at the ends, percent-encodes it in
# userinfo, path, query and fragment, and forbids it in a host or a scheme.
NODE_NUL_VERDICTS = [
    ("http://a.com/x\x00y", True),
    ("http://1.2.3.4/x\x00y", True),
    ("http://m\u00fcnchen.de/?\x00#\x00", True),
    ("http://u\x00@1.2.3.4", True),
    ("\x00http://1.2.3.4", True),
    ("http://1.2.3.4:8\x00", True),
    ("http://a\x00b.com", False),
    ("http://[::1\x00]", False),
    ("ht\x00tp://a.com", False),
]


@pytest.mark.parametrize(("url", "ok"), NODE_NUL_VERDICTS)
def test_urls_with_a_nul_as_node_reads_them(url: str, ok: bool) -> None:
    """A NUL does not end the string the parser sees (ada-url gets bytes and a length)."""
    assert (http_url_problem(url) is None) is ok


def test_urls_give_the_reason_of_their_failure() -> None:
    """A URL that does not parse and one with another scheme get different reasons."""
    assert "absolute URL" in (http_url_problem("example.com/page") or "")
    assert "http or https scheme" in (http_url_problem("ftp://example.com") or "")


@given(st.from_regex(re.compile(_PLAIN_HTTP_URL), fullmatch=True))
@example("http://xn--a")  # near misses a random draw rarely reaches
@example("http://a.xn--a")
@example("http://xn--a.com")
@example("http://a.0x")
@example("http://a9.com:9999/\ud800")
@settings(max_examples=500, derandomize=True, deadline=None)
def test_the_plain_url_shortcut_only_accepts_what_ada_accepts(url: str) -> None:
    """The fast path decides without the parser: it must be a subset of what Ada accepts."""
    if re.fullmatch(_PLAIN_HTTP_URL, url):
        assert ada_url.check_url(as_usv(url))
        assert ada_url.URL(as_usv(url)).protocol in ("http:", "https:")


@pytest.mark.parametrize(("size", "ok"), [(2047, True), (2048, True), (2049, False)])
def test_url_length_after_trimming(size: int, ok: bool) -> None:
    """url is at most 2048 code units after trimming."""
    url = "http://a/" + "p" * (size - len("http://a/"))
    assert fields_of(with_(url="\u3000" + url + " ")) == ([] if ok else ["url"])


def test_url_is_sent_trimmed() -> None:
    """The stored value is the trimmed one."""
    assert endpoint_request_from_body(with_(url="\ufeff https://a.b/ \n")).url == "https://a.b/"


# -- job IDs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("job_id", "ok"),
    [
        (JOB_ID, True),
        (JOB_ID.upper(), True),
        (f" {JOB_ID}\t", False),  # z.uuid() does not trim
        (str(uuid.uuid1()), True),
        (str(uuid.uuid4()), True),
        ("00000000-0000-0000-0000-000000000000", True),
        ("ffffffff-ffff-ffff-ffff-ffffffffffff", True),
        ("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", False),  # zod spells the max UUID in lower case
        ("0190c2a4-7d6b-0c3a-9e2b-5f0a1b2c3d4e", False),
        ("0190c2a4-7d6b-9c3a-9e2b-5f0a1b2c3d4e", False),
        ("0190c2a4-7d6b-7c3a-7e2b-5f0a1b2c3d4e", False),
        ("0190c2a4-7d6b-7c3a-ce2b-5f0a1b2c3d4e", False),
        ("0190c2a47d6b7c3a9e2b5f0a1b2c3d4e", False),
        ("{" + JOB_ID + "}", False),
        ("", False),
        (5, False),
    ],
)
def test_job_id_is_an_rfc_uuid(job_id: object, ok: bool) -> None:
    """jobId: hyphenated, version 1-8, variant 8/9/a/b; nil and max pass."""
    assert fields_of(with_(jobId=job_id)) == ([] if ok else ["jobId"])


@pytest.mark.parametrize("version", range(1, 9))
def test_job_id_versions_one_to_eight(version: int) -> None:
    """Every RFC version digit from 1 to 8 passes, sent in canonical lower case."""
    job_id = f"0190C2A4-7D6B-{version}C3A-9E2B-5F0A1B2C3D4E"
    assert str(endpoint_request_from_body(with_(jobId=job_id)).job_id) == job_id.lower()


def test_search_path_job_id_is_checked() -> None:
    """The search route's path job ID must be a UUID too."""
    with pytest.raises(ValidationError) as caught:
        search_request_from_body("12345", {"rating": "bad", "querySuggestions": "q"})
    assert [v.field for v in caught.value.violations] == ["job_id"]


@pytest.mark.parametrize(("job_id", "kind"), [(7, "number"), (None, "null"), ([], "array")])
def test_search_path_job_id_of_another_type_is_named_in_json_terms(
    job_id: object, kind: str
) -> None:
    """As for body fields: an agent sending JSON reads "number", not Python's "int"."""
    with pytest.raises(ValidationError) as caught:
        search_request_from_body(job_id, {"rating": "bad", "querySuggestions": "q"})
    assert [str(v) for v in caught.value.violations] == [
        f"job_id: must be a UUID string or uuid.UUID; got {kind}"
    ]


# -- enums, integration, origin, nulls ---------------------------------------------------------


@pytest.mark.parametrize("rating", ["Good", " good", "excellent", None, 1])
def test_rating_is_an_exact_enum(rating: object) -> None:
    """rating is one of good, partial, bad, matched exactly."""
    assert fields_of(with_(rating=rating)) == ["rating"]


@pytest.mark.parametrize("endpoint", ["crawl", "SCRAPE", "", None])
def test_endpoint_is_an_exact_enum(endpoint: object) -> None:
    """endpoint is one of search, scrape, parse, map."""
    assert fields_of(with_(endpoint=endpoint)) == ["endpoint"]


@pytest.mark.parametrize(
    ("integration", "ok"),
    [
        ("dify", True),
        ("prometheus", True),
        (" n8n ", False),  # not trimmed: checked as sent
        ("_", True),
        ("_custom", True),
        ("Dify", False),
        ("unknown", False),
        ("", False),
        ("x_", False),
        (None, False),
    ],
)
def test_integration_values(integration: object, ok: bool) -> None:
    """integration: a known name or anything starting with "_"; never null."""
    assert fields_of(with_(integration=integration)) == ([] if ok else ["integration"])


def test_origin_defaults_to_api_and_null_is_refused() -> None:
    """origin is sent as "api" when absent; JSON null is rejected."""
    assert endpoint_request_from_body(BASE).to_dict()["origin"] == "api"
    assert fields_of(with_(origin=None)) == ["origin"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (with_(url=None), "url"),
        (with_(issues=None), "issues"),
        (with_(tags=None), "tags"),
        (with_(note=None), "note"),
        (with_(valuableSources=None), "valuableSources"),
        (with_(missingContent=None), "missingContent"),
        (with_(querySuggestions=None), "querySuggestions"),
        (with_(pageNumbers=None), "pageNumbers"),
        (with_(metadata=None), "metadata"),
        (with_(valuableSources=[{"url": "https://a.b", "reason": None}]),
         "valuableSources[0].reason"),
        (with_(missingContent=[{"topic": "t", "description": None}]),
         "missingContent[0].description"),
    ],
)  # fmt: skip
def test_every_optional_field_refuses_null(body: dict[str, Any], field: str) -> None:
    """zod's .optional() is not .nullable(): JSON null is refused wherever a key may be left out."""
    assert violations_of(body) == [(field, "must not be null (leave it out instead)")]


def test_integration_is_omitted_when_absent() -> None:
    """No integration key is sent unless one was given."""
    assert "integration" not in endpoint_request_from_body(BASE).to_dict()


# -- unknown keys and shapes ------------------------------------------------------------------


def test_unknown_keys_at_every_level() -> None:
    """Unknown keys are refused at the top level and inside items, each with its path."""
    body = with_(
        extraField=1,
        valuableSources=[{"url": "https://a.b", "why": "x"}],
        missingContent=[{"topic": "t", "detail": "x"}],
    )
    assert fields_of(body) == [
        "extraField", "missingContent[0].detail", "valuableSources[0].why"
    ]  # fmt: skip


@pytest.mark.parametrize("body", [[], "x", None, 1])
def test_body_must_be_an_object(body: object) -> None:
    """A body that is not a JSON object is reported at "body"."""
    assert fields_of(body) == ["body"]


def test_required_fields() -> None:
    """endpoint, jobId and rating are required on POST /feedback."""
    assert fields_of({"note": "x"}) == ["endpoint", "jobId", "rating"]


def test_search_field_not_allowed_on_search_route() -> None:
    """The search route refuses POST /feedback-only fields."""
    with pytest.raises(ValidationError) as caught:
        search_request_from_body(JOB_ID, {"rating": "bad", "querySuggestions": "q", "note": "x"})
    assert [v.field for v in caught.value.violations] == ["note"]


# -- cross-field rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signal",
    [
        {"issues": ["a"]},
        {"tags": ["a"]},
        {"note": "n"},
        {"querySuggestions": "q"},
        {"url": "https://a.b"},
        {"pageNumbers": [1]},
        {"valuableSources": [{"url": "https://a.b"}]},
        {"missingContent": [{"topic": "t"}]},
    ],
)
def test_each_substantive_signal_is_enough(signal: dict[str, Any]) -> None:
    """Any one non-empty signal satisfies POST /feedback (tags included)."""
    body = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "good", **signal}
    assert fields_of(body) == []


@pytest.mark.parametrize(
    "empty",
    [
        {},
        {"note": " \u3000\n"},
        {"issues": []},
        {"querySuggestions": "\ufeff"},
        {"metadata": {"a": 1}},
        {"origin": "x"},
    ],
)
def test_no_signal_is_refused(empty: dict[str, Any]) -> None:
    """Without a signal left after trimming, the body is refused at "body"."""
    body = {"endpoint": "map", "jobId": JOB_ID, "rating": "bad", **empty}
    assert fields_of(body) == ["body"]


SOURCES = {"valuableSources": [{"url": "https://a.b"}]}
MISSING = {"missingContent": [{"topic": "t"}]}
QUERY = {"querySuggestions": "q"}


@pytest.mark.parametrize(
    ("rating", "signal", "ok"),
    [
        ("good", SOURCES, True),
        ("good", MISSING, False),
        ("good", QUERY, False),
        ("partial", SOURCES, True),
        ("partial", MISSING, True),
        ("partial", QUERY, False),
        ("bad", SOURCES, False),
        ("bad", MISSING, True),
        ("bad", QUERY, True),
        ("bad", {"missingContent": []}, False),
    ],
)
def test_search_rating_rules_on_both_routes(rating: str, signal: dict[str, Any], ok: bool) -> None:
    """good needs sources; partial sources or missing; bad missing or query suggestions."""
    body = {"endpoint": "search", "jobId": JOB_ID, "rating": rating, "note": "n", **signal}
    assert fields_of(body) == ([] if ok else ["rating"])
    try:
        search_request_from_body(JOB_ID, {"rating": rating, **signal})
        search_ok = True
    except ValidationError:
        search_ok = False
    assert search_ok == ok


def test_non_search_endpoint_has_no_rating_rules() -> None:
    """A "good" scrape rating with only a note is fine."""
    assert fields_of({"endpoint": "scrape", "jobId": JOB_ID, "rating": "good", "note": "n"}) == []


# -- many violations at once ------------------------------------------------------------------


def test_every_violation_is_reported_with_its_path() -> None:
    """All problems come back together, each under its path as the body spells it."""
    body = {
        "endpoint": "crawl",
        "jobId": "nope",
        "rating": "good",
        "issues": ["ok", "Bad"],
        "note": "n" * 4001,
        "valuableSources": [{"url": "https://a.b"}, {"url": "x"}, {"url": "ftp://a"}],
        "missingContent": [{"description": "d"}],
        "pageNumbers": [1, 0],
        "integration": "nope",
        "origin": None,
    }
    assert fields_of(body) == [
        "endpoint", "integration", "issues[1]", "jobId", "missingContent[0].topic", "note",
        "origin", "pageNumbers[1]", "valuableSources[1].url", "valuableSources[2].url",
    ]  # fmt: skip


def test_secret_looking_values_are_not_echoed() -> None:
    """A value that looks like an API key never appears in a message."""
    key = "fc-0123456789abcdef0123456789abcdef"
    with pytest.raises(ValidationError) as caught:
        endpoint_request_from_body(with_(integration=key, issues=[key]))
    assert key not in str(caught.value)


def test_keyword_api_reports_the_same_paths() -> None:
    """build_endpoint_request names fields the way its arguments are spelled."""
    with pytest.raises(ValidationError) as caught:
        build_endpoint_request(
            endpoint="scrape",
            job_id=JOB_ID,
            rating="bad",
            page_numbers=[1, -2],
            query_suggestions="q" * 2001,
            valuable_sources=["https://a.b", "nope"],
        )
    assert [v.field for v in caught.value.violations] == [
        "page_numbers[1]", "query_suggestions", "valuable_sources[1].url"
    ]  # fmt: skip


def test_a_thousand_violations_are_listed_and_the_rest_counted() -> None:
    """A body of 5,000 unknown keys: 1,000 named, one line for the rest."""
    found = violations_of(with_(**{f"k{i}": 0 for i in range(5000)}))
    assert [field for field, _ in found[:1000]] == [f"k{i}" for i in range(1000)]
    assert found[1000:] == [("body", "breaks 4000 more rules, not listed")]
