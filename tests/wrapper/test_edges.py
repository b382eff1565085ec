"""Edges of the clients: bad options, misuse, secrets in odd places, threads, stray output."""

from __future__ import annotations

import asyncio
import copy
import json
import pickle
import subprocess
import sys
import textwrap
import threading
from typing import Any

import firecrawl_feedback as ff
import httpx
import pytest
from firecrawl_feedback import AsyncFeedbackClient, FeedbackClient
from firecrawl_feedback.testing import FakeFirecrawl
from firecrawl_feedback_api.client import encode_json

from tests.faults import rawserver
from tests.wrapper._mock import API_KEY, JOB, ok, run, scripted

SCRAPE = {"rating": "bad", "note": "the table is missing"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FIRECRAWL_API_KEY", "FIRECRAWL_API_URL", "FIRECRAWL_LOG"):
        monkeypatch.delenv(name, raising=False)


# -- options -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"timeout": "5"}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": httpx.Timeout(5.0, read=-2)}, "timeout.read"),
        ({"max_retries": "x"}, "max_retries"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"total_budget": "x"}, "total_budget"),
        ({"total_budget": 0}, "total_budget"),
        ({"total_budget": float("inf")}, "total_budget"),
        # ints too large for a float (OverflowError) or for repr() (ValueError)
        ({"timeout": 10**400}, "timeout"),
        ({"total_budget": 10**400}, "total_budget"),
        ({"timeout": 10**5000}, "timeout"),
        ({"max_retries": -(10**5000)}, "max_retries"),
        ({"retry": "policy"}, "retry"),
        ({"default_headers": [("a", "b")]}, "default_headers"),
        ({"default_headers": {"X-A": 1}}, "default_headers"),
        ({"http_client": object()}, "http_client"),
        ({"transport": "mock"}, "transport"),
        ({"base_url": 42}, "base_url"),
    ],
)
@pytest.mark.parametrize("cls", [FeedbackClient, AsyncFeedbackClient])
def test_bad_constructor_options_name_the_option(
    cls: type[Any], options: dict[str, Any], named: str
) -> None:
    """Every bad option is a ConfigurationError naming it, at construction."""
    with pytest.raises(ff.ConfigurationError, match=named.replace(".", r"\.")):
        cls(API_KEY, **options)


def test_a_key_that_is_not_a_string_is_refused() -> None:
    """FeedbackClient(12345) says what api_key takes."""
    with pytest.raises(ff.ConfigurationError, match="api_key must be a string"):
        FeedbackClient(12345)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"timeout": "5"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"extra_headers": [("a", "b")]}, "extra_headers"),
        ({"extra_headers": {"Content-Length": "3"}}, "Content-Length"),
        ({"extra_headers": {"Transfer-Encoding": "chunked"}}, "Transfer-Encoding"),
        ({"extra_headers": {"X-Bad": "a\r\nInjected: 1"}}, "X-Bad"),
        ({"extra_headers": {"Bad Name": "x"}}, "Bad Name"),
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_bad_per_call_options_are_refused_before_sending(
    mode: str, options: dict[str, Any], named: str
) -> None:
    """Per-call options are checked too, and nothing is sent."""
    script = scripted([])
    with pytest.raises(ff.ConfigurationError, match=named):
        run(mode, script, "scrape", JOB, **SCRAPE, **options)
    assert script.requests == []


def test_a_retry_policy_with_a_huge_jitter_says_so() -> None:
    with pytest.raises(ff.ConfigurationError, match=r"backoff_jitter.*-bit integer"):
        ff.RetryPolicy(backoff_jitter=10**5000)


@pytest.mark.parametrize(
    "given",
    [
        {"page_numbers": [-(10**5000)]},
        {"max_retries": [10**5000]},
        {"extra_headers": {10**5000: "x"}},
    ],
)
def test_an_integer_too_long_to_print_is_named_by_size_anywhere(given: dict[str, Any]) -> None:
    """repr() of an int over 4,300 digits raises ValueError: in a list or as a header name
    (the message quoting it) that came out as a bare ValueError, not the library's error."""
    named = r"-bit integer|integer too long"
    with FeedbackClient(API_KEY) as client, pytest.raises(ff.FeedbackError, match=named):
        client.scrape(JOB, **SCRAPE, **given)
    with FeedbackClient(API_KEY) as client, pytest.raises(ff.FeedbackError, match=named):
        client.submit_body({10**5000: 1})  # a key: named in its violation


