"""``demo``: the whole batch flow against an in-process reference server; no key, no internet.

It rates one search job on the search route, writes a realistic batch file
(all four endpoints, that search job again, an invalid line, a line that is
not JSON, a job past its feedback window), runs it through the same code as
``firecrawl-feedback batch``, runs it again to show that nothing is sent
twice, and checks every line's outcome against what the demo set up. The two
invalid lines and the expired job are deliberate failures; the exit code is 0
when every line ended as intended.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _ledger
from ._batch import BatchOptions, run_batch_reporting
from ._exitcodes import ExitCode
from ._output import Console, Redactor, format_result
from ._serve import create_jobs
from ._summary import BatchSummary

if TYPE_CHECKING:
    from ..testing import FakeFirecrawl

#: Prints a line of the text form (nothing with --json).
_Say = Callable[..., None]


#: Routine jobs added so that the progress bar has something to show.
_ROUTINE_JOBS = 48


@dataclass(frozen=True)
class _Line:
    """One line of the demo batch and the outcome it should have."""

    body: dict[str, Any] | str  # a str is written as it is (the not-JSON line)
    outcome: str
    why: str
    error: str | None = None  # the error code or class a failure should carry


def _lines(fake: FakeFirecrawl, searched_job: str) -> list[_Line]:
    scrape = fake.add_job("scrape", credits=1)
    scrape_invalid = fake.add_job("scrape", credits=1)
    scrape_json = fake.add_job("scrape", credits=5, formats=["json"])
    parse = fake.add_job("parse", credits=12)
    map_job = fake.add_job("map", credits=1)
    search = fake.add_job("search", credits=2)
    expired = fake.add_job("scrape", credits=1, age=fake.feedback_window + 600)
    lines = [
        _Line(
            {"endpoint": "scrape", "jobId": scrape, "rating": "bad",
             "issues": ["missing_content"], "url": "https://example.com/pricing",
             "note": "The pricing table was cut off after the first row."},
            _ledger.SUCCESS, "scrape, rated bad",
        ),
        _Line(
            {"endpoint": "scrape", "jobId": scrape_json, "rating": "partial",
             "missingContent": [{"topic": "prices", "description": "the json had no prices"}]},
            _ledger.SUCCESS, "scrape with json format, rated partial",
        ),
        _Line(
            {"endpoint": "parse", "jobId": parse, "rating": "bad", "pageNumbers": [3, 4],
             "issues": ["bad_ocr"], "metadata": {"pipeline": "invoices", "run": 7}},
            _ledger.SUCCESS, "parse, rated bad on two pages",
        ),
        _Line(
            {"endpoint": "map", "jobId": map_job, "rating": "partial",
             "note": "The blog section is missing.", "tags": ["sitemap"]},
            _ledger.SUCCESS, "map, rated partial",
        ),
        _Line(
            {"endpoint": "search", "jobId": search, "rating": "good",
             "valuableSources": [{"url": "https://example.com/docs", "reason": "exact answer"}]},
            _ledger.SUCCESS, "search via POST /v2/feedback, rated good",
        ),
        _Line(
            {"endpoint": "search", "jobId": searched_job, "rating": "good",
             "valuableSources": [{"url": "https://example.com/"}]},
            _ledger.DUPLICATE, "the search job already rated on the search route",
        ),
        _Line(
            {"endpoint": "scrape", "jobId": scrape_invalid, "rating": "excellent",
             "issues": ["Missing Content"], "pageNumbers": [0]},
            _ledger.FAILED, "deliberately invalid: bad rating, issue code and page",
            "ValidationError",
        ),
        _Line('{"endpoint": "map", "jobId": ', _ledger.FAILED, "deliberately not JSON",
              "InvalidLine"),
        _Line(
            {"endpoint": "scrape", "jobId": expired, "rating": "bad", "note": "too late"},
            _ledger.FAILED, "deliberately past its feedback window", "FEEDBACK_WINDOW_EXPIRED",
        ),
    ]  # fmt: skip
    for kind, job in create_jobs(fake, _ROUTINE_JOBS):
        body: dict[str, Any] = {"endpoint": kind, "jobId": job, "rating": "partial"}
        if kind == "search":
            body["missingContent"] = [{"topic": "recent results"}]
        else:
            body["note"] = "Routine feedback from a nightly quality check."
        lines.append(_Line(body, _ledger.SUCCESS, "routine"))
    return lines


def _write_batch(path: Path, lines: list[_Line]) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for line in lines:
            text = line.body if isinstance(line.body, str) else json.dumps(line.body)
            stream.write(text + "\n")


def _final_records(ledger: Path) -> dict[int, dict[str, Any]]:
    """The latest outcome record of each line (attempt records say only "about to send")."""
    records: dict[int, dict[str, Any]] = {}
    for raw in ledger.read_bytes().splitlines():
        record = json.loads(raw)
        if record["outcome"] != _ledger.ATTEMPT:
            records[record["line"]] = record
    return records


def _check(lines: list[_Line], ledger: Path, say: _Say) -> list[dict[str, Any]]:
    """Compare each line's recorded outcome with the intended one; the special lines (and any
    that failed the check), printed and returned."""
    records = _final_records(ledger)
    shown = []
    say("\nthe lines that were not routine:")
    for number, line in enumerate(lines, start=1):
        record = records.get(number)
        got = record["outcome"] if record else "not recorded"
        error = (record or {}).get("error") or {}
        error_name = error.get("code") or error.get("class")
        matched = got == line.outcome and (line.error is None or error_name == line.error)
        if line.why != "routine" or not matched:
            mark = "ok  " if matched else "FAIL"
            detail = f" ({error_name})" if error_name else ""
            say(f"  {mark} line {number:>2}: {got}{detail} - {line.why}")
            for violation in error.get("violations", []):
                say(f"             {violation['field']}: {violation['rule']}")
            shown.append({"line": number, "ok": matched, "outcome": got, "error": error_name,
                          "intended": line.outcome, "why": line.why})  # fmt: skip
    return shown


def run_demo(*, directory: Path | None, progress: str, as_json: bool = False) -> ExitCode:
    """Run the demo; 0 when every line ended as intended. With ``as_json``, one JSON document
    (what each step did) instead of the text."""
    from .._client import FeedbackClient  # noqa: PLC0415
    from ..testing import FakeFirecrawl  # noqa: PLC0415

    fake = FakeFirecrawl()
    console = Console(Redactor(fake.api_key))
    say: _Say = (lambda text="": None) if as_json else console.print
    folder = directory or Path(tempfile.mkdtemp(prefix="firecrawl-feedback-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    batch_file, ledger = folder / "demo-batch.jsonl", folder / "demo-ledger.jsonl"
    ledger.unlink(missing_ok=True)  # each demo starts from a fresh server, so a fresh ledger
    with fake.serve() as url:
        say(f"reference server on {url} (in-process, test key, no internet)\n")
        searched_job = fake.add_job("search", credits=2)
        say("1. rating a search job on the search route:")
        with FeedbackClient(fake.api_key, base_url=url) as client:
            result = client.search(
                searched_job, rating="bad", missing_content=[{"topic": "2026 prices"}]
            )
        say("   " + format_result(result).replace("\n", "\n   "))
        lines = _lines(fake, searched_job)
        _write_batch(batch_file, lines)
        say(f"\n2. batch of {len(lines)} lines: {batch_file}")
        options = BatchOptions(source=str(batch_file), ledger=ledger, progress=progress)
        first = _run(options, fake.api_key, url, console, say)
        stored = len(fake.feedback)
        say("\n3. the same batch again (as after an interruption): nothing is resent")
        again = _run(
            BatchOptions(source=str(batch_file), ledger=ledger, progress="none"),
            fake.api_key, url, console, say,
        )  # fmt: skip
    report: dict[str, Any] = {
        "server": url,
        "searchRoute": result.to_dict(),
        "batchFile": str(batch_file),
        "batch": first.to_dict() if first else None,
        "batchAgain": again.to_dict() if again else None,
        "ledger": str(ledger),
    }
    ok = False
    if first is not None and again is not None:
        shown = _check(lines, ledger, say)
        resumed_cleanly = again.counts.sent == 0 and len(fake.feedback) == stored
        if not resumed_cleanly:
            say("  FAIL the second run sent lines again")
        say(f"\nledger: {ledger}")
        ok = resumed_cleanly and all(line["ok"] for line in shown)
        if ok:
            say(
                f"demo OK: {first.counts.failed} failures, all of them deliberate; "
                "every other line was stored once"
            )
        else:
            say("demo FAILED: some lines did not end as intended (see above)")
        report |= {"lines": shown, "resentNothing": resumed_cleanly}
    if as_json:
        console.json(report | {"ok": ok})
    return ExitCode.OK if ok else ExitCode.BATCH_FAILED


def _run(
    options: BatchOptions, api_key: str, url: str, console: Console, say: _Say
) -> BatchSummary | None:
    """The batch command's own code path, with a client for the reference server."""
    from .._client import AsyncFeedbackClient  # noqa: PLC0415

    summary = asyncio.run(
        run_batch_reporting(options, AsyncFeedbackClient(api_key, base_url=url), console)
    )
    if summary is not None:
        say(summary.render())
    return summary
