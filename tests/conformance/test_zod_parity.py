"""The client's verdicts against the server's own libraries: zod 4, uuid's validate, new URL().

Seeded random bodies, built from edge values (lengths at each limit in UTF-16
code units with astral characters and lone surrogates, every JavaScript
whitespace character and a few that are not, numbers JavaScript prints
differently, metadata at the 8192-byte limit, UUID and URL forms), go to the
client's validator and, as the same bytes, to zod's safeParse. The verdicts
must be equal; when both accept, the body the client sends must be stored as
the server stores the original (trimmed, nothing lost). The reference server's
rules (``testing._rules``) must give zod's verdict and stored body as well.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from firecrawl_feedback._api import encode_json
from firecrawl_feedback._errors import ValidationError
from firecrawl_feedback._jsvalues import js_trim
from firecrawl_feedback._urls import http_url_problem
from firecrawl_feedback._validation import endpoint_request_from_body, search_request_from_body
from firecrawl_feedback.testing._js import stringify
from firecrawl_feedback.testing._rules import PATH_UUID_PATTERN, stored, validate
from firecrawl_feedback.testing._url import is_http_url

from tests.conformance.zod_oracle import ZodOracle, missing


@pytest.fixture(scope="module")
def zod() -> Iterator[ZodOracle]:
    reason = missing()
    if reason is not None:
        pytest.skip(reason)
    with ZodOracle() as oracle:
        yield oracle


# JavaScript's trim() removes these (every one of them, written out: not _jsvalues' list);
# U+180E, U+0085, U+200B, U+2060, U+001C-U+001F and NUL it keeps.
JS_SPACES = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
NOT_SPACES = "\u180e\u0085\u200b\u2060\x1c\x1f\x00"
ODD = ("\ud800", "\udc00", "\U0001f600", "\ud83d\ude00", "\u00e9", "\u4e2d", "\uffff")
JOB_IDS = (
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e",  # first: valid, the likely pick
    "0190C2A4-7D6B-7C3A-9E2B-5F0A1B2C3D4E",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
    "Ffffffff-ffff-ffff-ffff-ffffffffffff",
    "0190c2a4-7d6b-0c3a-9e2b-5f0a1b2c3d4e",
    "0190c2a4-7d6b-9c3a-9e2b-5f0a1b2c3d4e",
    "0190c2a4-7d6b-8c3a-Be2b-5f0a1b2c3d4e",
    "0190c2a4-7d6b-1c3a-ce2b-5f0a1b2c3d4e",
    "0190c2a4-7d6b-0C3A-9E2B-5F0A1B2C3D4E",  # version 0, upper case
    "0190C2A4-7D6B-9C3A-9E2B-5F0A1B2C3D4E",  # version 9, upper case
    "0190c2a4-7d6b-8c3a-7e2b-5f0a1b2c3d4e",  # variant 7
    "0190c2a4-7d6b-8c3a-De2b-5f0a1b2c3d4e",  # variant d
    "0190c2a4-7d6b-8c3a-fe2b-5f0a1b2c3d4e",  # variant f
    "0190c2a4-7d6b-1c3a-AE2B-5f0a1b2c3d4e",  # variant A, version 1
    "00000000-0000-0000-0000-000000000001",  # version 0: not the nil UUID
    "ffffffff-ffff-ffff-ffff-fffffffffffe",
    "ffffffff-ffff-8fff-bfff-ffffffffffff",  # an ordinary version 8, variant b UUID
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4",
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e0",
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4g",
    "0190c2a4_7d6b_7c3a_9e2b_5f0a1b2c3d4e",
    "\uff10190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e",  # a full-width digit
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e\ufeff",
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e\ud800",
    "{0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e}",
    "urn:uuid:0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e",
    " 0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e",
    "0190c2a4-7d6b-7c3a-9e2b-5f0a1b2c3d4e\n",
    "0190c2a47d6b7c3a9e2b5f0a1b2c3d4e",
    "",
    5,
    None,
)
URLS = (
    "http://a.com", "https://x/", "http://0x7f.1/", "http://127.1", "http://a:65535",
    "http://a:65536", "http://u:p@h/", "http://", "http:example.com", "HTTP://X", "file:///etc",
    "javascript:alert(1)", "http://a\\b", "http://a\tb.com/", "http://a\nb/", "http://m\u00fcnchen.de",
    "http://xn--mnchen-3ya.de", "http://[::1]/", "http://1.2.3.256", "https://EXAMPLE.com:0",
    "http://a..b", "http:/a", "https:\\\\a", "//a", "ftp://a", "http://a b", "http://%41.com",
    "http://\ud800.com", "http://a/\ud800", "ws://a", "http://a.com#\x00", "http://\u180e.com",
    "http://\u200b.com", "http://a.com\u0085", "http://1.2.3.4.5", "http://4294967296", "http://a:",
    "http://@a", "http://:@a", "https://a%2eb", "http://xn--a.com", "http://\u00ad.com",
    "http:/x", "https:x", "http:\\\\x\\y", "http://user:pa ss@x.com/", "http://u@p@x.com",
    "http://a.com:80", "https://a.com:443/", "http://a.com:99999", "http://a.com:-1",
    "http://[::1]:8080/", "http://[1:2::3]", "http://[::ffff:1.2.3.4]", "http://b\u00fccher.de",
    "http://fa\u00df.de", "http://\u00df.de", "http://xn--zca.de", "http://\uff45\uff58.com",
    "http://a\u3002com", "http://a.com/ path?q= 1#f g", "ht\ttp://a.com", "http\n://a.com",
    "http://a.com/%zz", "http://%zz.com", "http://a%00.com", "http://a .com", "HTTPS://A.COM",
    "http://" + "a" * 63 + ".com", "http://" + "a" * 64 + ".com", "http://" + "a." * 127 + "b",
    "http://a.com./", "http://.a.com", "http://a_b.com", "http://-a-.com", "http://0", "http://0.0",
    "http://1.2.3", "http://08.1", "http://0x100000000", "http://a.1", "http://a.0x1", "http://a.09",
    "http://\u0130.com", "http://\u2168.com", "http://\ud83d\ude00.com", "http://\U0001f600.com",
    "http://a.com\\b", "http://a.com?\ud800", "http://a.com#\udc00", "https://a.com:0/",
)  # fmt: skip
LABELS = (
    "abc", "a-b_c", "-a", "_a", "A", "a b", "a\n", " ab ", "\u3000x\ufeff", "\u00e9", "", "   ",
    "a" * 80, "a" * 81, " " + "a" * 80 + "\t", 5, "a\u180e", None, "0", "9_-", "a-", "ab\u00a0",
    "\u0130", "\u212a", "\uff41", "a\ud800", "\U0001f600", "\u2060a", ["a"],
)  # fmt: skip
NUMBERS = (
    1, 3.0, -0.0, 0, 1e21, 2**53, 2**53 - 1, float(2**53 - 1), True, 1.5, -1, "1", None, 1e3, 1.0,
    float(2**53), 2**53 + 1, 2.0**53 + 2, 10**400, 1e-7, 0.99999999999999999, 1.0000000000000002,
    False, [1], {"n": 1}, -(2**53), 9007199254740991.5,
)  # fmt: skip
INTEGRATIONS = (
    "zapier", " zapier", "Zapier", "", "_", "_x", " _x", "cli\n", None, 5, "\ufeffcli",
    "prometheus", "hermes", "gstack", "_\ud800", "\uff3fx", "n8n\u180e", ["cli"],
)  # fmt: skip
ORIGINS = ("api", " padded ", "", None, 5, "\ud800", "\u3000app\ufeff", "a" * 5000, ["api"])
# Values JSON.stringify writes unlike Python's json.dumps (1e21, 1e-7, -0, big integers...).
METADATA_VALUES = (
    1e21, 1e-7, -0.0, 5e-324, 0.1, 1.7976931348623157e308, 123456789012345678901234567890,
    2**53 + 1, 1e300, 3.0, -1.5e-10, 1e20, 123e18, 0.30000000000000004, 12345678.9,
    "\u00e9", "\ud800", "\U0001f600", "\x00\x1f", '"\\', True, None, "\u2028",
)  # fmt: skip
METADATA_KEYS = ("k", "\u00e9", "\ud800", "\u4e2d\u6587", 'a"b', "\x7f", "\U0001f600", "", " ")
# Unknown keys: near misses of real ones, JavaScript's own property names. "__proto__" is
# an own property of what JSON.parse builds, which zod 4.4's strictObject skips: accepted.
UNKNOWN_KEYS = ("unknownKey", "job_id", "Rating", "rating ", "__proto__", "constructor", "toString")
PROTO = "__proto__"


class Bodies:
    """Random bodies; ``valid`` is how often each choice takes the likely-valid option."""

    def __init__(self, seed: int, valid: float, zod: ZodOracle) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (seeded: the same bodies on every run)
        self.valid = valid
        self.zod = zod

    def pick(self, options: tuple[Any, ...]) -> Any:
        return options[0] if self.rng.random() < self.valid else self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pad(self) -> str:
        return "".join(self.rng.choice(JS_SPACES + NOT_SPACES) for _ in range(self.pick((0, 1, 2))))

    def text(self, limit: int) -> str:
        """About ``limit`` UTF-16 code units (often exactly at it), padded at both ends."""
        if self.chance(self.valid):
            units = self.rng.choice((1, 2, 5, limit - 1, limit))
        else:
            units = self.rng.choice((0, 1, limit - 1, limit, limit + 1, self.rng.randint(0, limit)))
        chars: list[str] = []
        while units > 0:
            roll = self.rng.random()
            if roll < 0.85:
                char = self.rng.choice("abcxyz019_- ")
            elif roll < 0.93:
                char = self.rng.choice(ODD)
            else:
                char = self.rng.choice(JS_SPACES + NOT_SPACES)
            chars.append(char)
            units -= len(char.encode("utf-16-le", "surrogatepass")) // 2
        return self.pad() + "".join(chars) + self.pad()

    def url(self) -> str:
        url = self.pick(URLS)
        if self.chance(0.2):
            url += "/" + "p" * (2048 - len(url) + self.rng.choice((-2, -1, 0)))
        return self.pad() + url + self.pad()

    def metadata(self) -> dict[str, Any]:
        """Random nested metadata, padded to within a byte of the 8192-byte limit."""

        def value(depth: int) -> Any:
            roll = self.rng.random()
            if depth > 2 or roll < 0.5:
                return self.rng.choice(METADATA_VALUES)
            if roll < 0.75:
                return [value(depth + 1) for _ in range(self.rng.randint(0, 3))]
            nested = {
                self.rng.choice(METADATA_KEYS) + str(i): value(depth + 1)
                for i in range(self.rng.randint(0, 3))
            }
            if self.chance(0.1):
                # An own property of a nested object (z.any()): counted and stored.
                nested[PROTO] = value(depth + 1)
            return nested

        metadata = {f"m{i}": value(0) for i in range(self.rng.randint(0, 4))}
        size = self.zod.ask("stringify", encode_json(metadata).decode())["size"]
        room = 8192 - size - len('"zz":""') - (1 if metadata else 0)
        fill = max(0, room + self.rng.choice((-1, 0, 0, 1)))
        char = self.rng.choice(("a", "\u00e9", "\u4e2d", "\U0001f600"))
        width = len(char.encode())
        metadata["zz"] = char * (fill // width) + "a" * (fill % width)
        if self.chance(0.05):
            # zod's record skips it: neither measured (the body may pass 8192) nor stored.
            metadata[PROTO] = value(0) if self.chance(0.5) else "a" * 9000
        return metadata

    def common(self, body: dict[str, Any], missing_content_max: int) -> dict[str, Any]:
        if self.chance(0.97):
            body["rating"] = self.rng.choice(
                ("good", "partial", "bad")
                if self.chance(self.valid)
                else ("good", "partial", "bad", "Good", " bad", "BAD", "bad\u200b", None, 1)
            )
        if self.chance(0.5):
            body["valuableSources"] = self.items(
                lambda: self.spoil(
                    {"url": self.url()} | ({"reason": self.text(1000)} if self.chance(0.5) else {})
                ),
                50,
            )
        if self.chance(0.5):
            body["missingContent"] = self.items(
                lambda: self.spoil(
                    {"topic": self.text(200)}
                    | ({"description": self.text(2000)} if self.chance(0.5) else {})
                ),
                missing_content_max,
            )
        if self.chance(0.4):
            body["querySuggestions"] = self.text(2000)
        if self.chance(0.3):
            body["origin"] = self.pick(ORIGINS)
        if self.chance(0.3):
            body["integration"] = self.pick(INTEGRATIONS)
        return body

    def items(self, make: Callable[[], Any], limit: int) -> list[Any]:
        """A list of about ``limit`` items (often exactly), at times with repeats or a null."""
        items = [make() for _ in range(self.pick((1, 0, 2, limit, limit + 1)))]
        if items and self.chance(0.05):
            items.append(items[0])  # duplicates: the server has no uniqueness rule
        if items and self.chance(0.01):
            items[self.rng.randrange(len(items))] = None
        return items

    def spoil(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Now and then an unknown key, or JSON null for one of ``obj``'s keys."""
        if self.chance(0.02):
            obj[self.rng.choice(UNKNOWN_KEYS)] = self.rng.choice((1, None, "x"))
        if obj and self.chance(0.02):
            obj[self.rng.choice(sorted(obj))] = None
        return obj

    def feedback(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.chance(0.97):
            body["endpoint"] = self.rng.choice(
                ("search", "scrape", "parse", "map")
                if self.chance(self.valid)
                else ("search", "scrape", "Scrape", "crawl", " map", "parse\n", None)
            )
        if self.chance(0.97):
            body["jobId"] = self.pick(JOB_IDS)
        self.common(body, 50)
        if self.chance(0.4):
            body["url"] = self.url()
        for key in ("issues", "tags"):
            if self.chance(0.3):
                body[key] = self.items(lambda: self.pick(LABELS), 20)
        if self.chance(0.4):
            body["note"] = self.text(4000)
        if self.chance(0.3):
            body["pageNumbers"] = self.items(
                lambda: self.pick(NUMBERS) if self.chance(0.3) else self.rng.randint(1, 9), 100
            )
        if self.chance(0.3):
            body["metadata"] = (
                self.metadata() if self.chance(0.7) else self.pick(({}, [], None, "x", [["k", 1]]))
            )
        return self.spoil(body)


def _client(route: str, body: dict[str, Any], path_id: object) -> tuple[bool, Any]:
    """(accepted, the body the client sends) or (False, the violations)."""
    try:
        if route == "feedback":
            model = endpoint_request_from_body(body)
        else:
            _, model = search_request_from_body(path_id, body)
    except ValidationError as error:
        return False, [(v.field, v.rule) for v in error.violations]
    return True, model.to_dict()


def _disagreements(zod: ZodOracle, seed: int, valid: float, count: int) -> list[str]:
    bodies = Bodies(seed, valid, zod)
    found: list[str] = []
    for _ in range(count):
        route = bodies.rng.choice(("feedback", "search"))
        body = bodies.feedback() if route == "feedback" else bodies.common({}, 20)
        path_id = bodies.pick(JOB_IDS) if route == "search" else None
        # The bytes the client would send for this body, lone surrogates as \u escapes.
        raw = encode_json(body).decode()
        if body and bodies.chance(0.03):
            # A key twice, as a batch line may hold it: JSON.parse and the batch reader's
            # json.loads both keep the last value (at the first one's place).
            key = bodies.rng.choice(sorted(body))
            other = bodies.feedback() if route == "feedback" else bodies.common({}, 20)
            raw = raw[:-1] + "," + encode_json({key: other.get(key, "x")}).decode()[1:]
            body = json.loads(raw)
        zod_path_id = path_id if isinstance(path_id, str) else json.dumps(path_id)
        server = zod.ask(route, raw, zod_path_id)
        found += _fake_disagreement(route, raw, zod_path_id, server)
        accepted, sent = _client(route, body, path_id)
        if accepted != server["ok"]:
            found.append(f"{route} {body!a}: client {sent!a}, server {server.get('issues')!a}")
        elif accepted:
            stored = zod.ask(route, encode_json(sent).decode(), zod_path_id)
            wanted = server["data"]
            if "origin" not in body:  # the client names itself when the caller does not
                del wanted["origin"], stored["data"]["origin"]
            if "jobId" in wanted:  # the client sends the canonical lower-case form
                wanted["jobId"] = wanted["jobId"].lower()
            if stored != {"ok": True, "data": wanted}:
                found.append(f"{route} {body!a}: server stores {wanted!a}, client sent {sent!a}")
    return found


def _fake_disagreement(route: str, raw: str, path_id: str, server: dict[str, Any]) -> list[str]:
    """The reference server's verdict and stored body for the same bytes, if not zod's."""
    parsed = json.loads(raw)  # as FakeFirecrawl parses a request body
    if _has_skipped_key(parsed):
        return []  # the fake's one deliberate difference (README): "__proto__" is a key
    path_ok = route == "feedback" or PATH_UUID_PATTERN.fullmatch(path_id) is not None
    issues = validate(route, parsed) if path_ok else ["path"]  # type: ignore[arg-type]
    if (issues == []) != server["ok"]:
        return [f"fake {route} {path_id!a} {raw!a}: fake {issues!a}, server {server!a}"]
    # Numbers compared as JavaScript writes them (zod's answer went through JSON.stringify).
    if server["ok"] and json.loads(stringify(stored(parsed))) != server["data"]:
        return [f"fake {route} {raw!a}: fake stores {stored(parsed)!a}, server {server['data']!a}"]
    return []


def _has_skipped_key(body: object) -> bool:
    """A "__proto__" key where zod skips it: in a strict object, or metadata's own keys."""
    if not isinstance(body, dict):
        return False
    objects = [body, body.get("metadata")]
    for key in ("valuableSources", "missingContent"):
        items = body.get(key)
        objects += items if isinstance(items, list) else []
    return any(isinstance(obj, dict) and PROTO in obj for obj in objects)


@pytest.mark.parametrize(("seed", "valid"), [(1, 0.9), (2, 0.9), (3, 0.3), (4, 0.6)])
def test_body_verdicts_and_stored_values_match_zod(zod: ZodOracle, seed: int, valid: float) -> None:
    """Accept exactly what the server's zod schemas accept; send what the server would store.

    The reference server (FakeFirecrawl's rules) gives zod's verdict and stored body too.
    """
    assert _disagreements(zod, seed, valid, 1500)[:5] == []


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("feedback", {"__proto__": {"x": 1}, "endpoint": "map", "jobId": JOB_IDS[0],
                      "rating": "bad", "note": "n"}),
        ("search", {"rating": "good", "valuableSources": [{"url": "http://a.b", "__proto__": 1}]}),
        ("search", {"rating": "bad", "missingContent": [{"topic": "t", "__proto__": None}]}),
        ("feedback", {"endpoint": "map", "jobId": JOB_IDS[0], "rating": "bad", "note": "n",
                      "metadata": {"__proto__": "a" * 9000, "k": 1}}),
    ],
)  # fmt: skip
def test_proto_keys_are_skipped_by_zod_and_left_out_by_the_client(
    zod: ZodOracle, route: str, body: dict[str, Any]
) -> None:
    """zod 4.4 skips an own "__proto__" key (strictObject, record): accepted, never stored."""
    server = zod.ask(route, encode_json(body).decode(), JOB_IDS[0])
    assert server["ok"] and PROTO not in json.dumps(server["data"])
    accepted, sent = _client(route, body, JOB_IDS[0])
    assert accepted and zod.ask(route, encode_json(sent).decode(), JOB_IDS[0]) == server