def test_with_options_checks_too() -> None:
    """with_options refuses what the constructor refuses."""
    client = FeedbackClient(API_KEY)
    with pytest.raises(ff.ConfigurationError, match="total_budget"):
        client.with_options(total_budget=-5)
    client.close()


# -- misuse that used to surface as httpx or h11 internals ----------------------------


def test_a_closed_client_says_so() -> None:
    """Calling a closed client is a ConfigurationError, not httpx's RuntimeError."""
    client = FeedbackClient(API_KEY, transport=httpx.MockTransport(scripted([ok()])))
    client.close()
    with pytest.raises(ff.ConfigurationError, match="closed"):
        client.scrape(JOB, **SCRAPE)


def test_a_closed_async_client_says_so() -> None:
    """The async twin."""

    async def go() -> None:
        client = AsyncFeedbackClient(API_KEY, transport=httpx.MockTransport(scripted([ok()])))
        await client.aclose()
        await client.scrape(JOB, **SCRAPE)

    with pytest.raises(ff.ConfigurationError, match="closed"):
        asyncio.run(go())


def _closing_answer(failure: str, close: Any) -> Any:
    """The first answer: the client is closed meanwhile (as by another thread), then it fails."""

    def failed(request: httpx.Request) -> httpx.Response:
        if failure == "dropped":
            raise httpx.ReadError("the pool closed the connection", request=request)
        return httpx.Response(503, json={"success": False, "error": "busy"})

    return lambda request: close(request, failed)


@pytest.mark.parametrize("failure", ["dropped", "503"])
def test_closing_a_client_mid_call_ends_its_retries_with_the_last_error(failure: str) -> None:
    """The attempt may have reached the server: its error, with maybe_stored, ends the call;
    not "this client is closed" on the retry, which would say nothing about the first."""
    requests: list[httpx.Request] = []

    def close(request: httpx.Request, failed: Any) -> httpx.Response:
        requests.append(request)
        client.close()
        return failed(request)  # type: ignore[no-any-return]

    client = FeedbackClient(
        API_KEY, max_retries=3, transport=httpx.MockTransport(_closing_answer(failure, close))
    )
    with pytest.raises(ff.APIError) as caught:
        client.scrape(JOB, **SCRAPE)
    assert (caught.value.attempts, caught.value.maybe_stored, len(requests)) == (1, True, 1)


@pytest.mark.parametrize("failure", ["dropped", "503"])
def test_closing_an_async_client_mid_call_ends_its_retries_with_the_last_error(
    failure: str,
) -> None:
    """The async twin (aclose() in another task)."""
    requests: list[httpx.Request] = []

    async def close(request: httpx.Request, failed: Any) -> httpx.Response:
        requests.append(request)
        await client.aclose()
        return failed(request)  # type: ignore[no-any-return]

    client = AsyncFeedbackClient(
        API_KEY, max_retries=3, transport=httpx.MockTransport(_closing_answer(failure, close))
    )
    with pytest.raises(ff.APIError) as caught:
        asyncio.run(client.scrape(JOB, **SCRAPE))
    assert (caught.value.attempts, caught.value.maybe_stored, len(requests)) == (1, True, 1)


def test_an_async_client_used_in_a_second_event_loop_says_so() -> None:
    """Its pooled connection belongs to the first asyncio.run(): the request goes out, the
    answer cannot be read. A ConfigurationError that says why, not asyncio's RuntimeError.
    """
    script = textwrap.dedent(
        """
        import asyncio, firecrawl_feedback as ff
        from firecrawl_feedback.testing import FakeFirecrawl
        fake = FakeFirecrawl()
        with fake.serve() as url:
            client = ff.AsyncFeedbackClient(fake.api_key, base_url=url, max_retries=2)
            copy = client.with_options(timeout=5.0)  # shares the pool, and so its loop
            async def rate(which):
                return await which.scrape(fake.add_job("scrape"), rating="bad", note="n")
            print(asyncio.run(rate(client)).stored)
            try:
                asyncio.run(rate(copy))
            except ff.ConfigurationError as error:
                print(error)
            print(len(fake.requests))
        """
    )
    stored, said, requests = _lines_printed_by(script)
    assert stored == "True"
    # The second call's request may go out before the answer cannot be read (then the server
    # holds it), or fail at once: never retried either way.
    assert requests in ("1", "2")
    assert "asyncio.run() called again" in said
    assert "may have reached the server" in said


