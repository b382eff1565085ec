"""Construction, environment, options, closing, logging and secrets."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import re
from pathlib import Path
from typing import Any

import firecrawl_feedback as ff
import httpx
import pytest
from firecrawl_feedback import AsyncFeedbackClient, FeedbackClient
from firecrawl_feedback._logging import redact

from tests.wrapper._mock import API_KEY, JOB, ok, scripted

SCRAPE = {"rating": "partial", "tags": ["pricing"]}
SEARCH = {"rating": "bad", "query_suggestions": "pricing pages"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FIRECRAWL_API_KEY", "FIRECRAWL_API_URL", "FIRECRAWL_LOG"):
        monkeypatch.delenv(name, raising=False)


def test_no_key_anywhere_is_a_clear_error() -> None:
    """Without an argument or FIRECRAWL_API_KEY, construction fails and says how to fix it."""
    with pytest.raises(ff.ConfigurationError, match="FIRECRAWL_API_KEY"):
        FeedbackClient()
    with pytest.raises(ff.ConfigurationError):
        AsyncFeedbackClient(api_key="   ")


def test_environment_is_read_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key and base URL come from the environment when the client is built, not at import."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", "fc-from-env")
    monkeypatch.setenv("FIRECRAWL_API_URL", "https://self-hosted.example.com/")
    client = FeedbackClient()
    assert client.base_url == "https://self-hosted.example.com/v2"
    monkeypatch.setenv("FIRECRAWL_API_URL", "https://other.example.com")
    assert FeedbackClient().base_url == "https://other.example.com/v2"
    assert (
        FeedbackClient(base_url="https://arg.example.com").base_url == "https://arg.example.com/v2"
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.firecrawl.dev", "https://api.firecrawl.dev/v2"),
        ("https://api.firecrawl.dev/", "https://api.firecrawl.dev/v2"),
        ("https://api.firecrawl.dev/v2", "https://api.firecrawl.dev/v2"),
        ("https://api.firecrawl.dev/v2/", "https://api.firecrawl.dev/v2"),
        ("https://proxy.example.com/firecrawl", "https://proxy.example.com/firecrawl/v2"),
        ("http://127.0.0.1:3002", "http://127.0.0.1:3002/v2"),
        ("http://localhost:3002/v2", "http://localhost:3002/v2"),
    ],
)
def test_base_url_with_or_without_v2(given: str, expected: str) -> None:
    """/v2 is added once, whatever the caller wrote."""
    assert FeedbackClient(api_key=API_KEY, base_url=given).base_url == expected


def test_default_base_url() -> None:
    """With nothing configured, the public API is used."""
    assert FeedbackClient(api_key=API_KEY).base_url == "https://api.firecrawl.dev/v2"


def test_plain_http_to_remote_host_needs_opt_in() -> None:
    """http:// to a non-loopback host would leak the key; it needs allow_insecure_http."""
    with pytest.raises(ff.ConfigurationError, match="allow_insecure_http"):
        FeedbackClient(api_key=API_KEY, base_url="http://firecrawl.internal:3002")
    client = FeedbackClient(
        api_key=API_KEY, base_url="http://firecrawl.internal:3002", allow_insecure_http=True
    )
    assert client.base_url == "http://firecrawl.internal:3002/v2"
    with pytest.raises(ff.ConfigurationError):
        FeedbackClient(api_key=API_KEY, base_url="ftp://example.com")


@pytest.mark.parametrize("value", ["false", "no", 0, 1, None])
def test_allow_insecure_http_takes_only_a_bool(value: object) -> None:
    """A truthy non-bool ("false" read from a config file) let the key go out over plain
    http to a remote host; a falsy one hid the mistake until the first remote URL."""
    with pytest.raises(ff.ConfigurationError, match="allow_insecure_http must be True or False"):
        FeedbackClient(
            api_key=API_KEY,
            base_url="http://firecrawl.internal:3002",
            allow_insecure_http=value,  # type: ignore[arg-type]
        )


