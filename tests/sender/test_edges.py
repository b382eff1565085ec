"""Edges of the senders' lifecycle: interrupted calls, hostile callbacks, forks, loops, close.

Each test pins one bug found by probing: a rating that stayed pending forever,
a sender thread killed by its callback, a fork's copy that swallowed ratings,
an attempt that started after close() had reported the item as never sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
import uuid

import firecrawl_feedback as ff
import httpx
import pytest
from firecrawl_feedback import AsyncFeedbackSender, ConfigurationError, FeedbackSender

from .conftest import Outcomes, Served, wait_for

JOB = "0190d7a2-3c4b-7d5e-8f60-123456789abc"


def _answer(request: httpx.Request) -> httpx.Response:
    body = {"success": True, "feedbackId": str(uuid.uuid4()), "creditsRefunded": 0}
    return httpx.Response(200, json=body)


class _Gate:
    """An async transport whose answers wait until the test opens the gate."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        await self.opened.wait()
        return _answer(request)


# -- a call interrupted while it waits for room ---------------------------------------


def test_a_call_cancelled_while_waiting_for_room_leaves_nothing_pending(
    outcomes: Outcomes,
) -> None:
    """The call raised, so nothing was handed over: not submitted, not pending forever."""

    async def main() -> ff.SenderCounts:
        gate = _Gate()
        sender = AsyncFeedbackSender(
            api_key="fc-edge-probe-key",
            transport=httpx.MockTransport(gate.handle),
            max_queue=1,
            max_rate_per_minute=None,
            on_outcome=outcomes,
        )
        assert await sender.scrape(JOB, rating="bad", note="holds the only room")
        waiting = asyncio.ensure_future(
            sender.map(JOB, rating="bad", note="waits", block_timeout=60)
        )
        while sender.counts.submitted < 2:  # the second call is waiting for room
            await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        gate.opened.set()
        assert await sender.flush()
        return await sender.aclose()

    counts = asyncio.run(main())
    assert (counts.submitted, counts.pending, counts.stored) == (1, 0, 1)
    assert [o.status for o in outcomes.items] == ["stored"]


def test_a_call_interrupted_while_waiting_for_room_leaves_nothing_pending(
    served: Served,
) -> None:
    """The sync twin: Ctrl-C (KeyboardInterrupt) while a call waits for room."""

    class Interrupted:
        def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
            raise KeyboardInterrupt

    sender = FeedbackSender(api_key=served.fake.api_key, base_url=served.url, block_timeout=5)
    sender._room = Interrupted()  # type: ignore[assignment]
    with pytest.raises(KeyboardInterrupt):
        sender.scrape(served.fake.add_job("scrape"), rating="bad", note="interrupted")
    counts = sender.close()
    assert (counts.submitted, counts.pending) == (0, 0)


# -- a callback that raises what is not an Exception --------------------------------


@pytest.mark.parametrize("raised", [SystemExit, KeyboardInterrupt])
def test_a_callback_raising_systemexit_does_not_kill_the_sender_thread(
    served: Served, caplog: pytest.LogCaptureFixture, raised: type[BaseException]
) -> None:
    """On the sender's thread it would only end that thread and strand every other rating."""
    seen: list[str] = []

    def exits(outcome: ff.SendOutcome) -> None:
        seen.append(outcome.status)
        if len(seen) == 1:
            raise raised

    jobs = [served.fake.add_job("scrape") for _ in range(3)]
    with caplog.at_level(logging.ERROR, logger="firecrawl_feedback"):
        sender = FeedbackSender(
            api_key=served.fake.api_key,
            base_url=served.url,
            on_outcome=exits,
            concurrency=1,
            max_rate_per_minute=None,
        )
        for job in jobs:
            assert sender.scrape(job, rating="bad", note="x")
        wait_for(lambda: sender.counts.pending == 0)
        counts = sender.close()
    assert (counts.stored, counts.pending) == (3, 0)
    assert seen == ["stored"] * 3
    assert "on_outcome callback raised" in caplog.text


# -- close() racing the loop ----------------------------------------------------------