def test_a_second_event_loop_says_whether_the_request_went_out() -> None:
    """The message and ``maybe_stored`` tell the two apart. A pooled connection the server
    closed meanwhile fails as it is closed, before a byte is written: "was not sent" (it said
    "may have reached the server"). Sent, then unreadable: a sender's outcome says
    maybe_stored (it said False)."""
    script = textwrap.dedent(
        """
        import asyncio, firecrawl_feedback as ff
        from firecrawl_feedback.testing import FakeFirecrawl
        fake, outcomes = FakeFirecrawl(), []
        async def rate(client):
            return await client.scrape(fake.add_job("scrape"), rating="bad", note="n")
        async def queue(client):
            async with ff.AsyncFeedbackSender(client, on_outcome=outcomes.append) as sender:
                await sender.scrape(fake.add_job("scrape"), rating="bad", note="n")
        with fake.serve() as url:
            gone = ff.AsyncFeedbackClient(fake.api_key, base_url=url)
            asyncio.run(rate(gone))
        try:
            asyncio.run(rate(gone))  # its server closed the pooled connection
        except ff.ConfigurationError as error:
            print(error.maybe_stored, len(fake.requests), error)
        with fake.serve() as url:
            client = ff.AsyncFeedbackClient(fake.api_key, base_url=url, max_retries=0)
            asyncio.run(rate(client))
            asyncio.run(queue(client))
            error = outcomes[0].error
            print(error.maybe_stored, outcomes[0].status, error)  # the fake may not count it yet
        """
    )
    not_sent, sent = _lines_printed_by(script)
    assert not_sent.startswith("False 1 ")
    assert "the request was not sent" in not_sent
    assert sent.startswith("True rejected ")
    assert "may have reached the server" in sent


