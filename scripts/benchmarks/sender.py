"""The background sender: what a pipeline step pays per rating, and what the sender costs.

- the median time of ``sender.scrape(...)`` on the caller's thread (paced at
  1,000 ratings a minute, and in a burst), next to a blocking ``client.scrape``;
- the share of one core the sender uses at 1,000 ratings a minute (the server's
  default team limit): process CPU time over the run, minus the caller thread's
  own CPU time, divided by the wall time. The reference server runs in another
  process, so its work is not counted.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .stats import Spread

RATE_PER_MINUTE = 1000

_SERVER = """
import json, sys
from firecrawl_feedback.testing import FakeFirecrawl
fake = FakeFirecrawl(feedback_window=86400.0, rate_limit=1_000_000)
jobs = [fake.add_job("scrape") for _ in range(int(sys.argv[1]))]
with fake.serve() as url:
    print(json.dumps({"url": url, "key": fake.api_key, "jobs": jobs}), flush=True)
    sys.stdin.read()  # serve until the benchmark closes our stdin
"""


@dataclass(frozen=True)
class Fake:
    url: str
    key: str
    jobs: list[str]


@dataclass(frozen=True)
class SenderResult:
    paced_us: Spread  # per call, at 1,000 a minute
    burst_us: Spread  # per call, back to back
    burst: int
    blocking_us: Spread  # client.scrape on the same server, back to back
    blocking_paced_us: Spread  # the same, paced like the sender's calls
    validation_paced_us: Spread  # validation alone, paced: the floor of any call
    seconds: float
    ratings: int
    sender_cpu: float
    caller_cpu: float
    stored: int


@contextlib.contextmanager
def fake_in_another_process(jobs: int) -> Iterator[Fake]:
    """The reference server in its own process, with ``jobs`` scrape jobs."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(jobs)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None  # noqa: S101 (piped above)
        info = json.loads(process.stdout.readline())
        yield Fake(info["url"], info["key"], info["jobs"])
    finally:
        assert process.stdin is not None  # noqa: S101 (piped above)
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _us(samples: list[int]) -> Spread:
    return Spread.of([s / 1000 for s in samples])


def _paced(fake: Fake, jobs: list[str]) -> tuple[list[int], float, float, float, int]:
    from firecrawl_feedback import FeedbackSender  # noqa: PLC0415 (measured code)

    interval = 60.0 / RATE_PER_MINUTE
    timings: list[int] = []
    sender = FeedbackSender(api_key=fake.key, base_url=fake.url, exit_timeout=None)
    sender.scrape(jobs[0], rating="bad", note="warm-up")  # connections and first imports
    sender.flush(30)
    cpu_start, caller_start, wall_start = time.process_time(), time.thread_time(), time.monotonic()
    for n, job in enumerate(jobs[1:]):
        pause = wall_start + n * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        started = time.perf_counter_ns()
        sender.scrape(job, rating="bad", note="paced rating", issues=["missing_content"])
        timings.append(time.perf_counter_ns() - started)
    sender.flush(60)
    wall = time.monotonic() - wall_start
    caller = time.thread_time() - caller_start
    process = time.process_time() - cpu_start
    stored = sender.close().stored
    return timings, wall, process - caller, caller, stored


def _burst(fake: Fake, jobs: list[str]) -> list[int]:
    from firecrawl_feedback import FeedbackSender  # noqa: PLC0415 (measured code)

    timings: list[int] = []
    with FeedbackSender(
        api_key=fake.key, base_url=fake.url, max_queue=len(jobs), exit_timeout=None
    ) as sender:
        for job in jobs:
            started = time.perf_counter_ns()
            sender.scrape(job, rating="bad", note="burst rating", issues=["missing_content"])
            timings.append(time.perf_counter_ns() - started)
        sender.close(0.1)  # the burst's sending is not what is measured
    return timings


