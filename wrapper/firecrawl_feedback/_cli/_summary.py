"""How a batch ended: this run's counts, and the state of every line of the input.

The exit code and the totals describe the whole ledger as it applies to the
input (lines finished in earlier runs included), not only what this run did:
a permanent failure recorded yesterday still fails today's re-run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from . import _ledger
from ._exitcodes import ExitCode
from ._ledger import Entry
from ._progress import Counts, per_minute

#: Failures listed on a terminal; ``--json`` lists them all.
SHOWN_FAILURES: Final = 10


@dataclass
class Totals:
    """Every line of the input by its latest record, earlier runs included."""

    stored: int = 0  # success or duplicate: the server holds it
    failed: int = 0  # permanently
    retryable: int = 0  # a transient failure: a re-run sends it again
    unknown: int = 0  # the server may hold it: a re-run sends it again
    credits_refunded: float = 0.0
    daily_cap_reached: bool = False
    #: Lines that failed or ended unknown, in input order: line, job, outcome, error, reason.
    problems: list[dict[str, Any]] = field(default_factory=list)

    def add(self, entry: Entry, line: int) -> None:
        """Count one line whose latest record is ``entry`` (a line of the input now)."""
        if entry.outcome in (_ledger.SUCCESS, _ledger.DUPLICATE):
            self.stored += 1
        elif entry.outcome == _ledger.UNKNOWN:
            self.unknown += 1
        elif entry.outcome == _ledger.FAILED:
            if entry.retryable:
                self.retryable += 1
            else:
                self.failed += 1
        self.credits_refunded += entry.credits
        self.daily_cap_reached = self.daily_cap_reached or entry.cap_reached
        if entry.detail is not None and entry.outcome in (_ledger.FAILED, _ledger.UNKNOWN):
            self.problems.append({**entry.detail, "line": line})

    def merge(self, other: Totals) -> None:
        self.stored += other.stored
        self.failed += other.failed
        self.retryable += other.retryable
        self.unknown += other.unknown
        self.credits_refunded += other.credits_refunded
        self.daily_cap_reached = self.daily_cap_reached or other.daily_cap_reached
        self.problems = sorted([*self.problems, *other.problems], key=lambda p: p["line"] or 0)


@dataclass
class BatchSummary:
    """How a run ended."""

    counts: Counts
    totals: Totals
    elapsed: float
    ledger: Path
    interrupted: bool = False
    terminated: bool = False  # by SIGTERM rather than Ctrl-C
    aborted_by: dict[str, Any] | None = None
    abort_code: ExitCode | None = None
    ledger_error: str | None = None
    unreadable_ledger_lines: int = 0

    @property
    def exit_code(self) -> ExitCode:
        if self.ledger_error is not None:
            return ExitCode.USAGE
        if self.abort_code is not None:
            return self.abort_code
        if self.interrupted:
            return ExitCode.TERMINATED if self.terminated else ExitCode.INTERRUPTED
        if self.totals.failed:
            return ExitCode.BATCH_FAILED
        if self.totals.retryable or self.totals.unknown:
            return ExitCode.BATCH_RETRYABLE
        return ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        c, t = self.counts, self.totals
        return {
            "sent": c.sent,
            "succeeded": c.succeeded,
            "duplicates": c.duplicates,
            "failed": c.failed,
            "retryable": c.retryable,
            "unknown": c.unknown,
            "skipped": c.skipped,
            "edited": c.edited,
            "repeated": c.repeated,
            "blank": c.blank,
            "abandoned": c.abandoned,
            "ledgerTotals": {
                "stored": t.stored,
                "failed": t.failed,
                "retryable": t.retryable,
                "unknown": t.unknown,
                "creditsRefunded": t.credits_refunded,
                "dailyCapReached": t.daily_cap_reached,
            },
            "problems": t.problems,
            "elapsed": round(self.elapsed, 3),
            "perMinute": round(per_minute(c.finished, self.elapsed), 1),
            "ledger": str(self.ledger),
            "interrupted": self.interrupted,
            "abortedBy": self.aborted_by,
            "error": self.ledger_error,
            "exitCode": int(self.exit_code),
        }

    def render(self, *, shown_failures: int = SHOWN_FAILURES) -> str:
        c, t = self.counts, self.totals
        rate = per_minute(c.finished, self.elapsed)
        lines = [
            "batch summary:",
            "  this run:",
            f"    sent          {c.sent}",
            f"    succeeded     {c.succeeded}",
            f"    duplicates    {c.duplicates} (already recorded by the server)",
            f"    failed        {c.failed} permanently, {c.retryable} transiently",
            f"    unknown       {c.unknown} (the server may hold them; a re-run asks again)",
            f"    skipped       {c.skipped} (finished in an earlier run), {c.blank} blank, "
            f"{c.repeated} repeated (a job already on an earlier line)",
            *(
                [
                    f"    abandoned     {c.abandoned} in flight when stopped (the server may hold "
                    "them; a re-run sends them again)"
                ]
                if c.abandoned
                else []
            ),
            f"    elapsed       {self.elapsed:.1f} s ({rate:.0f} lines/min)",
            "  all lines, earlier runs included:",
            f"    stored        {t.stored}",
            f"    failed        {t.failed} permanently, {t.retryable} transiently "
            "(a re-run retries transient ones)",
            f"    unknown       {t.unknown}",
            f"    credits       {_number(t.credits_refunded)} refunded",
        ]
        if t.daily_cap_reached:
            lines.append("    refund cap    the daily refund cap was reached: later feedback "
                         "refunds nothing until tomorrow (UTC)")  # fmt: skip
        lines.append(f"  ledger          {self.ledger}")
        if c.edited:
            lines.append(f"  edited          {c.edited} line(s) changed since recorded; sent again")
        if t.problems:
            lines.append("  lines that failed or are unknown:")
            for problem in t.problems[:shown_failures]:
                lines.append("    " + describe_problem(problem))
            if len(t.problems) > shown_failures:
                lines.append(f"    ... and {len(t.problems) - shown_failures} more "
                             "(--json lists them all, the ledger has every detail)")  # fmt: skip
        if self.unreadable_ledger_lines:
            lines.append(
                f"  note            {self.unreadable_ledger_lines} unreadable ledger line(s) "
                "ignored (a record torn by an earlier crash)"
            )
        if self.ledger_error is not None:
            lines.append(f"  stopped         {self.ledger_error}; lines in flight will be resent")
        elif self.interrupted:
            lines.append("  interrupted     run the same command again to resume")
        if self.aborted_by is not None:
            status = self.aborted_by["status"]
            cause = f" (HTTP {status})" if status is not None else ""
            lines.append(
                f"  stopped         {self.aborted_by['class']}{cause}: "
                "every line would fail the same way"
            )
        return "\n".join(lines)


def describe_problem(problem: dict[str, Any]) -> str:
    """``line 7: failed (ConflictError 409 FEEDBACK_WINDOW_EXPIRED) rating: ...``."""
    what = " ".join(
        str(part)
        for part in (problem.get("class"), problem.get("status"), problem.get("code"))
        if part is not None
    )
    outcome = problem["outcome"]
    if outcome == _ledger.FAILED and problem.get("retryable"):
        outcome = "failed transiently"
    text = f"line {problem['line']}: {outcome}"
    if what:
        text += f" ({what})"
    if problem.get("reason"):
        text += f": {problem['reason']}"
    return text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
