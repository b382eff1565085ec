"""Injected faults: what the next requests (or a random share of them) suffer.

A fault replaces the answer (a status, a broken body), withholds it (a dropped
connection, a hang), or only slows it (a delay before answering, a body sent
in slow drips). ``after_processing=True`` lets the request go through first,
so the feedback is stored and only the answer is lost or spoiled: the
ambiguous failure whose retry must come back ``alreadySubmitted``.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal, TypedDict, Unpack

from ._answers import JSON_TYPE, Answer, error, http_date, rate_limit_message
from ._ratelimit import wait_seconds

BrokenBody = Literal["html", "truncated", "empty"]
RetryAfterHeader = Literal["seconds", "date", "ms"]

_HTML_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
_PLAUSIBLE_SUCCESS = (
    b'{"success":true,"feedbackId":"0190b2a4-5c3e-7d2f-9a1b-2c3d4e5f6a7b","creditsRefunded":1}'
)


@dataclass(frozen=True)
class Fault:
    """One kind of misbehaviour; build it through ``fake.faults.next(...)``."""

    status: int | None = None
    body: bytes | None = None
    error_code: str | None = None
    retry_after: float = 1.0
    retry_after_headers: frozenset[RetryAfterHeader] = frozenset()
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    drop: bool = False
    hang: float | None = None
    drip: float | None = None
    drip_chunk: int = 16
    broken: BrokenBody | None = None
    after_processing: bool = False

    @property
    def kind(self) -> str:
        """A short name for the request log."""
        for name, active in (
            ("drop", self.drop),
            ("hang", self.hang is not None),
            ("broken", self.broken is not None),
            ("rate_limit", self.status == 429),
            ("status", self.status is not None),
            ("drip", self.drip is not None),
        ):
            if active:
                return name
        return "delay"

    @property
    def replaces_answer(self) -> bool:
        """Whether the server's own answer is replaced or withheld."""
        return self.drop or any(v is not None for v in (self.hang, self.broken, self.status))

    def answer(self, processed: Answer | None, now: float) -> Answer:
        """The answer sent instead of (or, for a slow fault, as) the processed one."""
        if self.broken is not None:
            return self._broken_answer(processed)
        if self.status is None:
            assert processed is not None  # noqa: S101 - non-replacing faults always process
            return processed
        return Answer(
            status=self.status,
            body=self.body if self.body is not None else self._error_body(now),
            headers=(*self._retry_after(now), *self.headers),
        )

    def _error_body(self, now: float) -> bytes:
        status = self.status or 500
        if status == 429:
            wait = wait_seconds(self.retry_after * 1000)
            message = rate_limit_message(wait, now + self.retry_after, 1001, 1000)
        else:
            message = _phrase(status) + " (injected fault)"
        return error(status, message, self.error_code).body

    def _retry_after(self, now: float) -> list[tuple[str, str]]:
        headers = []
        if "seconds" in self.retry_after_headers:
            headers.append(("Retry-After", str(max(0, round(self.retry_after)))))
        if "date" in self.retry_after_headers:
            headers.append(("Retry-After", http_date(now + self.retry_after)))
        if "ms" in self.retry_after_headers:
            headers.append(("retry-after-ms", str(round(self.retry_after * 1000))))
        return headers

    def _broken_answer(self, processed: Answer | None) -> Answer:
        if self.broken == "html":
            return Answer(status=self.status or 502, body=_HTML_PAGE, content_type="text/html")
        status = self.status or (processed.status if processed else 200)
        if self.broken == "empty":
            return Answer(status=status, body=b"", content_type=JSON_TYPE)
        whole = processed.body if processed else _PLAUSIBLE_SUCCESS
        return Answer(status=status, body=whole[: len(whole) // 2], content_type=JSON_TYPE)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class FaultOptions(TypedDict, total=False):
    """What a fault does; every key is optional, delay and drip combine with the others."""

    #: Answer with this status instead (429 carries Firecrawl's "retry after Ns" text).
    status: int
    #: The body to send with ``status`` (bytes, text or a JSON object) instead of an error body.
    body: bytes | str | Mapping[str, object]
    #: The ``feedbackErrorCode`` of the default error body (e.g. ``"INTERNAL"``).
    error_code: str
    #: The wait a 429 announces, in seconds (text, and the headers below).
    retry_after: float
    #: Also announce the wait in ``Retry-After`` (seconds or HTTP date) and/or ``retry-after-ms``.
    retry_after_headers: Collection[RetryAfterHeader]
    #: Extra headers on the injected answer.
    headers: Mapping[str, str]
    #: Seconds to wait before answering.
    delay: float
    #: Close the connection without answering (transport: raise httpx.RemoteProtocolError).
    drop: bool
    #: Keep the connection open without answering, for at most this many seconds (True: 60)
    #: or until the server stops (transport: raise httpx.ReadTimeout at once).
    hang: float | bool
    #: Send the body in chunks of ``drip_chunk`` bytes with this pause between them.
    drip: float
    drip_chunk: int
    #: A spoiled body: an HTML error page (status 502 unless given), half the JSON, or nothing.
    broken: BrokenBody
    #: Process the request first (store the feedback), then misbehave.
    after_processing: bool


@dataclass
class _Rule:
    fault: Fault
    remaining: int | None  # None: a random rule, it stays until cleared
    fraction: float = 1.0
    rng: random.Random | None = None


class Faults:
    """The fake's fault schedule: ``next(n, ...)`` rules first, in order, then random rules."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Rule] = []
        self._random: list[_Rule] = []

    def next(self, count: int = 1, **options: Unpack[FaultOptions]) -> Fault:
        """Make the next ``count`` requests suffer this fault (after any already queued)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        fault = build_fault(options)
        with self._lock:
            self._queue.append(_Rule(fault, remaining=count))
        return fault

    def random(
        self, fraction: float, *, seed: int | None = None, **options: Unpack[FaultOptions]
    ) -> Fault:
        """Make each later request suffer this fault with probability ``fraction`` (seeded)."""
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        fault = build_fault(options)
        rng = random.Random(seed)  # noqa: S311 - reproducible test schedules, not secrets
        with self._lock:
            self._random.append(_Rule(fault, None, fraction, rng))
        return fault

    def clear(self) -> None:
        """Forget every scheduled fault."""
        with self._lock:
            self._queue.clear()
            self._random.clear()

    @property
    def pending(self) -> int:
        """How many ``next`` faults are still to come (random rules not counted)."""
        with self._lock:
            return sum(rule.remaining or 0 for rule in self._queue)

    def draw(self) -> Fault | None:
        """The fault for the request that just arrived, if any."""
        with self._lock:
            if self._queue:
                rule = self._queue[0]
                assert rule.remaining is not None  # noqa: S101 - queued rules are counted
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._queue.pop(0)
                return rule.fault
            for rule in self._random:
                assert rule.rng is not None  # noqa: S101 - random rules carry their generator
                if rule.rng.random() < rule.fraction:
                    return rule.fault
        return None


def build_fault(options: FaultOptions) -> Fault:
    """Check the options for contradictions and make the fault."""
    unknown = set(options) - set(FaultOptions.__annotations__)
    if unknown:
        raise TypeError(f"unknown fault options: {sorted(unknown)}")
    hang = options.get("hang", False)
    hang_seconds = None if hang is False else 60.0 if hang is True else float(hang)
    status = options.get("status")
    broken = options.get("broken")
    drip = options.get("drip")
    drip_chunk = options.get("drip_chunk", 16)
    delay = options.get("delay", 0.0)
    retry_after = options.get("retry_after", 1.0)
    retry_after_headers = frozenset(options.get("retry_after_headers", ()))
    drop = options.get("drop", False)
    if sum([drop, hang_seconds is not None, broken is not None or status is not None]) > 1:
        raise ValueError("choose one of drop, hang, or an answer (status / broken)")
    if (drop or hang_seconds is not None) and drip is not None:
        raise ValueError("drip needs an answer to send")
    if {"seconds", "date"} <= retry_after_headers:
        raise ValueError("Retry-After is either seconds or a date")
    if unknown_headers := retry_after_headers - {"seconds", "date", "ms"}:
        raise ValueError(f"unknown retry_after_headers: {sorted(unknown_headers)}")
    if delay < 0 or retry_after < 0 or (drip is not None and drip < 0) or drip_chunk < 1:
        raise ValueError("delays, waits and chunk sizes cannot be negative")
    if broken is not None and broken not in ("html", "truncated", "empty"):
        raise ValueError(f"unknown broken body: {broken!r}")
    return Fault(
        status=status,
        body=_as_bytes(options.get("body")),
        error_code=options.get("error_code"),
        retry_after=retry_after,
        retry_after_headers=retry_after_headers,
        headers=tuple(options.get("headers", {}).items()),
        delay=delay,
        drop=drop,
        hang=hang_seconds,
        drip=drip,
        drip_chunk=drip_chunk,
        broken=broken,
        after_processing=options.get("after_processing", False),
    )


def _as_bytes(body: bytes | str | Mapping[str, object] | None) -> bytes | None:
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(dict(body), separators=(",", ":")).encode()
