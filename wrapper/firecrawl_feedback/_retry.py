"""The retry policy shared by the sync and async clients.

One classifier decides, for a failed attempt, whether to retry and after how
long; stamina (on tenacity) runs the attempts, sleeps, and honours its
testing switch. The first attempt runs without stamina: most calls succeed at
once, and then the retry machinery is neither imported nor paid for.
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from . import _defaults
from ._errors import APIConnectionError, APIError, APIStatusError, RateLimitError
from ._logging import logger
from ._retry_after import server_wait

T = TypeVar("T")


@dataclass(slots=True)
class Attempt:
    """Which attempt this is, the call's deadline, and whether an earlier one may have landed."""

    deadline: float
    number: int = 1
    ambiguous_before: bool = False

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many retries, how long to wait between them, and the call's total budget."""

    max_retries: int = _defaults.MAX_RETRIES
    total_budget: float = _defaults.TOTAL_BUDGET
    backoff_initial: float = _defaults.BACKOFF_INITIAL
    backoff_max: float = _defaults.BACKOFF_MAX
    backoff_jitter: float = _defaults.BACKOFF_JITTER
    max_server_wait: float = _defaults.MAX_SERVER_WAIT

    def backoff(self, retry_number: int) -> float:
        """Exponential, capped, with jitter: 0.5, 1, 2... up to 8 s, each minus up to 25 %."""
        base = min(self.backoff_initial * 2.0 ** (retry_number - 1), self.backoff_max)
        return base * (1 - self.backoff_jitter * random.random())  # noqa: S311 (not crypto)

    def wait_before_retry(self, error: APIError, retry_number: int) -> float | None:
        """Seconds to wait before retry ``retry_number``, or None when this error is final."""
        if isinstance(error, APIConnectionError):
            return self.backoff(retry_number)
        if not isinstance(error, APIStatusError):
            return None
        if error.status_code not in _defaults.RETRY_STATUSES:
            return None
        asked = error.retry_after if isinstance(error, RateLimitError) else None
        if asked is None and error.status_code != 429:
            asked = server_wait(error.response)
        if asked is None:
            return self.backoff(retry_number)
        if asked > self.max_server_wait:
            return None  # raise at once instead of sleeping for minutes
        return asked


def is_ambiguous(error: APIError) -> bool:
    """True when the failed attempt may have reached the server and stored the feedback."""
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 or error.status_code == 408
    cause = error.__cause__
    # Nothing was sent when the connection could not even be opened.
    return not isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout))


class _Decider:
    """stamina's ``on`` hook: retry or not, and the wait, within the call's budget."""

    def __init__(self, policy: RetryPolicy, deadline: float, what: str) -> None:
        self.policy = policy
        self.deadline = deadline
        self.what = what
        self.retries = 0

    def __call__(self, exc: Exception) -> bool | float:
        if not isinstance(exc, APIError) or self.retries >= self.policy.max_retries:
            return False
        wait = self.policy.wait_before_retry(exc, self.retries + 1)
        if wait is None:
            return False
        if time.monotonic() + wait >= self.deadline:
            logger.info(
                "not retrying %s: waiting %.2f s would pass the call's budget", self.what, wait
            )
            return False
        self.retries += 1
        logger.info(
            "retrying %s in %.2f s (attempt %d of %d) after %s",
            self.what,
            wait,
            self.retries + 1,
            self.policy.max_retries + 1,
            _describe(exc),
        )
        return wait


class _Retrying:
    """The bookkeeping both runners share once the first attempt has failed."""

    def __init__(self, policy: RetryPolicy, what: str, state: Attempt, first: APIError) -> None:
        import stamina  # noqa: PLC0415 (imported only once a retry is needed)

        self.state = state
        self.attempts = stamina.retry_context(
            on=_Decider(policy, state.deadline, what),
            attempts=policy.max_retries + 1,
            timeout=None,
        )
        self._replay: APIError | None = first
        self._last = first

    def begin(self) -> None:
        """Start a stamina attempt: the first one replays the failure we already had.

        That way stamina decides, and sleeps, before the real retry.
        """
        if self._replay is not None:
            failed, self._replay = self._replay, None
            raise failed
        self.state.number += 1
        self.state.ambiguous_before = self.state.ambiguous_before or is_ambiguous(self._last)

    def failed(self, error: APIError) -> None:
        self._last = error

    def gave_up(self, error: APIError) -> None:
        error.attempts = self.state.number


def _final_at_once(policy: RetryPolicy, first: APIError) -> bool:
    if policy.max_retries <= 0 or policy.wait_before_retry(first, 1) is None:
        first.attempts = 1
        return True
    return False


def run_sync(policy: RetryPolicy, what: str, attempt: Callable[[Attempt], T]) -> T:
    """Run ``attempt`` until it succeeds or the policy gives up; errors carry ``attempts``."""
    state = Attempt(deadline=time.monotonic() + policy.total_budget)
    try:
        return attempt(state)
    except APIError as error:
        if _final_at_once(policy, error):
            raise
        retrying = _Retrying(policy, what, state, error)
    try:
        for stamina_attempt in retrying.attempts:
            with stamina_attempt:
                retrying.begin()
                try:
                    return attempt(state)
                except APIError as error:
                    retrying.failed(error)
                    raise
    except APIError as error:
        retrying.gave_up(error)
        raise
    raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover


async def run_async(
    policy: RetryPolicy, what: str, attempt: Callable[[Attempt], Awaitable[T]]
) -> T:
    """The async twin of :func:`run_sync`, with the same decisions."""
    state = Attempt(deadline=time.monotonic() + policy.total_budget)
    try:
        return await attempt(state)
    except APIError as error:
        if _final_at_once(policy, error):
            raise
        retrying = _Retrying(policy, what, state, error)
    try:
        async for stamina_attempt in retrying.attempts:
            with stamina_attempt:
                retrying.begin()
                try:
                    return await attempt(state)
                except APIError as error:
                    retrying.failed(error)
                    raise
    except APIError as error:
        retrying.gave_up(error)
        raise
    raise AssertionError("unreachable: stamina either returns or raises")  # pragma: no cover


def set_testing(enabled: bool = True) -> None:
    """Switch retry sleeps off (or back on) for tests; attempt counts stay as configured."""
    import stamina  # noqa: PLC0415

    stamina.set_testing(enabled, attempts=1_000_000, cap=True)


def _describe(error: APIError) -> str:
    if isinstance(error, APIStatusError):
        return f"HTTP {error.status_code}"
    return type(error.__cause__ or error).__name__
