"""The client's verdict on wire-form bodies agrees with an independent oracle of the server's rules.

``firecrawl_feedback.testing._rules.validate`` is written from the server
reference without reading the spec; the client reads its limits from the
spec. Bodies are generated near every boundary, and the two must agree on
accept / reject.

The oracle judges each body as the server's JSON.parse reads it: the client
sends strings with ``\\u`` escapes, so unpaired surrogates arrive as such and a
high and a low surrogate written as two code points arrive as one character.
Bodies draw lone surrogates in every string field.

Known, deliberate divergences are kept out of the generated bodies: the client
also refuses what it cannot send (NaN/Infinity in metadata), which never
reaches the server. Runs are derandomized: the same examples every time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from firecrawl_feedback._errors import ValidationError
from firecrawl_feedback._validation import endpoint_request_from_body, search_request_from_body
from firecrawl_feedback.testing._rules import PATH_UUID_PATTERN, validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JS_SPACES = "\t\n\v\f\r \u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_JS_SPACES = "\x1c\x1f\x85\u180e\u200b"
ASTRAL = "\U0001f600"
LONE_HIGH = "\ud800"
LONE_LOW = "\udc00"
JOB_ID = "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e"

padding = st.text(alphabet=JS_SPACES, max_size=3)


@st.composite
def sized_text(draw: st.DrawFn, limit: int, alphabet: str = "ab\u00e9\ud800\udc00") -> str:
    """A string whose trimmed UTF-16 length is near ``limit`` (astral chars count 2)."""
    target = draw(st.sampled_from([0, 1, limit - 1, limit, limit + 1, limit + 2]))
    target = max(target, 0)
    astral = draw(st.integers(0, min(3, target // 2)))
    core = ASTRAL * astral + draw(st.sampled_from(alphabet)) * (target - 2 * astral)
    if draw(st.booleans()):
        core = core[: max(len(core) - 1, 0)] + draw(st.sampled_from(NOT_JS_SPACES))
    return draw(padding) + core + draw(padding)


URL_SHAPES = (
    "https://example.com",
    "http://example.com/a b",
    "HTTP://EXAMPLE.COM",
    "http:example.com",
    "http:\\\\example.com\\x",
    "https://user:pa ss@example.com:443/p?q#f",
    "http://exa mple.com",
    "http://example.com:65535",
    "http://example.com:65536",
    "http://example.com:8a",
    "http://[::1]:8080/",
    "http://[::1",
    "http://[1:2:3:4:5:6:7:8:9]",
    "http://[::ffff:1.2.3.4]",
    "http://1.2.3.4",
    "http://1.2.3.256",
    "http://0x7f.1",
    "http://08",
    "http://foo.09",
    "http://m\u00fcnchen.de",
    "http://\u4f8b\u3048.jp",
    "http://xn--mnchen-3ya.de",
    "http://xn--a.com",
    "http://ex%41mple.com",
    "http://ex%2Fample.com",
    "http://%zz.com",
    "http://a\uff0fb.com",
    "http://@example.com",
    "http://user@",
    "http://",
    "ftp://example.com",
    "mailto:a@b.c",
    "example.com",
    "//example.com",
    "",
    "   ",
    "http://a/" + "p" * 2038,
    "http://a/" + "p" * 2039,
    "http://a/" + "p" * 2040,
    "https://example.com/\ud800",
    "https://u\udc00@example.com",
    "http://\ud800.com",
    "http://exa\udfffmple.com",
    "http://\ud83d\ude00.com",  # two code points, one emoji once the server parses them
    "http://example.com:80\ud800",
)
URLS = st.sampled_from(URL_SHAPES)
padded_url = st.builds(lambda a, u, b: a + u + b, padding, URLS, padding)

JOB_ID_SAMPLES = (
    JOB_ID,
    JOB_ID.upper(),
    " " + JOB_ID + "\u3000",
    "3b241101-e2bb-4255-8caf-4136c566a962",  # version 4
    "c232ab00-9414-11ec-b3c8-9f6bdeced846",  # version 1
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    "00000000-0000-0000-0000-000000000000\n",
    JOB_ID + "\ud800",
    "0190c2a4-7d6b-0c3a-9e2b-5f0a1b2c3d4e",  # version 0
    "0190c2a4-7d6b-9c3a-9e2b-5f0a1b2c3d4e",  # version 9
    "0190c2a4-7d6b-7c3a-7e2b-5f0a1b2c3d4e",  # variant 7
    "0190c2a47d6b7c3a9e2b5f0a1b2c3d4e",  # no hyphens
    "{0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e}",
    "not-a-uuid",
)
JOB_IDS = st.sampled_from(JOB_ID_SAMPLES)
INTEGRATIONS = st.sampled_from(
    [
        "dify",
        "zapier",
        "cli",
        "prometheus",
        " n8n ",
        "_mine",
        "_",
        "Dify",
        "unknown",
        "",
        "x_",
        " zapier",
        "zapier\n",
        "_\ud800",
        "\udc00",
    ]
)
labels = st.sampled_from(
    [
        "ok",
        "a-b_c",
        "0x",
        " padded ",
        "Upper",
        "-lead",
        "_lead",
        "a b",
        "",
        "\u00e9",
        "a" * 80,
        "a" * 81,
        "a\n",
        "a\ud800",
        "\udc00",
    ]
)


def counted(items: st.SearchStrategy[Any], limit: int) -> st.SearchStrategy[list[Any]]:
    """Lists whose length is near ``limit`` (or small)."""
    sizes = st.sampled_from([0, 1, 2, limit - 1, limit, limit + 1])
    return sizes.flatmap(lambda n: st.lists(items, min_size=n, max_size=n))


sources = st.fixed_dictionaries(
    {"url": padded_url}, optional={"reason": sized_text(1000), "extra": st.just(1)}
)
contents = st.fixed_dictionaries(
    {"topic": sized_text(200)}, optional={"description": sized_text(2000), "extra": st.just(1)}
)
small_sources = st.lists(sources, max_size=2) | counted(st.just({"url": "https://a.b"}), 50)
small_contents = (
    st.lists(contents, max_size=2)
    | counted(st.just({"topic": "t"}), 20)
    | counted(st.just({"topic": "t"}), 50)
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet='a\u00e9"\\\n\U0001f600\ud800\udc00', max_size=5)
)


@st.composite
def metadata(draw: st.DrawFn) -> object:
    """Objects whose compact JSON is near 8192 bytes, with floats written differently by JS."""
    kind = draw(st.sampled_from(["sized", "floats", "nested", "wrong"]))
    if kind == "wrong":
        return draw(st.sampled_from([None, [], "x", 1]))
    if kind == "nested":
        return draw(st.dictionaries(st.text(max_size=3), json_scalars, max_size=4))
    if kind == "floats":
        count = draw(st.integers(300, 420))
        return {"f": [1e20] * count}  # "1e+20" in Python, 21 characters in JavaScript
    target = draw(st.sampled_from([8190, 8191, 8192, 8193, 8194]))
    char = draw(st.sampled_from(["a", "\u00e9", "\u20ac", ASTRAL, '"', LONE_HIGH, LONE_LOW]))
    width = {"a": 1, "\u00e9": 2, "\u20ac": 3, ASTRAL: 4, '"': 2, LONE_HIGH: 6, LONE_LOW: 6}[char]
    overhead = len('{"k":""}')
    count, rest = divmod(target - overhead, width)
    return {"k": char * count + "a" * rest}


page_numbers = st.lists(
    st.sampled_from([1, 2, 0, -1, 1.0, 1.5, True, "1", 2**53 - 1, 2**53, 2**53 + 1.0]),
    max_size=3,
) | counted(st.just(1), 100)

common_fields: dict[str, st.SearchStrategy[Any]] = {
    "valuableSources": small_sources | st.sampled_from([None, "x", [1]]),
    "missingContent": small_contents | st.sampled_from([None, {}]),
    "querySuggestions": sized_text(2000) | st.sampled_from([None, 5]),
    "origin": st.sampled_from(["api", " web ", "", None, 3, LONE_HIGH, "\u3000app"]),
    "integration": INTEGRATIONS | st.none(),
    "unknownKey": st.just("x"),
}
ratings = st.sampled_from(["good", "partial", "bad"]) | st.sampled_from(["Good", " good", None])


search_only_fields = {**common_fields, "rating": ratings}
feedback_fields = {
    **search_only_fields,
    "endpoint": st.sampled_from(["search", "scrape", "parse", "map", "crawl", "Scrape"]),
    "jobId": JOB_IDS | st.sampled_from([None, 5]),
    "url": padded_url | st.just(None),
    "issues": counted(labels, 20),
    "tags": counted(labels, 20),
    "note": sized_text(4000),
    "pageNumbers": page_numbers,
    "metadata": metadata(),
}
VALID_SIGNALS: dict[str, Any] = {
    "valuableSources": [{"url": "https://example.com"}],
    "missingContent": [{"topic": "pricing"}],
    "querySuggestions": "try synonyms",
}


@st.composite
def body_near_limits(draw: st.DrawFn, fields: dict[str, Any], base: dict[str, Any]) -> Any:
    """A valid body with one to three fields redrawn near their limits, or a key dropped."""
    body = dict(base)
    for key in draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3)):
        body[key] = draw(fields[key])
    if draw(st.integers(0, 15)) == 0:
        body.pop(draw(st.sampled_from(sorted(body))), None)
    if draw(st.integers(0, 40)) == 0:
        return draw(st.sampled_from([[], "body", None]))
    return body


RATING_FOR_SIGNAL = {
    "valuableSources": "good",
    "missingContent": "partial",
    "querySuggestions": "bad",
}
valid_search_bodies = st.sampled_from(
    [{"rating": RATING_FOR_SIGNAL[key], key: value} for key, value in VALID_SIGNALS.items()]
)


@st.composite
def search_body(draw: st.DrawFn) -> Any:
    return draw(body_near_limits(search_only_fields, draw(valid_search_bodies)))


@st.composite
def feedback_body(draw: st.DrawFn) -> Any:
    base = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "note": "broken"}
    if draw(st.booleans()):
        base = {**draw(valid_search_bodies), "endpoint": "search", "jobId": JOB_ID}
    return draw(body_near_limits(feedback_fields, base))


def as_server_parses(body: object) -> object:
    """The body after the client's JSON encoding (\\u escapes) and the server's JSON.parse."""
    return json.loads(json.dumps(body))


def client_accepts_feedback(body: object) -> bool:
    try:
        endpoint_request_from_body(body)
    except ValidationError:
        return False
    return True


def client_accepts_search(body: object) -> bool:
    try:
        search_request_from_body(JOB_ID, body)
    except ValidationError:
        return False
    return True


@settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=feedback_body())
def test_feedback_route_verdict_matches_oracle(body: object) -> None:
    """On POST /feedback the client accepts exactly the bodies the server's rules accept."""
    server_issues = validate("feedback", as_server_parses(body))
    assert client_accepts_feedback(body) == (not server_issues), server_issues


@settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=search_body())
def test_search_route_verdict_matches_oracle(body: object) -> None:
    """On the search route the client accepts exactly the bodies the server's rules accept."""
    server_issues = validate("search", as_server_parses(body))
    assert client_accepts_search(body) == (not server_issues), server_issues


@pytest.mark.parametrize("url", URL_SHAPES)
def test_every_sample_url_gets_the_same_verdict(url: str) -> None:
    """Each URL shape in the generator is judged alike by client and oracle."""
    body = {"endpoint": "scrape", "jobId": JOB_ID, "rating": "bad", "url": url}
    assert client_accepts_feedback(body) == (not validate("feedback", as_server_parses(body)))


@pytest.mark.parametrize("job_id", JOB_ID_SAMPLES)
def test_every_sample_job_id_gets_the_same_verdict_in_the_search_path(job_id: str) -> None:
    """The search route's path check (uuid's validate(), any case) agrees with the client's."""
    body = {"rating": "bad", "querySuggestions": "q"}
    try:
        search_request_from_body(job_id, body)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    assert accepted == (PATH_UUID_PATTERN.fullmatch(job_id) is not None)