def test_no_attempt_starts_after_close_reported_the_item_never_sent() -> None:
    """close() ends what its loop had no time for from its own thread (abandon); a task
    that wakes up later must not send it: it was reported "dropped, never sent"."""
    from firecrawl_feedback._client import Prepared
    from firecrawl_feedback._sender._engine import Engine
    from firecrawl_feedback._sender._items import CallOptions, Item
    from firecrawl_feedback._sender._options import check_sender_options
    from firecrawl_feedback._sender._outcomes import Ledger
    from firecrawl_feedback._validation import build_endpoint_request

    ended: list[ff.SendOutcome] = []
    sent: list[object] = []
    ledger = Ledger(ended.append)

    async def send(item: object, remaining: float) -> ff.FeedbackResult:
        sent.append(item)
        raise AssertionError("sent after close() reported it never sent")

    options = check_sender_options(0, {"concurrency": 1, "max_rate_per_minute": None})
    engine = Engine(send, options, ledger, lambda: None)
    body = build_endpoint_request(endpoint="scrape", job_id=JOB, rating="bad", note="late")
    item = Item.new(Prepared(body), CallOptions.pop({}), None, options)

    async def main() -> None:
        ledger.note("submitted")
        engine.accept(item)  # its task is created, not yet run
        engine.abandon()  # what close() does when the loop did not stop in time
        await asyncio.sleep(0)  # the task runs now
        await asyncio.sleep(0)

    asyncio.run(main())
    assert sent == []
    assert [(o.status, o.reason) for o in ended] == [("dropped", "closed")]
    assert ledger.snapshot().requests == 0


# -- AsyncFeedbackSender and event loops ----------------------------------------------


def test_an_async_sender_used_on_a_second_loop_says_so_before_counting(
    outcomes: Outcomes,
) -> None:
    """Its queue and engine belong to the loop it first ran on: a clear error, not asyncio's."""
    sender = AsyncFeedbackSender(
        api_key="fc-edge-probe-key",
        transport=httpx.MockTransport(_answer),
        max_rate_per_minute=None,
        on_outcome=outcomes,
    )

    async def first() -> None:
        assert await sender.scrape(JOB, rating="bad", note="first loop")
        assert await sender.flush()

    async def second() -> list[str]:
        messages = []
        for call in (
            lambda: sender.map(JOB, rating="bad", note="second loop"),
            sender.flush,
            sender.aclose,
        ):
            with pytest.raises(ConfigurationError, match="event loop") as raised:
                await call()
            messages.append(str(raised.value))
        return messages

    asyncio.run(first())
    messages = asyncio.run(second())
    assert len(set(messages)) == 1
    counts = sender.counts
    assert (counts.submitted, counts.stored, counts.pending) == (1, 1, 0)


# -- os.fork() ------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_copy_of_a_sender_refuses_ratings_and_leaves_the_parents_alone(
    served: Served,
) -> None:
    """The child has none of the sender's threads, and the client's connections are the
    parent's: a rating there would never be sent, and its exit-time flush reported the
    parent's ratings, sent by the parent, as "dropped, never sent"."""
    served.fake.faults.next(2, delay=0.5)  # the parent's ratings are in flight at the fork
    jobs = [served.fake.add_job("scrape") for _ in range(3)]
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from firecrawl_feedback import ConfigurationError, FeedbackSender
        sender = FeedbackSender(
            api_key={served.fake.api_key!r}, base_url={served.url!r}, concurrency=2,
            max_rate_per_minute=None,
            on_outcome=lambda o: print(os.getpid(), o.status, o.reason, flush=True),
        )
        for job in {jobs[:2]!r}:
            sender.scrape(job, rating="bad", note="parent")
        while sender.counts.requests < 2:  # both attempts have started
            time.sleep(0.01)
        pid = os.fork()
        if pid == 0:
            try:
                sender.scrape({jobs[2]!r}, rating="bad", note="child")
            except ConfigurationError as exc:
                print("child refused:", exc, flush=True)
            sys.exit(0)  # the exit-time flush runs here
        os.waitpid(pid, 0)
        print("parent", os.getpid(), "stored", sender.close(30).stored, flush=True)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    parent = lines[-1].split()[1]
    assert lines[-1] == f"parent {parent} stored 2"
    refused = [line for line in lines if line.startswith("child refused:")]
    assert len(refused) == 1 and "fork" in refused[0]
    # Every outcome came from the parent, and the child logged no close summary.
    assert sorted(lines[:-1]) == sorted(
        [refused[0], f"{parent} stored None", f"{parent} stored None"]
    )
    assert "closed with" not in result.stderr
    assert [r.body["note"] for r in served.fake.feedback] == ["parent", "parent"]


