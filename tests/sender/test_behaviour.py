"""The sender's contract: validation at the call, queue policy, close, ownership, outcomes."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import textwrap
import time
import uuid

import firecrawl_feedback as ff
import pytest
from firecrawl_feedback import (
    AsyncFeedbackSender,
    ConfigurationError,
    FeedbackClient,
    FeedbackSender,
    RetryPolicy,
    ValidationError,
)

from .conftest import Outcomes, Served, wait_for

GENEROUS = 10.0  # "does not hang" slack


def _sender(served: Served, outcomes: Outcomes | None = None, **options: object) -> FeedbackSender:
    options.setdefault("max_rate_per_minute", None)
    return FeedbackSender(
        api_key=served.fake.api_key,
        base_url=served.url,
        on_outcome=outcomes,
        **options,  # type: ignore[arg-type]
    )


# -- validation stays synchronous -------------------------------------------------


def test_bad_input_raises_at_the_call_and_nothing_is_queued(served: Served) -> None:
    job = served.fake.add_job("scrape")
    with _sender(served) as sender:
        with pytest.raises(ValidationError) as caught:
            sender.scrape(job, rating="meh", issues=["Not A Code"])
        assert {v.field for v in caught.value.violations} == {"rating", "issues[0]"}
        with pytest.raises(ValidationError):
            sender.search("not-a-uuid", rating="good", valuable_sources=["https://a.example"])
        with pytest.raises(ValidationError):
            sender.submit_body({"endpoint": "scrape", "jobId": job, "rating": "bad"})
        with pytest.raises(ConfigurationError, match="max_retries"):
            sender.scrape(job, rating="bad", note="x", max_retries=-1)
        with pytest.raises(ConfigurationError, match="block_timeout"):
            sender.scrape(job, rating="bad", note="x", block_timeout=-1)
        with pytest.raises(TypeError, match="not_an_option"):
            sender.search_body(job, {"rating": "bad"}, not_an_option=1)  # type: ignore[call-arg]
        with pytest.raises(ValidationError, match="issues: is not a known argument"):
            sender.search(job, rating="bad", issues=["x"])  # type: ignore[call-arg]
        assert sender.counts.submitted == 0
    assert served.fake.requests == []


def test_bad_input_raises_at_the_call_async(served: Served) -> None:
    async def main() -> None:
        async with AsyncFeedbackSender(api_key=served.fake.api_key, base_url=served.url) as sender:
            with pytest.raises(ValidationError):
                await sender.map(str(uuid.uuid4()), rating="bad")  # no signal at all
            assert sender.counts.submitted == 0

    asyncio.run(main())
    assert served.fake.requests == []


def test_every_method_sends_what_the_client_would(served: Served, outcomes: Outcomes) -> None:
    fake = served.fake
    jobs = {kind: fake.add_job(kind) for kind in ("scrape", "parse", "map", "search")}
    more = fake.add_job("scrape")
    search_again = fake.add_job("search")
    with _sender(served, outcomes) as sender:
        assert sender.scrape(jobs["scrape"], rating="bad", note="a")
        assert sender.parse(jobs["parse"], rating="bad", page_numbers=[2])
        assert sender.map(jobs["map"], rating="bad", url="https://a.example/x")
        assert sender.search(jobs["search"], rating="bad", query_suggestions="q")
        assert sender.submit("scrape", more, rating="good", tags=["t"], extra_headers={"X-A": "1"})
        assert sender.submit_body(
            {"endpoint": "search", "jobId": search_again, "rating": "bad", "note": "n",
             "querySuggestions": "q"}
        )  # fmt: skip
        assert sender.flush(30)
    assert outcomes.by_status() == {"stored": 6}
    routes = sorted(record.route for record in fake.feedback)
    assert routes == ["feedback"] * 5 + ["search"]


# -- the queue's policy when full ---------------------------------------------------


def test_a_full_queue_drops_with_a_counted_reason_after_the_block_timeout(
    served: Served, outcomes: Outcomes
) -> None:
    served.fake.faults.next(2, delay=5.0)  # the first two ratings hold the queue's room
    jobs = [served.fake.add_job("scrape") for _ in range(4)]
    with _sender(served, outcomes, max_queue=2, concurrency=2) as sender:
        assert sender.scrape(jobs[0], rating="bad", note="holds room")
        assert sender.scrape(jobs[1], rating="bad", note="holds room")
        started = time.monotonic()
        assert sender.scrape(jobs[2], rating="bad", note="no room") is False  # default: no wait
        assert sender.scrape(jobs[3], rating="bad", note="no room", block_timeout=0.2) is False
        took = time.monotonic() - started
        assert 0.2 <= took < 0.2 + GENEROUS
        assert sender.flush(30)
        counts = sender.counts
    assert (counts.submitted, counts.stored, counts.dropped) == (4, 2, 2)
    assert dict(counts.dropped_reasons) == {"queue_full": 2}
    assert {o.job_id for o in outcomes.items if o.status == "dropped"} == set(jobs[2:])


def test_a_blocked_call_gets_room_when_an_item_finishes(served: Served) -> None:
    served.fake.faults.next(1, delay=0.3)
    jobs = [served.fake.add_job("map") for _ in range(2)]
    with _sender(served, max_queue=1, block_timeout=GENEROUS) as sender:
        assert sender.map(jobs[0], rating="bad", note="first")
        assert sender.map(jobs[1], rating="bad", note="waits for room")
        assert sender.flush(30)
        assert sender.counts.stored == 2


# -- close, flush, ownership ----------------------------------------------------------


def test_close_returns_within_its_timeout_and_ends_every_item(
    served: Served, outcomes: Outcomes
) -> None:
    served.fake.faults.random(1.0, seed=3, hang=30)
    jobs = [served.fake.add_job("scrape") for _ in range(10)]
    sender = _sender(served, outcomes, concurrency=2, timeout=20)
    for job in jobs:
        assert sender.scrape(job, rating="bad", note="hangs")
    wait_for(lambda: len(served.fake.requests) == 2)
    started = time.monotonic()
    counts = sender.close(timeout=1.0)
    assert time.monotonic() - started < 1.0 + GENEROUS
    assert counts.pending == 0
    assert (counts.rejected, counts.dropped) == (2, 8)
    assert dict(counts.rejected_reasons) == {"closed": 2}
    assert dict(counts.dropped_reasons) == {"closed": 8}
    assert counts.maybe_stored == 2  # in flight: the server may have them
    assert sorted(o.job_id for o in outcomes.items) == sorted(jobs)
    with pytest.raises(ConfigurationError, match="closed"):
        sender.scrape(jobs[0], rating="bad", note="too late")
    assert sender.close() == counts  # again: nothing more happens


def test_close_async_returns_within_its_timeout(served: Served, outcomes: Outcomes) -> None:
    served.fake.faults.random(1.0, seed=3, hang=30)
    jobs = [served.fake.add_job("search") for _ in range(6)]

    async def main() -> ff.SenderCounts:
        sender = AsyncFeedbackSender(
            api_key=served.fake.api_key, base_url=served.url, concurrency=3, on_outcome=outcomes
        )
        for job in jobs:
            assert await sender.search(job, rating="bad", query_suggestions="q")
        await asyncio.sleep(0.2)
        return await sender.aclose(timeout=1.0)

    started = time.monotonic()
    counts = asyncio.run(main())
    assert time.monotonic() - started < 1.2 + GENEROUS
    assert counts.pending == 0 and counts.stored == 0
    assert counts.rejected + counts.dropped == 6
    assert len(outcomes.items) == 6


def test_a_given_client_stays_open_a_built_one_is_closed(served: Served) -> None:
    job = served.fake.add_job("scrape")
    client = FeedbackClient(served.fake.api_key, base_url=served.url)
    with FeedbackSender(client, max_rate_per_minute=None) as sender:
        assert sender.client is client
        assert sender.scrape(job, rating="bad", note="through the caller's client")
    assert client.scrape(job, rating="bad", note="still open").already_submitted
    client.close()
    built = _sender(served)
    built.close()
    with pytest.raises(ConfigurationError, match="closed"):
        built.client.scrape(job, rating="bad", note="closed with its sender")


def test_retry_is_the_senders_name_too_and_retry_policy_still_works(served: Served) -> None:
    """The clients take retry=, the senders took retry_policy= (same type, same meaning)."""
    policy = ff.RetryPolicy(max_retries=7)
    client = FeedbackClient(served.fake.api_key, base_url=served.url)
    with pytest.warns(DeprecationWarning, match="retry_policy is deprecated; pass retry") as seen:
        old = FeedbackSender(client, retry_policy=policy, exit_timeout=None)
    assert seen[0].filename == __file__  # points at the caller's line
    new = FeedbackSender(client, retry=policy, exit_timeout=None)
    assert old._options.policy is new._options.policy is policy
    with pytest.raises(ConfigurationError, match="pass retry only"):
        AsyncFeedbackSender(api_key="fc-x", retry=policy, retry_policy=policy)
    old.close()
    new.close()
    client.close()


def test_a_misspelt_argument_gets_a_did_you_mean(served: Served) -> None:
    """Constructors and body methods: a TypeError naming the likely one (they listed the
    unknown names, or blamed an internal function); keyword methods: the violation's hint."""
    with pytest.raises(TypeError, match=r"FeedbackSender\(\) .* did you mean 'concurrency'"):
        FeedbackSender(api_key="fc-x", concurency=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'exit_timout'; did you mean 'exit_timeout'"):
        FeedbackSender(api_key="fc-x", exit_timout=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'base_ur'; did you mean 'base_url'"):
        AsyncFeedbackSender(api_key="fc-x", base_ur="https://a.example")  # type: ignore[call-arg]
    job = served.fake.add_job("search")
    with _sender(served) as sender:
        body = {"rating": "bad", "querySuggestions": "q"}
        with pytest.raises(TypeError, match=r"^got .* 'block_timout'; did you mean 'block_"):
            sender.search_body(job, body, block_timout=1)  # type: ignore[call-arg]
        with pytest.raises(ValidationError, match="did you mean created_at"):
            sender.search(job, rating="bad", query_suggestions="q", creatd_at=1)  # type: ignore[call-arg]
        assert sender.counts.submitted == 0


def test_the_constructor_checks_its_options(served: Served) -> None:
    client = FeedbackClient(served.fake.api_key, base_url=served.url)
    with pytest.raises(ConfigurationError, match="not both"):
        FeedbackSender(client, api_key="fc-x")
    with pytest.raises(ConfigurationError, match="FeedbackClient"):
        FeedbackSender(object())  # type: ignore[arg-type]
    for option, value, words in [
        ("concurrency", 0, "concurrency"),
        ("max_queue", 1.5, "max_queue"),
        ("max_rate_per_minute", 0, "max_rate_per_minute"),
        ("feedback_window", -1, "feedback_window"),
        ("send_margin", 200, "shorter than feedback_window"),
        ("block_timeout", float("inf"), "block_timeout"),
        ("retry", 3, "retry must be a RetryPolicy"),
        ("exit_timeout", -1, "exit_timeout"),
    ]:
        with pytest.raises(ConfigurationError, match=words):
            FeedbackSender(client, **{option: value})  # type: ignore[arg-type]
    # Keyword arguments are typed (a TypedDict), and still checked by name at run time.
    with pytest.raises(TypeError, match="concurency"):
        FeedbackSender(client, concurency=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="exit_timeout"):
        AsyncFeedbackSender(exit_timeout=1.0)  # type: ignore[call-arg]
    client.close()


# -- outcomes -----------------------------------------------------------------------


@pytest.mark.usefixtures("real_waits")
def test_an_item_whose_answers_were_all_lost_is_rejected_maybe_stored(
    served: Served, outcomes: Outcomes
) -> None:
    served.fake.faults.next(3, drop=True, after_processing=True)
    job = served.fake.add_job("scrape")
    policy = RetryPolicy(max_retries=2, backoff_initial=0.01, backoff_max=0.01)
    with _sender(served, outcomes, retry=policy) as sender:
        sender.scrape(job, rating="bad", note="stored, answer lost")
        assert sender.flush(30)
        counts = sender.counts
    [outcome] = outcomes.items
    assert (outcome.status, outcome.reason, outcome.attempts) == ("rejected", "retries", 3)
    assert outcome.maybe_stored and outcome.error is not None and outcome.error.attempts == 3
    assert (counts.rejected, counts.maybe_stored) == (1, 1)
    assert [record.job_id for record in served.fake.feedback] == [job]  # it was stored


@pytest.mark.usefixtures("real_waits")
def test_a_retry_after_a_lost_answer_is_a_duplicate_stored_by_the_earlier_attempt(
    served: Served, outcomes: Outcomes
) -> None:
    served.fake.faults.next(1, drop=True, after_processing=True)
    job = served.fake.add_job("scrape")
    policy = RetryPolicy(max_retries=2, backoff_initial=0.01, backoff_max=0.01)
    with _sender(served, outcomes, retry=policy) as sender:
        sender.scrape(job, rating="bad", note="stored, answer lost")
    [outcome] = outcomes.items
    assert outcome.status == "duplicate" and outcome.result is not None
    assert outcome.result.stored_by_earlier_attempt and outcome.result.attempts == 2


def test_a_final_answer_is_rejected_at_once_and_not_maybe_stored(
    served: Served, outcomes: Outcomes
) -> None:
    with _sender(served, outcomes) as sender:
        sender.scrape(str(uuid.uuid4()), rating="bad", note="no such job")
    [outcome] = outcomes.items
    assert (outcome.status, outcome.reason, outcome.attempts) == ("rejected", "error", 1)
    assert isinstance(outcome.error, ff.NotFoundError) and not outcome.maybe_stored


def test_a_failing_callback_is_logged_and_the_sender_goes_on(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(outcome: ff.SendOutcome) -> None:
        raise RuntimeError("callback bug")

    jobs = [served.fake.add_job("map") for _ in range(3)]
    with caplog.at_level(logging.ERROR, logger="firecrawl_feedback"):
        with _sender(served, broken) as sender:  # type: ignore[arg-type]
            for job in jobs:
                sender.map(job, rating="bad", note="x")
        assert sender.counts.stored == 3
    assert sum("on_outcome callback raised" in r.message for r in caplog.records) == 3


def test_an_exit_without_close_flushes_pending_ratings(served: Served) -> None:
    """The atexit flush: ratings queued by a script that never closes its sender are sent."""
    jobs = [served.fake.add_job("scrape") for _ in range(5)]
    served.fake.faults.random(1.0, seed=4, delay=0.1)
    script = textwrap.dedent(
        f"""
        from firecrawl_feedback import FeedbackSender
        sender = FeedbackSender(api_key={served.fake.api_key!r}, base_url={served.url!r},
                                concurrency=1, on_outcome=lambda o: print(o.status, flush=True))
        for job in {jobs!r}:
            sender.scrape(job, rating="bad", note="sent at exit")
        print("script done", flush=True)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n", 1)[0] == "script done"
    assert result.stdout.split().count("stored") == 5
    assert len(served.fake.feedback) == 5


def test_aiolimiter_loads_only_when_a_sender_is_built() -> None:
    script = (
        "import sys, firecrawl_feedback as ff\n"
        "assert ff.FeedbackSender.__name__ == 'FeedbackSender'\n"
        "assert 'aiolimiter' not in sys.modules\n"
        "ff.FeedbackSender(api_key='fc-test', base_url='http://127.0.0.1:9').close()\n"
        "assert 'aiolimiter' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_close_too_short_to_cancel_everything_still_ends_every_item(
    served: Served, outcomes: Outcomes
) -> None:
    served.fake.faults.random(1.0, seed=5, hang=30)
    jobs = [served.fake.add_job("scrape") for _ in range(2000)]
    sender = _sender(served, outcomes, concurrency=2, timeout=20)
    for job in jobs:
        assert sender.scrape(job, rating="bad", note="held")
    counts = sender.close(timeout=0.02)
    assert counts.pending == 0 and counts.submitted == 2000
    assert counts.rejected + counts.dropped == 2000
    assert len(outcomes.items) == 2000
    assert len({o.job_id for o in outcomes.items}) == 2000


def test_an_item_on_its_way_to_the_loop_when_it_stops_still_gets_its_outcome() -> None:
    """Held from the caller's thread on: a close that stops the loop first still ends it.

    (A race once seen in CI: one of 2,000 ratings stayed pending after close().)
    """
    from firecrawl_feedback._client import Prepared
    from firecrawl_feedback._sender._engine import Engine
    from firecrawl_feedback._sender._items import CallOptions, Item
    from firecrawl_feedback._sender._options import check_sender_options
    from firecrawl_feedback._sender._outcomes import Ledger
    from firecrawl_feedback._validation import build_endpoint_request

    ended: list[ff.SendOutcome] = []
    ledger = Ledger(ended.append)

    async def never_sent(item: object, remaining: float) -> ff.FeedbackResult:
        raise AssertionError("the loop never ran this item")

    options = check_sender_options(2, {"concurrency": 1, "max_rate_per_minute": None})
    engine = Engine(never_sent, options, ledger, lambda: None)
    body = build_endpoint_request(
        endpoint="scrape", job_id="0190d7a2-3c4b-7d5e-8f60-123456789abc", rating="bad", note="held"
    )
    item = Item.new(Prepared(body), CallOptions.pop({}), None, options)
    ledger.note("submitted")
    engine.hold(item)  # handed to the loop, whose accept() never runs
    engine.abandon()
    assert [(o.status, o.reason) for o in ended] == [("dropped", "closed")]
    assert ledger.snapshot().pending == 0
