"""Fixtures for the CLI tests: a reference server on loopback and batch files for it."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from firecrawl_feedback.testing import FakeFirecrawl, JobKind

#: High enough that the fake's per-minute limit (its clock stands still) never bites.
UNLIMITED = 10**9


@pytest.fixture
def fake() -> FakeFirecrawl:
    return FakeFirecrawl(rate_limit=UNLIMITED)


@pytest.fixture
def url(fake: FakeFirecrawl) -> Iterator[str]:
    with fake.serve() as served:
        yield served


@pytest.fixture
def env(fake: FakeFirecrawl, url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The fake's URL and key in the environment, as a user would export them."""
    monkeypatch.setenv("FIRECRAWL_API_KEY", fake.api_key)
    monkeypatch.setenv("FIRECRAWL_API_URL", url)
    return {"FIRECRAWL_API_KEY": fake.api_key, "FIRECRAWL_API_URL": url}


def body_for(kind: JobKind, job_id: str) -> dict[str, Any]:
    """A valid POST /v2/feedback body for a job of this kind."""
    body: dict[str, Any] = {"endpoint": kind, "jobId": job_id, "rating": "partial"}
    if kind == "search":
        body["missingContent"] = [{"topic": "recent results"}]
    else:
        body["note"] = "The second half of the page is missing."
    return body


def write_batch(fake: FakeFirecrawl, path: Path, count: int) -> list[str]:
    """``count`` new jobs of mixed kinds, one line each; returns the job ids in line order."""
    kinds: Iterator[JobKind] = itertools.cycle(("scrape", "parse", "map", "search"))
    jobs = []
    with path.open("w") as stream:
        for kind in itertools.islice(kinds, count):
            job = fake.add_job(kind, credits=0)
            jobs.append(job)
            stream.write(json.dumps(body_for(kind, job)) + "\n")
    return jobs


def read_ledger(path: Path, *, attempts: bool = False) -> list[dict[str, Any]]:
    """Every complete outcome record (attempt records too if asked); torn fragments left out."""
    records = []
    for line in path.read_bytes().splitlines() if path.exists() else []:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if attempts or record["outcome"] != "attempt":
            records.append(record)
    return records
