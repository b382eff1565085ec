"""How every item given to a sender ends: one outcome each, counted, logged, reported."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from .._errors import APIError
from .._logging import logger
from .._result import FeedbackResult

OutcomeStatus = Literal["stored", "duplicate", "rejected", "dropped"]
#: Why an item was dropped (never attempted).
DropReason = Literal["queue_full", "deadline", "closed"]
#: Why an attempted item was given up: a final answer (4xx), retries used up
#: (or a server wait beyond the policy's ``max_server_wait``), no time left
#: before its deadline for another attempt, or the sender was closed.
RejectReason = Literal["error", "retries", "deadline", "closed"]


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """How one item ended; given to the sender's ``on_outcome`` callback.

    ``stored``: the server answered with a new feedback id (or the nil id of a
    zero-data-retention team or job: ``result.stored`` is then False).
    ``duplicate``: the server answered ``alreadySubmitted``. ``rejected``: at
    least one attempt was made and the item failed; ``maybe_stored`` says
    whether the server may hold it anyway (an attempt may have landed and no
    later answer ruled it out): never counted as stored, the sender cannot know.
    ``dropped``: never attempted (queue full, deadline too close, or closed).
    """

    #: ``stored``, ``duplicate``, ``rejected`` or ``dropped``.
    status: OutcomeStatus
    #: ``scrape``, ``parse``, ``map`` or ``search``.
    endpoint: str
    #: The job's id, in canonical lower-case form.
    job_id: str
    #: Epoch seconds after which the item was not to be sent.
    deadline: float
    #: Requests made for this item (0 when dropped).
    attempts: int
    #: For ``dropped`` and ``rejected``: why (see ``DropReason``, ``RejectReason``).
    reason: str | None = None
    #: For ``stored`` and ``duplicate``: the server's answer.
    result: FeedbackResult | None = field(default=None, repr=False)
    #: For ``rejected``: the last error (its ``attempts`` and ``maybe_stored`` are set).
    error: APIError | None = None

    @property
    def maybe_stored(self) -> bool:
        """True for a rejected item that the server may hold anyway."""
        return self.error is not None and self.error.maybe_stored


@dataclass(frozen=True, slots=True)
class SenderCounts:
    """A snapshot of a sender's counters.

    Once ``pending`` is 0, ``stored + duplicate + rejected + dropped == submitted``.
    """

    #: Items handed to the sender (every call that did not raise).
    submitted: int
    #: Items without an outcome yet (queued, in flight, or waiting to retry).
    pending: int
    #: Items per outcome (see ``SendOutcome.status``).
    stored: int
    duplicate: int
    rejected: int
    dropped: int
    #: Rejected items the server may hold anyway (a subset of ``rejected``).
    maybe_stored: int
    #: ``dropped`` by reason, ``rejected`` by reason.
    dropped_reasons: Mapping[str, int]
    rejected_reasons: Mapping[str, int]
    #: Requests sent (every attempt of every item; one cut at its item's deadline is
    #: counted, though it may not have reached the server).
    requests: int
    #: 429 answers that paused the whole sender.
    rate_limit_pauses: int


OutcomeCallback = Callable[[SendOutcome], object]
#: What the ledger counts besides outcomes.
Event = Literal["submitted", "requests", "rate_limit_pauses"]


class Ledger:
    """Thread-safe counters; records each item's one outcome, logs it, calls back."""

    def __init__(self, on_outcome: OutcomeCallback | None) -> None:
        self._on_outcome = on_outcome
        self._lock = threading.Lock()
        self._events: Counter[Event] = Counter()
        self._status: Counter[str] = Counter()
        self._reasons = {"dropped": Counter[str](), "rejected": Counter[str]()}
        self._maybe_stored = 0

    def note(self, event: Event) -> None:
        with self._lock:
            self._events[event] += 1

    def withdraw(self) -> None:
        """Un-count a submission whose call raised (interrupted while it waited for room)."""
        with self._lock:
            self._events["submitted"] -= 1

    def record(self, outcome: SendOutcome) -> None:
        """Count ``outcome`` and report it once (callers guarantee one per item)."""
        self.count(outcome)
        self.report(outcome)

    def count(self, outcome: SendOutcome) -> None:
        """Count ``outcome``: from now on it is no longer pending."""
        with self._lock:
            self._status[outcome.status] += 1
            if outcome.status in self._reasons:
                self._reasons[outcome.status][outcome.reason or "?"] += 1
            self._maybe_stored += outcome.maybe_stored

    def report(self, outcome: SendOutcome) -> None:
        """Log ``outcome`` and hand it to the callback (outside every lock of the sender)."""
        _log(outcome)
        if self._on_outcome is not None:
            try:
                self._on_outcome(outcome)
            except Exception:  # a broken callback must not stop the sender
                logger.exception("the sender's on_outcome callback raised")
            except BaseException:
                # SystemExit or KeyboardInterrupt off the main thread (FeedbackSender's
                # loop) would only end that thread and strand every pending rating.
                if threading.current_thread() is threading.main_thread():
                    raise
                logger.exception("the sender's on_outcome callback raised")

    def snapshot(self) -> SenderCounts:
        with self._lock:
            submitted = self._events["submitted"]
            return SenderCounts(
                submitted=submitted,
                pending=submitted - sum(self._status.values()),
                stored=self._status["stored"],
                duplicate=self._status["duplicate"],
                rejected=self._status["rejected"],
                dropped=self._status["dropped"],
                maybe_stored=self._maybe_stored,
                dropped_reasons=MappingProxyType(dict(self._reasons["dropped"])),
                rejected_reasons=MappingProxyType(dict(self._reasons["rejected"])),
                requests=self._events["requests"],
                rate_limit_pauses=self._events["rate_limit_pauses"],
            )


def _log(outcome: SendOutcome) -> None:
    what = f"feedback for {outcome.endpoint} job {outcome.job_id}"
    # Each item is logged once. Drops at a full queue or at close() come in
    # floods: DEBUG each (close() logs one WARNING summary; counts show both).
    if outcome.reason in ("queue_full", "closed"):
        logger.debug("%s ended (%s, %s)", what, outcome.status, outcome.reason)
    elif outcome.status == "dropped":
        logger.warning("%s dropped (%s), never sent", what, outcome.reason)
    elif outcome.status == "rejected":
        logger.warning(
            "%s failed after %d attempt(s) (%s): %s%s",
            what,
            outcome.attempts,
            outcome.reason,
            outcome.error,
            "; the server may hold it anyway" if outcome.maybe_stored else "",
        )
