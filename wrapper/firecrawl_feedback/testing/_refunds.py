"""The refund policy and the daily cap (server reference, "Refunds and the daily cap")."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._model import Job, JobKind

#: json, screenshot and actions make a scrape expensive; their refund is capped lower.
_RICH_FORMATS = frozenset({"json", "screenshot"})


def wanted_refund(job: Job, rating: str) -> int:
    """Credits the feedback would refund before the daily cap; never above what was billed."""
    if job.credits <= 0:
        return 0
    if job.kind == "search":
        wanted = 1  # any rating refunds one credit
    elif rating == "good":
        wanted = 0  # good on non-search jobs refunds nothing
    elif job.kind == "parse" or (job.kind == "scrape" and job.pdf_parser):
        wanted = min(math.ceil(job.credits * 0.25), 10)
    elif job.kind == "scrape" and (job.actions or job.formats & _RICH_FORMATS):
        wanted = min(math.ceil(job.credits * 0.25), 5)
    else:
        wanted = 1  # map and plain scrape
    return min(wanted, job.credits)


def cap_bucket(kind: JobKind) -> str:
    """Search refunds and all others are capped separately."""
    return "search" if kind == "search" else "other"


@dataclass(frozen=True)
class Payout:
    """What the cap lets through."""

    paid: int
    refunded_today: int
    cap_reached: bool


def apply_cap(wanted: int, refunded_today: int, cap: int) -> Payout:
    """Pay what is left today; the cap is reached when a refund is cut to 0 or fills it."""
    paid = min(wanted, max(0, cap - refunded_today))
    total = refunded_today + paid
    reached = (wanted > 0 and paid == 0) or (paid > 0 and total >= cap)
    return Payout(paid=paid, refunded_today=total, cap_reached=reached)