# -- numbers out of range -------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        # FeedbackSender started a thread for each at construction: it never returned.
        ("concurrency", 10**400, "concurrency must be a whole number, 1 to 1024"),
        ("concurrency", 1025, "1 to 1024"),
        # math.isfinite() raised OverflowError for an int beyond a float.
        ("max_rate_per_minute", 10**400, "max_rate_per_minute"),
        ("feedback_window", 10**400, "feedback_window"),
        # A call blocked for room waited on a lock, which raised OverflowError.
        ("block_timeout", 1e300, "block_timeout must be at most"),
        # Taken, then each outcome logged a TypeError's traceback.
        ("on_outcome", 3, "on_outcome must be callable"),
    ],
    ids=["concurrency-huge", "concurrency-1025", "rate-huge", "window-huge", "block-1e300", "cb"],
)
@pytest.mark.parametrize("cls", [FeedbackSender, AsyncFeedbackSender])
def test_an_option_out_of_range_is_a_configuration_error(
    cls: type[FeedbackSender] | type[AsyncFeedbackSender], option: str, value: object, words: str
) -> None:
    with pytest.raises(ConfigurationError, match=words):
        cls(api_key="fc-test", **{option: value})  # type: ignore[arg-type]


def test_a_number_out_of_range_at_a_call_is_refused_by_name() -> None:
    """created_at beyond a float raised OverflowError; close(1e300) did too, in its wait."""
    with FeedbackSender(api_key="fc-test", transport=httpx.MockTransport(_answer)) as sender:
        with pytest.raises(ff.ValidationError, match="created_at"):
            sender.scrape(JOB, rating="bad", note="n", created_at=10**400)
        with pytest.raises(ConfigurationError, match="timeout must be at most"):
            sender.close(1e300)


def test_ctrl_c_during_the_exit_time_flush_ends_it_in_one_line() -> None:
    """Python printed "Exception ignored in atexit callback" and a KeyboardInterrupt traceback."""
    script = textwrap.dedent(
        """
        import os, signal, threading, httpx
        from firecrawl_feedback import FeedbackSender

        def answer(request):
            while not sender._closed:  # the exit-time flush has begun
                threading.Event().wait(0.01)
            os.kill(os.getpid(), signal.SIGINT)
            threading.Event().wait()  # never answers

        sender = FeedbackSender(api_key="fc-test", transport=httpx.MockTransport(answer))
        sender.scrape("0190d7a2-3c4b-7d5e-8f60-123456789abc", rating="bad", note="n")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (
        0,
        "the feedback sender's exit-time flush was interrupted; 1 rating(s) not sent\n",
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_item_for_a_client_closed_by_the_caller_ends_at_once(
    mode: str, outcomes: Outcomes
) -> None:
    """A closed client was "retried" like a dropped connection: backoff waits, then
    ``rejected (retries)`` after max_retries + 1 attempts of which none was sent."""
    transport = httpx.MockTransport(_answer)
    if mode == "sync":
        client = ff.FeedbackClient("fc-edge-probe-key", transport=transport)
        with FeedbackSender(client, on_outcome=outcomes, exit_timeout=None) as sender:
            client.close()
            assert sender.scrape(JOB, rating="bad", note="n")
            assert sender.flush(30)
    else:

        async def main() -> None:
            aclient = ff.AsyncFeedbackClient("fc-edge-probe-key", transport=transport)
            async with AsyncFeedbackSender(aclient, on_outcome=outcomes) as sender:
                await aclient.aclose()
                assert await sender.scrape(JOB, rating="bad", note="n")
                assert await sender.flush(30)

        asyncio.run(main())
    (outcome,) = outcomes.items
    assert (outcome.status, outcome.reason, outcome.attempts) == ("rejected", "error", 1)
    assert not outcome.maybe_stored and "closed" in str(outcome.error)