def _lines_printed_by(script: str) -> list[str]:
    """What ``script`` prints, run in a process of its own (the first event loop closes with
    a connection open, and asyncio warns whenever that connection is collected)."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore::ResourceWarning", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _caught(answer: Any, **options: Any) -> ff.FeedbackError:
    client = FeedbackClient(API_KEY, transport=httpx.MockTransport(scripted([answer] * 3)))
    with client, pytest.raises(ff.FeedbackError) as caught:
        client.scrape(JOB, **{**SCRAPE, **options})
    return caught.value


@pytest.mark.parametrize(
    "make",
    [
        lambda: _caught(httpx.Response(400, json={"success": False, "error": "bad"})),
        lambda: _caught(httpx.Response(429, headers={"retry-after": "1"})),
        lambda: _caught(httpx.Response(503)),
        lambda: _caught(httpx.Response(200, content=b"<html>")),
        lambda: _caught(httpx.ConnectTimeout("slow")),
        lambda: _caught(ok(), note=""),  # ValidationError
        lambda: ff.ConfigurationError("no API key"),
    ],
)
@pytest.mark.parametrize("how", ["copy", "deepcopy", "pickle"])
def test_every_error_survives_copy_and_pickle(make: Any, how: str) -> None:
    """Status errors take keyword-only arguments: pickling one (a ProcessPoolExecutor
    worker's failed call) raised TypeError, and broke the whole pool."""
    error = make()
    again = {
        "copy": copy.copy,
        "deepcopy": copy.deepcopy,
        "pickle": lambda e: pickle.loads(pickle.dumps(e)),  # noqa: S301 (our own bytes)
    }[how](error)
    assert (type(again), str(again), repr(again)) == (type(error), str(error), repr(error))
    for name in ("attempts", "maybe_stored", "status_code", "code", "retry_after", "violations"):
        assert getattr(again, name, None) == getattr(error, name, None), name


# -- the key and the URL --------------------------------------------------------------

BAD_KEYS = [
    "fc-abc\r\nX-Injected: 1",
    "fc-abc\ndef",
    "fc-abc\x00def",
    "fc-abc\tdef",
    "fc-abc def",
    "fc-clé-secrète",
    "fc-abc\u2028def",
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_unsendable_keys_are_refused_without_showing_them(key: str) -> None:
    """CR, LF, NUL, other controls, spaces and non-ASCII: refused at construction, unquoted."""
    with pytest.raises(ff.ConfigurationError, match="api_key") as caught:
        FeedbackClient(key)
    message = str(caught.value) + repr(caught.value)
    for form in (key, key.strip(), repr(key), json.dumps(key), "fc-abc", "secr"):
        assert form not in message


def test_surrounding_whitespace_of_a_key_is_still_stripped() -> None:
    """A key pasted with a trailing newline works (it is stripped, as before)."""
    script = scripted([ok()])
    run("sync", script, "scrape", JOB, client={"api_key": API_KEY + "\n"}, **SCRAPE)
    assert script.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


def test_user_info_in_base_url_is_refused_and_never_shown() -> None:
    """http://user:pass@host would send Basic auth instead of the key."""
    with pytest.raises(ff.ConfigurationError, match="user name or password") as caught:
        FeedbackClient(API_KEY, base_url="https://user:hunter2-secret@api.firecrawl.dev")
    assert "hunter2-secret" not in str(caught.value)


def test_environment_proxy_never_sees_a_plain_http_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """With HTTP_PROXY set, a loopback http:// call goes direct: no proxy gets the key."""
    seen: list[bytes] = []

    def proxy(conn: Any) -> None:
        seen.append(conn.recv(65536))
        conn.sendall(rawserver.head(502))

    fake = FakeFirecrawl()
    job = fake.add_job("scrape")
    with rawserver.raw_server(proxy) as proxy_url, fake.serve() as url:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with FeedbackClient(fake.api_key, base_url=url, max_retries=0) as client:
            result = client.scrape(job, **SCRAPE)  # type: ignore[arg-type]
    assert result.feedback_id
    assert seen == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_https_client_goes_through_the_environment_proxy(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTPS_PROXY applies to both clients, as httpx applies it (the sync client's own
    transport made httpx skip it). A refused tunnel proves nothing was sent."""
    tunnels: list[bool] = []

    def proxy(conn: Any) -> None:
        tunnels.append(True)
        conn.sendall(rawserver.head(502))

    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with rawserver.raw_server(proxy) as proxy_url, pytest.raises(ff.APIConnectionError) as caught:
        monkeypatch.setenv("HTTPS_PROXY", proxy_url)
        options: dict[str, Any] = {"base_url": "https://api.firecrawl.test", "max_retries": 1}
        if mode == "sync":
            with FeedbackClient(API_KEY, **options) as client:
                client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]
        else:

            async def go() -> None:
                async with AsyncFeedbackClient(API_KEY, **options) as client:
                    await client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]

            asyncio.run(go())
    assert isinstance(caught.value.__cause__, httpx.ProxyError)
    assert (len(tunnels), caught.value.attempts, caught.value.maybe_stored) == (2, 2, False)


# -- threads -------------------------------------------------------------------------


def test_a_forked_child_opens_its_own_connection() -> None:
    """A pooled connection opened before os.fork() is not the child's to write on: two
    processes sharing one read each other's answers (a result for another job).

    In a process of its own, which forks; the server counts the connections it accepts.
    """
    script = textwrap.dedent(
        f"""
        import http.server, json, os, threading
        import firecrawl_feedback as ff
        accepted = []
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive
            def setup(self):
                super().setup()
                accepted.append(self.client_address)
            def do_POST(self):
                self.rfile.read(int(self.headers["content-length"]))
                body = json.dumps(
                    {{"success": True, "feedbackId": "f", "creditsRefunded": 0}}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{{server.server_port}}"
        client = ff.FeedbackClient("{API_KEY}", base_url=url, max_retries=0)
        rate = lambda: client.scrape("{JOB}", rating="bad", note="n")
        rate()
        child = os.fork()
        if child == 0:
            rate()
            os._exit(0)
        _, status = os.waitpid(child, 0)
        rate()  # the parent's connection still works
        print(os.waitstatus_to_exitcode(status), len(accepted))
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "2"]  # the parent's connection, and the child's


def test_one_client_first_used_by_32_threads_builds_one_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No httpx client is built by the calls, and close() closes the only one."""
    client = FeedbackClient(API_KEY, transport=httpx.MockTransport(lambda _: ok()))
    built: list[object] = []
    original = httpx.Client.__init__

    def counting(self: httpx.Client, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(httpx.Client, "__init__", counting)
    barrier = threading.Barrier(32)
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    assert errors == []
    assert built == []
    assert client._generated.get_httpx_client().is_closed


# -- output ----------------------------------------------------------------------------


def test_retries_print_nothing_without_logging_configured() -> None:
    """A retried call writes nothing on stderr: the library speaks only through its logger."""
    script = textwrap.dedent(
        """
        import httpx, firecrawl_feedback as ff
        answers = [httpx.Response(503, json={"success": False, "error": "x"}),
                   httpx.Response(200, json={"success": True, "feedbackId": "f",
                                             "creditsRefunded": 1})]
        ff.set_retry_testing(True)
        with ff.FeedbackClient("fc-k", transport=httpx.MockTransport(
                lambda r: answers.pop(0))) as c:
            print(c.scrape("0190d7a2-3c4b-7d5e-8f60-123456789abc", rating="bad",
                           note="n").attempts)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
    assert done.stderr == ""


# -- the body on the wire ----------------------------------------------------------------


def test_lone_surrogates_go_out_as_escapes_that_json_reads_back() -> None:
    """UTF-8 cannot carry them; the server's JSON.parse reads them from \\u escapes."""
    data = {"note": "a\ud800b", "metadata": {"k\udfff": "x"}, "plain": "é😀"}
    wire = encode_json(data)
    assert b"\\ud800" in wire and b"\\udfff" in wire
    assert "é😀".encode() in wire  # everything else stays UTF-8
    assert json.loads(wire) == data
    # Two surrogate code points that form a pair read back as one character, as in JavaScript.
    assert json.loads(encode_json("\ud83d\ude00")) == "😀"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_lone_surrogates_reach_the_reference_server(mode: str) -> None:
    """A note and metadata holding lone surrogates are sent, as escapes, and stored."""
    fake = FakeFirecrawl()
    job = fake.add_job("scrape")
    fields = {"rating": "bad", "note": "cut \ud800 here", "metadata": {"k\udfff": "\ud800"}}
    if mode == "sync":
        with FeedbackClient(fake.api_key, transport=fake.transport()) as client:
            result = client.scrape(job, **fields)  # type: ignore[arg-type]
    else:

        async def go() -> ff.FeedbackResult:
            async with AsyncFeedbackClient(fake.api_key, transport=fake.transport()) as client:
                return await client.scrape(job, **fields)  # type: ignore[arg-type]

        result = asyncio.run(go())
    assert result.feedback_id
    (stored,) = fake.feedback
    assert stored.body["note"] == "cut \ud800 here"
    assert stored.body["metadata"] == {"k\udfff": "\ud800"}


def test_a_connection_error_names_the_url_it_tried() -> None:
    """A wrong base URL shows in the message: what could not be reached is what to fix."""
    with (
        FeedbackClient(API_KEY, base_url="http://127.0.0.1:1", max_retries=0) as client,
        pytest.raises(ff.APIConnectionError, match=r"POST http://127\.0\.0\.1:1/v2/feedback"),
    ):
        client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_raise_for_status_hook_of_the_callers_client_gives_our_errors(mode: str) -> None:
    """A shared httpx client's raise_for_status() response hook let httpx.HTTPStatusError
    through, untyped and unretried; its answer is one like any other (body not read)."""

    def hook(response: httpx.Response) -> None:
        response.raise_for_status()

    async def ahook(response: httpx.Response) -> None:
        response.raise_for_status()

    script = scripted([httpx.Response(503), httpx.Response(409, headers={"x": "y"})])
    options: dict[str, Any] = {"api_key": API_KEY, "base_url": "https://api.firecrawl.test"}
    with pytest.raises(ff.ConflictError, match=r"^HTTP 409 \(") as caught:
        if mode == "sync":
            hooks = {"response": [hook]}
            with (
                httpx.Client(transport=httpx.MockTransport(script), event_hooks=hooks) as http,
                FeedbackClient(http_client=http, **options) as client,
            ):
                client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]
        else:

            async def go() -> None:
                transport = httpx.MockTransport(script)
                async with (
                    httpx.AsyncClient(transport=transport, event_hooks={"response": [ahook]}) as h,
                    AsyncFeedbackClient(http_client=h, **options) as client,
                ):
                    await client.scrape(JOB, **SCRAPE)  # type: ignore[arg-type]

            asyncio.run(go())
    assert caught.value.attempts == 2 and caught.value.maybe_stored  # the 503 was retried
    assert isinstance(caught.value.__cause__, httpx.HTTPStatusError)
