"""Batch throughput (async, concurrency 64) and the CLI batch's peak memory by input size."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from firecrawl_feedback import AsyncFeedbackClient

from .calls import API_KEY, FIELDS, JOB, WIRE_BODY
from .stats import Spread, ratios

CONCURRENCY = 64


async def _raw(url: str, count: int) -> float:
    gate = asyncio.Semaphore(CONCURRENCY)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    async with httpx.AsyncClient(base_url=url + "/v2", headers=headers) as client:

        async def one() -> None:
            async with gate:
                (await client.post("/feedback", json=WIRE_BODY)).json()

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        return count / (time.perf_counter() - start)


async def _wrapper(url: str, count: int) -> float:
    gate = asyncio.Semaphore(CONCURRENCY)
    async with AsyncFeedbackClient(API_KEY, base_url=url) as client:

        async def one() -> None:
            async with gate:
                await client.scrape(JOB, **FIELDS)

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        return count / (time.perf_counter() - start)


@dataclass
class ThroughputResult:
    count: int
    rounds: int
    per_second: dict[str, Spread]
    ratio: Spread


def throughput(url: str, count: int, rounds: int) -> ThroughputResult:
    """Submissions per second, wrapper vs raw httpx, alternating who goes first."""
    raw: list[float] = []
    ours: list[float] = []
    for index in range(rounds):
        if index % 2 == 0:
            raw.append(asyncio.run(_raw(url, count)))
            ours.append(asyncio.run(_wrapper(url, count)))
        else:
            ours.append(asyncio.run(_wrapper(url, count)))
            raw.append(asyncio.run(_raw(url, count)))
    return ThroughputResult(
        count, rounds, {"raw": Spread.of(raw), "wrapper": Spread.of(ours)}, ratios(ours, raw)
    )


# The CLI's own peak: VmHWM of this process's address space, which exec() starts
# afresh. ru_maxrss (RUSAGE_SELF) would not do: Linux carries the spawning
# process's peak over exec, so it reported the benchmark process, not the CLI.
_CLI = """
import resource, sys
from firecrawl_feedback._cli._main import main
code = main(sys.argv[2:])
try:
    with open("/proc/self/status") as status:
        peak = next(l.split()[1] for l in status if l.startswith("VmHWM:"))
except (OSError, StopIteration):  # not Linux: the best figure the system has
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "w") as out:
    out.write(str(peak))
sys.exit(code)
"""


def cli_peak_kib(url: str, lines: int) -> tuple[int, float]:
    """Peak RSS (KiB) of the CLI process itself and seconds, for a batch of ``lines`` lines."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        batch = Path(tmp) / "batch.jsonl"
        with batch.open("w") as stream:
            for number in range(lines):
                # One job per line: the batch sends a job once (repeats are not sent).
                job = uuid.UUID(int=number, version=4)
                stream.write(json.dumps({**WIRE_BODY, "jobId": str(job)}) + "\n")
        rss = Path(tmp) / "rss"
        start = time.perf_counter()
        run = subprocess.run(
            [
                sys.executable, "-c", _CLI, str(rss), "batch", str(batch),
                "--ledger", str(Path(tmp) / "ledger"), "--max-rate", "0",
                "--base-url", url, "--api-key", API_KEY, "--progress", "none",
            ],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,  # the batch summary; shown only when the run fails
            text=True,
        )  # fmt: skip
        if run.returncode != 0:
            raise RuntimeError(f"the CLI batch failed ({run.returncode}):\n{run.stderr}")
        return int(rss.read_text()), time.perf_counter() - start