def _blocking(fake: Fake, jobs: list[str], pace: float) -> list[int]:
    from firecrawl_feedback import FeedbackClient  # noqa: PLC0415 (measured code)

    timings: list[int] = []
    with FeedbackClient(fake.key, base_url=fake.url) as client:
        for job in jobs:
            if pace:
                time.sleep(pace)
            started = time.perf_counter_ns()
            client.scrape(job, rating="bad", note="blocking rating", issues=["missing_content"])
            timings.append(time.perf_counter_ns() - started)
    return timings


def _validation_only(jobs: list[str], pace: float) -> list[int]:
    """The floor: the validation every call does, paced the same way (caches go cold)."""
    from firecrawl_feedback._validation import build_endpoint_request  # noqa: PLC0415

    timings: list[int] = []
    for job in jobs:
        time.sleep(pace)
        started = time.perf_counter_ns()
        build_endpoint_request(
            endpoint="scrape", job_id=job, rating="bad", note="paced", issues=["missing_content"]
        )
        timings.append(time.perf_counter_ns() - started)
    return timings


def measure(seconds: float, burst: int) -> SenderResult:
    """A paced run of ``seconds`` at 1,000 a minute, a burst, and blocking calls."""
    paced_count = int(seconds * RATE_PER_MINUTE / 60) + 1
    blocking_count = 200
    pace = 60.0 / RATE_PER_MINUTE
    with fake_in_another_process(paced_count + burst + 2 * blocking_count) as fake:
        jobs = fake.jobs
        timings, wall, sender_cpu, caller_cpu, stored = _paced(fake, jobs[:paced_count])
        burst_timings = _burst(fake, jobs[paced_count : paced_count + burst])
        rest = jobs[paced_count + burst :]
        blocking = _blocking(fake, rest[:blocking_count], 0.0)
        blocking_paced = _blocking(fake, rest[blocking_count:], pace)
    validation = _validation_only(jobs[:blocking_count], pace)
    return SenderResult(
        paced_us=_us(timings),
        burst_us=_us(burst_timings),
        burst=burst,
        blocking_us=_us(blocking),
        blocking_paced_us=_us(blocking_paced),
        validation_paced_us=_us(validation),
        seconds=wall,
        ratings=len(timings),
        sender_cpu=sender_cpu,
        caller_cpu=caller_cpu,
        stored=stored,
    )


def markdown(r: SenderResult) -> list[str]:
    """The README block for this section."""
    share = r.sender_cpu / r.seconds
    return [
        f"#### Background sender ({r.ratings} ratings at {RATE_PER_MINUTE}/min, "
        "reference server in another process)",
        "",
        "| on the caller's thread | median us per call (min-max) |",
        "|---|---|",
        f"| `sender.scrape(...)`, paced at {RATE_PER_MINUTE}/min | {r.paced_us.show(digits=1)} |",
        f"| `sender.scrape(...)`, {r.burst} back to back | {r.burst_us.show(digits=1)} |",
        f"| validation alone, paced the same (the floor) | "
        f"{r.validation_paced_us.show(digits=1)} |",
        f"| blocking `client.scrape(...)`, loopback, paced the same | "
        f"{r.blocking_paced_us.show(digits=1)} |",
        f"| blocking `client.scrape(...)`, loopback, back to back | "
        f"{r.blocking_us.show(digits=1)} |",
        "",
        f"- sender CPU: {r.sender_cpu:.2f} s over {r.seconds:.1f} s = "
        f"**{share * 100:.1f} % of one core** at {RATE_PER_MINUTE} ratings a minute "
        f"(process CPU {r.sender_cpu + r.caller_cpu:.2f} s minus the caller's "
        f"{r.caller_cpu:.2f} s); {r.stored} stored",
        f"- per rating: {r.sender_cpu / max(1, r.ratings) * 1e3:.2f} ms of sender CPU; a "
        f"pipeline step pays {r.paced_us.median:.0f} us instead of "
        f"{r.blocking_paced_us.median:.0f} us for a blocking call on loopback (a real "
        "network's round trip, plus any retries, on top)",
    ]
