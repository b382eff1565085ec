"""The served mode: a real HTTP/1.1 server on 127.0.0.1 with keep-alive."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from firecrawl_feedback.testing import FakeFirecrawl

SEARCH_BODY = {"rating": "good", "valuableSources": [{"url": "https://example.com"}]}


def test_serve_yields_a_loopback_base_url(fake: FakeFirecrawl) -> None:
    """serve() listens on 127.0.0.1, a free port; the client appends /v2."""
    job = fake.add_job("search")
    with fake.serve() as url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        response = httpx.post(
            f"{url}/v2/search/{job}/feedback",
            json=SEARCH_BODY,
            headers={"Authorization": f"Bearer {fake.api_key}"},
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert fake.feedback[0].job_id == job


def test_two_fakes_serve_on_different_ports() -> None:
    """Each serve() gets its own free port."""
    with FakeFirecrawl().serve() as first, FakeFirecrawl().serve() as second:
        assert first != second


@pytest.mark.anyio
async def test_async_client_against_the_server(fake: FakeFirecrawl) -> None:
    """httpx.AsyncClient talks to the served fake like to the real API."""
    job = fake.add_job("search")
    with fake.serve() as url:
        async with httpx.AsyncClient(
            base_url=url + "/v2", headers={"Authorization": f"Bearer {fake.api_key}"}
        ) as client:
            first = await client.post(f"/search/{job}/feedback", json=SEARCH_BODY)
            again = await client.post(f"/search/{job}/feedback", json=SEARCH_BODY)
    assert first.status_code == again.status_code == 200
    assert again.json()["alreadySubmitted"] is True


def test_chunked_request_bodies_are_read(fake: FakeFirecrawl) -> None:
    """A body sent with Transfer-Encoding: chunked is read whole."""
    job = fake.add_job("search")
    payload = json.dumps(SEARCH_BODY).encode()

    def pieces() -> Iterator[bytes]:
        yield payload[:10]
        yield payload[10:]

    with fake.serve() as url:
        response = httpx.post(
            f"{url}/v2/search/{job}/feedback",
            content=pieces(),
            headers={"Authorization": f"Bearer {fake.api_key}", "content-type": "application/json"},
        )
    assert response.status_code == 200


def test_over_10_mb_is_413_over_http(fake: FakeFirecrawl) -> None:
    """Served: an oversized body is read and answered 413, keeping the connection usable."""
    with fake.serve() as url, httpx.Client(base_url=url) as client:
        headers = {"Authorization": f"Bearer {fake.api_key}", "content-type": "application/json"}
        big = client.post("/v2/feedback", content=b" " * (10 * 1024 * 1024 + 1), headers=headers)
        after = client.post("/v2/feedback", json={}, headers=headers)
    assert (big.status_code, after.status_code) == (413, 400)


def test_stop_closes_idle_keep_alive_connections(fake: FakeFirecrawl) -> None:
    """Leaving serve() closes open connections: a kept-alive client cannot reach it any more."""
    with httpx.Client() as client:
        with fake.serve() as url:
            assert client.post(url + "/v2/feedback").status_code == 401
        with pytest.raises(httpx.TransportError):
            client.post(url + "/v2/feedback")


def test_connection_close_is_honoured(fake: FakeFirecrawl) -> None:
    """A client asking for Connection: close gets its answer and a closed connection."""
    with fake.serve() as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("POST", "/v2/feedback", body=b"", headers={"Connection": "close"})
        response = connection.getresponse()
        assert (response.status, response.will_close) == (401, True)
        response.read()
        connection.close()


@pytest.mark.slow
def test_64_keep_alive_connections_and_10k_requests() -> None:
    """64 concurrent keep-alive connections, 160 requests each, all answered on their own socket."""
    fake = FakeFirecrawl(rate_limit=1_000_000)
    jobs = [fake.add_job("scrape") for _ in range(64)]
    headers = {"Authorization": f"Bearer {fake.api_key}", "Content-Type": "application/json"}
    failures: list[str] = []
    start = threading.Barrier(64)
    with fake.serve() as url:
        host, port = url.removeprefix("http://").split(":")

        def client(job: str) -> None:
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            body = json.dumps({"endpoint": "scrape", "jobId": job, "rating": "bad", "note": "n"})
            try:
                start.wait()
                connection.connect()
                socket_used = connection.sock
                for _ in range(160):
                    connection.request("POST", "/v2/feedback", body=body, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    if response.status != 200 or connection.sock is not socket_used:
                        failures.append(
                            f"{response.status}, same socket: {connection.sock is socket_used}"
                        )
            except Exception as error:
                failures.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=client, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert len(fake.requests) == 64 * 160
    assert len(fake.feedback) == 64


def _raw_exchange(url: str, data: bytes) -> bytes:
    """Send raw bytes on a fresh connection; everything the server sends until it closes."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_pipelined_requests_are_answered_in_order(fake: FakeFirecrawl) -> None:
    """Two requests in one write on one connection get two answers, in order."""
    job = fake.add_job("search")
    body = json.dumps(SEARCH_BODY).encode()
    request = (
        f"POST /v2/search/{job}/feedback HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {fake.api_key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with fake.serve() as url:
        received = _raw_exchange(url, request + request)
    first, second = received.split(b"HTTP/1.1 ")[1:]
    assert first.startswith(b"200 OK") and second.startswith(b"200 OK")
    assert b'"alreadySubmitted":true' in second
    assert [record.status for record in fake.requests] == [200, 200]


def test_expect_100_continue_gets_the_go_ahead(fake: FakeFirecrawl) -> None:
    """A client waiting for 100 Continue is told to go on, then answered."""
    with fake.serve() as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(
                b"POST /v2/feedback HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                b"Content-Length: 2\r\nConnection: close\r\n\r\n"
            )
            assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
            sock.sendall(b"{}")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 401 Unauthorized\r\n")
    assert b"\r\nConnection: close\r\n" in answer


def test_unrouted_methods_get_the_servers_404(fake: FakeFirecrawl) -> None:
    """Any method off the two routes gets the live server's 404 JSON; HEAD gets no body."""
    with fake.serve() as url:
        head = _raw_exchange(
            url, b"HEAD /v2/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        options = _raw_exchange(
            url, b"OPTIONS /v2/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
    assert head.startswith(b"HTTP/1.1 404 ")
    assert head.endswith(b"\r\n\r\n")  # no body for HEAD
    assert options.startswith(b"HTTP/1.1 404 ")
    assert b'"success":false' in options.replace(b" ", b"")
    assert [r.method for r in fake.requests] == ["HEAD", "OPTIONS"]
    assert {r.status for r in fake.requests} == {404}


def test_malformed_request_gets_400_and_a_close(fake: FakeFirecrawl) -> None:
    """Bytes that are not HTTP/1.1 get a 400 error page; the fake never sees them."""
    with fake.serve() as url:
        answer = _raw_exchange(url, b"NOT AN HTTP REQUEST\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"\r\nConnection: close\r\n" in answer
    assert fake.requests == []


def test_a_delayed_answer_does_not_hold_up_other_connections(fake: FakeFirecrawl) -> None:
    """While one request waits out a long delay, another connection is answered."""
    fake.faults.next(1, delay=60)
    outcome: list[str] = []

    with fake.serve() as url:

        def delayed() -> None:
            try:
                httpx.post(url + "/v2/feedback", timeout=120)
            except httpx.TransportError as error:
                outcome.append(type(error).__name__)

        waiting = threading.Thread(target=delayed)
        waiting.start()
        while fake.faults.pending:  # the delayed request has arrived and drawn its fault
            threading.Event().wait(0.01)
        assert httpx.post(url + "/v2/feedback", timeout=30).status_code == 401
    # Stopping ended the delay: the request was processed, its connection closed unanswered.
    waiting.join()
    assert outcome == ["RemoteProtocolError"]
    assert [record.fault for record in fake.requests] == [None, "delay"]


def test_stop_ends_a_hang_and_joins_the_server_thread(fake: FakeFirecrawl) -> None:
    """A client hanging with a long read timeout is cut off by stop(), and no thread is left."""
    fake.faults.next(1, hang=True)
    outcome: list[str] = []
    servers_before = set(threading.enumerate())

    with fake.serve() as url:

        def hanging() -> None:
            try:
                httpx.post(url + "/v2/feedback", timeout=120)
            except httpx.TransportError as error:
                outcome.append(type(error).__name__)

        waiting = threading.Thread(target=hanging)
        waiting.start()
        while not fake.requests:  # a hang is logged before it starts holding the connection
            threading.Event().wait(0.01)
    waiting.join()
    assert outcome == ["RemoteProtocolError"]
    servers = {t for t in threading.enumerate() if t.name == "firecrawl-fake-server"}
    assert servers <= servers_before