def test_url_verdicts_match_new_url(zod: ZodOracle) -> None:
    """Every URL Node's parser accepts with http(s), and no other, passes (after trimming)."""
    rng = random.Random(4)  # noqa: S311 (seeded: the same URLs on every run)
    schemes = ("http", "https", "HTTP", "hTtPs", "ftp", "file", "javascript", "", "h ttp")
    separators = ("://", ":", ":/", ":\\\\", "://\\", ":///", "//", ":\t//")
    parts = (
        "a", "example.com", "xn--", "xn--mnchen-3ya", "m\u00fcnchen", "0x7f", "1", "127.0.0.1",
        "256", "[::1]", "[", "]", "%41", "%", "..", ".", "@", "u:p@", ":", "80", "65535", "65536",
        "\t", "\n", " ", "\\", "/", "?", "#", "\u00ad", "\u00df", "\ufb00", "\u200b", "\u180e",
        "\ud800", "\U0001f600", "-", "_", "*", "\x00", "\x7f", "\u0130", "\u2168", "\u3002",
        "\uff0e", "09", "0x", "4294967296", "%2e", "xn--a", "\uff41", "\u0300", "\ufeff", "<",
        "^", "|", "%00", "com", "user:pa ss@", "u@p@", ":8080", ":99999", ":-1", "%zz", "a" * 63,
        "a" * 64, "\u00df", "\u03c2", "\u200d", "\u0301", "[::ffff:1.2.3.4]", "[1:2::3]", "0.0",
    )  # fmt: skip
    disagree = []
    for _ in range(3000):
        url = js_trim(
            rng.choice(schemes)
            + rng.choice(separators)
            + "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        )
        node_ok = zod.ask("url", url)["ok"]
        if (http_url_problem(url) is None) != node_ok or is_http_url(url) != node_ok:
            disagree.append((url, node_ok))
    assert disagree[:5] == []
