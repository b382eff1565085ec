"""A ledger on a full disk: the batch stops at once with one clear line; nothing is lost.

Runs as root on a 64 KiB tmpfs (as on the development machines and in CI); skipped,
saying why, where mounting is not permitted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from firecrawl_feedback.testing import FakeFirecrawl

from .conftest import read_ledger, write_batch

CLI = str(Path(sys.executable).with_name("firecrawl-feedback"))
#: A cap on waiting for the batch to end (it used to hang for good), not a timing threshold.
PATIENCE = 120.0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB filesystem; always unmounted afterwards."""
    folder = tmp_path / "small"
    folder.mkdir()
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or mount is None or umount is None:
        pytest.skip("mounting a 64 KiB tmpfs needs root and mount(8)")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run([umount, str(folder)], capture_output=True, check=False)


def _batch(
    fake: FakeFirecrawl, url: str, source: Path, ledger: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, "batch", str(source), "--ledger", str(ledger), "--progress", "none",
         "--max-rate", "0", "--max-retries", "0", "--concurrency", "4"],
        env={**os.environ, "FIRECRAWL_API_KEY": fake.api_key, "FIRECRAWL_API_URL": url},
        capture_output=True, text=True, check=False, timeout=PATIENCE,
    )  # fmt: skip


def test_a_full_disk_stops_the_batch_and_a_late_resume_never_calls_stored_jobs_failed(
    fake: FakeFirecrawl, url: str, tmp_path: Path, small_disk: Path
) -> None:
    """ENOSPC: exit 2 with one line, promptly; resumed after the window: stored never failed."""
    source = tmp_path / "batch.jsonl"
    write_batch(fake, source, 400)
    # Some requests are stored and then the connection drops: their outcome is unknown.
    fake.faults.random(0.3, seed=3, drop=True, after_processing=True)
    full_ledger = small_disk / "ledger.jsonl"

    first = _batch(fake, url, source, full_ledger)  # TimeoutExpired here means: it hung

    assert first.returncode == 2, first.stderr
    errors = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: cannot write the ledger {full_ledger}: No space left on device"]
    assert "Traceback" not in first.stderr
    stored_before = {f.job_id for f in fake.feedback}
    assert 0 < len(stored_before) < 400
    assert fake.api_key not in first.stderr + first.stdout

    roomy_ledger = tmp_path / "ledger.jsonl"
    shutil.copyfile(full_ledger, roomy_ledger)
    fake.faults.clear()
    fake.advance(fake.feedback_window + 1)  # every job's window has closed
    second = _batch(fake, url, source, roomy_ledger)

    assert second.returncode in (1, 75), second.stderr  # failed (never sent) or unknown lines
    latest = {r["jobId"]: r for r in read_ledger(roomy_ledger) if "jobId" in r}
    assert stored_before <= set(latest)
    for job in stored_before:
        assert latest[job]["outcome"] in {"success", "duplicate", "unknown"}, latest[job]
    never_sent = {job for job, record in latest.items() if record["outcome"] == "failed"}
    assert never_sent.isdisjoint(stored_before)
    assert {f.job_id for f in fake.feedback} == stored_before  # nothing new after the window