@pytest.mark.parametrize("port", [0, 65536, 99999])
def test_a_port_out_of_range_is_refused(port: int) -> None:
    """httpx takes it: the sync call went to port 99999 - 65536, the async one raised an
    ExceptionGroup from anyio."""
    with pytest.raises(ff.ConfigurationError, match="port must be 1 to 65535"):
        FeedbackClient(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("url", ["https://xn--.com", "https://xn--zz.example"])
def test_a_host_that_is_no_valid_idna_a_label_is_refused(url: str) -> None:
    """httpx let idna's IDNAError (a UnicodeError) through: the CLI printed its traceback."""
    with pytest.raises(ff.ConfigurationError, match="base_url is not a valid URL"):
        FeedbackClient(api_key=API_KEY, base_url=url)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HTTPS_PROXY", "ftp://127.0.0.1:1"),  # ValueError
        ("HTTPS_PROXY", "http://[::1"),  # httpx.InvalidURL
        ("ALL_PROXY", "socks5://127.0.0.1:1"),  # ImportError without httpx[socks]
        # httpx takes the port: the sync call went to port 99999 - 65536, the async one
        # raised anyio's ExceptionGroup.
        ("HTTPS_PROXY", "http://127.0.0.1:99999"),
        ("ALL_PROXY", "127.0.0.1:65536"),  # no scheme: http:// is assumed
        ("SSL_CERT_FILE", "/nonexistent/ca.pem"),  # FileNotFoundError
        ("SSL_CERT_FILE", __file__),  # ssl.SSLError: no certificate in it
    ],
)
@pytest.mark.parametrize("cls", [FeedbackClient, AsyncFeedbackClient])
def test_unusable_environment_settings_are_a_configuration_error(
    cls: type[Any], variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx reads them when the client is built, and raises what it meets."""
    if value.startswith("socks5") and importlib.util.find_spec("socksio"):
        pytest.skip("httpx[socks] is installed: a SOCKS proxy is usable")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ff.ConfigurationError, match="environment's proxy or certificate"):
        cls(api_key=API_KEY, base_url="https://api.firecrawl.test")


def test_key_never_in_repr_or_errors() -> None:
    """repr of the client and of its generated core, and error messages, never show the key."""
    client = FeedbackClient(api_key=API_KEY)
    client._generated.get_httpx_client()  # the generated client now holds the auth header
    assert API_KEY not in repr(client)
    assert API_KEY not in repr(client._generated)
    assert API_KEY not in repr(client._config)
    with pytest.raises(ff.ConfigurationError) as caught:
        FeedbackClient(api_key=API_KEY, base_url="http://remote.example.com")
    assert API_KEY not in str(caught.value)


def test_default_timeout_is_finite() -> None:
    """The generated client alone would wait forever; ours does not."""
    timeout = FeedbackClient(api_key=API_KEY).timeout
    assert timeout.connect and timeout.read and timeout.write and timeout.pool


def test_with_options_shares_the_pool_and_overrides() -> None:
    """with_options returns a configured copy sharing the connection pool."""
    script = scripted([ok(), ok()])
    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        client = FeedbackClient(api_key=API_KEY, http_client=http)
        quick = client.with_options(timeout=1.5, max_retries=0)
        assert quick._generated.get_httpx_client() is client._generated.get_httpx_client() is http
        assert quick.max_retries == 0 and client.max_retries == 2
        assert quick.timeout.read == 1.5
        quick.scrape(JOB, **SCRAPE)
        quick.close()  # a copy does not close the shared pool
        client.scrape(JOB, **SCRAPE)
    assert script.requests[0].extensions["timeout"]["read"] == 1.5


def test_per_call_timeout_and_headers() -> None:
    """timeout and extra_headers apply to one call only."""
    script = scripted([ok(), ok()])
    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        client = FeedbackClient(api_key=API_KEY, http_client=http, default_headers={"X-Team": "a"})
        client.scrape(JOB, timeout=2.0, extra_headers={"X-Trace": "t1"}, **SCRAPE)
        client.scrape(JOB, **SCRAPE)
    first, second = script.requests
    assert first.extensions["timeout"]["read"] == 2.0 and first.headers["x-trace"] == "t1"
    assert "x-trace" not in second.headers and second.extensions["timeout"]["read"] == 30.0
    assert first.headers["x-team"] == "a" == second.headers["x-team"]


def test_context_manager_closes_only_what_it_owns() -> None:
    """Leaving the block closes the client's own pool, never the caller's http_client."""
    http = httpx.Client(transport=httpx.MockTransport(scripted([ok()])))
    with FeedbackClient(api_key=API_KEY, http_client=http) as client:
        client.scrape(JOB, **SCRAPE)
    assert not http.is_closed
    http.close()
    with FeedbackClient(api_key=API_KEY) as own:
        pool = own._generated.get_httpx_client()
    assert pool.is_closed


def test_async_context_manager_closes() -> None:
    """The async client closes its own pool on exit."""

    async def go() -> httpx.AsyncClient:
        async with AsyncFeedbackClient(api_key=API_KEY) as client:
            return client._generated.get_async_httpx_client()

    assert asyncio.run(go()).is_closed


def test_debug_logging_redacts_the_key(caplog: pytest.LogCaptureFixture) -> None:
    """At debug level requests are logged, with Authorization redacted."""
    caplog.set_level(logging.DEBUG, logger="firecrawl_feedback")
    script = scripted([ok()])
    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        FeedbackClient(api_key=API_KEY, http_client=http).scrape(JOB, **SCRAPE)
    assert "POST /v2/feedback attempt 1" in caplog.text
    assert API_KEY not in caplog.text
    assert redact({"Authorization": "Bearer x", "authorization": "y", "Accept": "z"}) == {
        "Authorization": "[redacted]",
        "authorization": "[redacted]",
        "Accept": "z",
    }


@pytest.mark.parametrize("route", ["/feedback", f"/search/{JOB}/feedback"])
def test_log_lines_name_the_path_as_sent(caplog: pytest.LogCaptureFixture, route: str) -> None:
    """The request, retry and answer lines all name the full path (they said ``POST /feedback``,
    then ``/v2/feedback``), a base URL's own path included."""
    caplog.set_level(logging.DEBUG, logger="firecrawl_feedback")
    answers = iter([httpx.Response(503), ok()])
    transport = httpx.MockTransport(lambda request: next(answers))
    client = FeedbackClient(API_KEY, base_url="https://proxy.test/fc", transport=transport)
    ff.set_retry_testing()
    try:
        if route == "/feedback":
            client.scrape(JOB, **SCRAPE)
        else:
            client.search(JOB, **SEARCH)
    finally:
        ff.set_retry_testing(False)
    said = [line.split(" headers=")[0] for line in caplog.messages]
    path = f"POST /fc/v2{route}"
    assert said[0] == f"{path} attempt 1"
    assert said[1] == f"{path} -> 503 (0 bytes)"
    assert said[2].startswith(f"retrying {path} in ")
    assert said[3:5] == [f"{path} attempt 2", f"{path} -> 200 ({len(ok().content)} bytes)"]


def test_log_lines_cost_no_text_when_not_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DEBUG or INFO, no call builds how logs would name it."""
    from firecrawl_feedback import _client

    monkeypatch.setattr(_client._What, "__str__", lambda self: pytest.fail("built"))
    answers = iter([httpx.Response(503), ok()])
    client = FeedbackClient(API_KEY, transport=httpx.MockTransport(lambda request: next(answers)))
    ff.set_retry_testing()
    try:
        assert client.search(JOB, **SEARCH).stored
    finally:
        ff.set_retry_testing(False)


@pytest.mark.parametrize("key", [API_KEY, 'fc-with"quote\\and-backslash'])
def test_debug_logging_hides_the_key_wherever_the_caller_put_it(
    caplog: pytest.LogCaptureFixture, key: str
) -> None:
    """The key in a header of any name or in a field is not logged, as written or escaped."""
    caplog.set_level(logging.DEBUG, logger="firecrawl_feedback")
    script = scripted([ok()])
    with httpx.Client(transport=httpx.MockTransport(script)) as http:
        client = FeedbackClient(api_key=API_KEY, http_client=http)
        client.scrape(
            JOB, **{**SCRAPE, "note": f"my key is {API_KEY}"}, extra_headers={"X-Token": API_KEY}
        )
    assert "POST /v2/feedback attempt 1" in caplog.text
    assert API_KEY not in caplog.text
    from firecrawl_feedback._logging import hide

    line = f"{key} {json.dumps(key)} {key!r}"
    assert key not in hide(line, key)
    assert json.dumps(key)[1:-1] not in hide(line, key)
    assert repr(key)[1:-1] not in hide(line, key)


def test_env_switch_turns_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """FIRECRAWL_LOG=debug sets the library logger's level when a client is built."""
    import firecrawl_feedback._logging as log_module

    logger = logging.getLogger("firecrawl_feedback")
    log_module.configure_from_env.cache_clear()
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setenv("FIRECRAWL_LOG", "debug")
    FeedbackClient(api_key=API_KEY)
    assert logger.level == logging.DEBUG and logger.handlers


def test_an_unknown_firecrawl_log_warns_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """It was ignored without a word; now a warning names the variable, value and choices."""
    from firecrawl_feedback import _logging as log_module

    monkeypatch.setattr(log_module.logger, "level", logging.NOTSET)
    monkeypatch.setenv("FIRECRAWL_LOG", "verbose")
    log_module.configure_from_env.cache_clear()
    try:
        with pytest.warns(UserWarning, match="FIRECRAWL_LOG='verbose' is ignored: .*debug or info"):
            FeedbackClient(api_key=API_KEY)
        AsyncFeedbackClient(api_key=API_KEY)  # once: warnings are errors in this suite
    finally:
        log_module.configure_from_env.cache_clear()
    assert log_module.logger.level == logging.NOTSET


@pytest.mark.parametrize(
    ("variable", "value", "argument"),
    [
        ("FIRECRAWL_API_URL", "http://api.example.com", "base_url"),
        ("FIRECRAWL_API_URL", "ftp://api.example.com", "base_url"),
        ("FIRECRAWL_API_KEY", "fc-a b-0123456789", "api_key"),
    ],
)
def test_a_refused_setting_names_the_variable_it_came_from(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, argument: str
) -> None:
    """Library use too (only the CLI said it); an argument's error names the argument only."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", API_KEY)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ff.ConfigurationError) as caught:
        FeedbackClient()
    assert str(caught.value).startswith(argument)
    assert str(caught.value).endswith(f"(from {variable})")
    monkeypatch.delenv(variable)
    with pytest.raises(ff.ConfigurationError) as caught:
        FeedbackClient(**{"api_key": API_KEY, argument: value})
    assert variable not in str(caught.value)


def test_transport_is_used_directly() -> None:
    """transport= sends through the given httpx transport, sync and async."""
    script = scripted([ok(), ok()])
    FeedbackClient(api_key=API_KEY, transport=httpx.MockTransport(script)).scrape(JOB, **SCRAPE)

    async def go() -> None:
        async with AsyncFeedbackClient(
            api_key=API_KEY, transport=httpx.MockTransport(script)
        ) as client:
            await client.scrape(JOB, **SCRAPE)

    asyncio.run(go())
    assert len(script.requests) == 2


def test_http_client_and_transport_are_exclusive() -> None:
    """Giving both is ambiguous and refused at construction."""
    with httpx.Client() as http, pytest.raises(ff.ConfigurationError, match="not both"):
        FeedbackClient(api_key=API_KEY, http_client=http, transport=httpx.MockTransport(ok))


def test_copies_are_built_by_the_constructor() -> None:
    """An attribute a (sub)class sets in __init__ is on every with_options copy too."""

    class Tagged(FeedbackClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tag = "set in __init__"

    with Tagged(api_key=API_KEY) as client:
        copy = client.with_options(max_retries=0)
        assert isinstance(copy, Tagged) and copy.tag == "set in __init__"
        assert copy._generated.get_httpx_client() is client._generated.get_httpx_client()
        copy.close()
        assert not client._generated.get_httpx_client().is_closed


def test_a_callers_http_client_is_the_one_that_sends() -> None:
    """The caller's client sends each request itself (no second client behind it), once."""
    sends: list[httpx.Request] = []

    class Counting(httpx.Client):
        def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
            sends.append(request)
            return super().send(request, **kwargs)

    with Counting(transport=httpx.MockTransport(scripted([ok()]))) as http:
        client = FeedbackClient(api_key=API_KEY, http_client=http)
        assert client._generated.get_httpx_client() is http
        client.scrape(JOB, **SCRAPE)
    assert [str(r.url) for r in sends] == ["https://api.firecrawl.dev/v2/feedback"]


def test_the_wrapper_reaches_the_generated_client_only_through_public_operations() -> None:
    """No underscore function of the generated modules; no httpx client behind a caller's."""
    package = Path(ff.__file__).parent
    found = [
        f"{path.name}: {line.strip()}"
        for path in sorted(package.glob("*.py"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"_get_kwargs|get_httpx_client|get_async_httpx_client|ForwardTo", line)
    ]
    assert found == []


def test_an_answer_echoing_the_key_json_escaped_is_scrubbed() -> None:
    """scrub hides a credential in the forms hide knows: as written and JSON-escaped."""
    from firecrawl_feedback._logging import scrub

    key = 'fc-with"quote\\and-backslash'
    request = httpx.Request("POST", "https://x.test/", headers={"Authorization": f"Bearer {key}"})
    echoed = json.dumps({"error": f"bad key {key}"})
    assert json.dumps(key)[1:-1] in echoed
    assert key not in scrub(echoed, request)
    assert json.dumps(key)[1:-1] not in scrub(echoed, request)
