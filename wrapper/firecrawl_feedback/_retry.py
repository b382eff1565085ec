"""The retry policy and the plain loops that apply it, sync and async.

As openai-python and githubkit write it: try, and on a failure ask the policy
once whether to retry and how long to wait (one decision, one jitter draw),
within the call's deadline; report only through the library's logger.
"""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from . import _defaults
from ._config import check_max_retries, check_total_budget, check_wait
from ._errors import APIError, APIStatusError, ConfigurationError, RateLimitError, shown
from ._failures import is_transient, reached_server, rules_out_storage
from ._logging import logger
from ._retry_after import server_wait

T = TypeVar("T")
_testing = False  # set_retry_testing(True): retries happen as configured, without sleeping


class Attempt:
    """Which attempt this is, the call's deadline, and whether an earlier one may have landed."""

    # A plain class: a dataclass costs about half a millisecond of the import to define.
    __slots__ = ("ambiguous_before", "deadline", "failed", "number")

    def __init__(self, deadline: float) -> None:
        self.deadline, self.number, self.ambiguous_before = deadline, 1, False
        #: The previous attempt's error, with its final ``attempts`` and ``maybe_stored``.
        self.failed: APIError | None = None

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

    def __post_init__(self) -> None:
        check_max_retries(self.max_retries)
        check_total_budget(self.total_budget)
        for name in ("backoff_initial", "backoff_max", "max_server_wait"):
            check_wait(f"RetryPolicy.{name}", getattr(self, name))
        jitter = self.backoff_jitter
        if isinstance(jitter, bool) or not isinstance(jitter, (int, float)) or not 0 <= jitter <= 1:
            raise ConfigurationError(
                f"RetryPolicy.backoff_jitter must be a fraction from 0 to 1; got {shown(jitter)}"
            )

    def backoff(self, retry_number: int) -> float:
        """Exponential, capped, with jitter: 0.5, 1, 2... up to 8 s, each minus up to 25 %."""
        base = min(self.backoff_initial * 2.0 ** (retry_number - 1), self.backoff_max)
        return base * (1 - self.backoff_jitter * random.random())  # noqa: S311 (not crypto)

    def wait_before_retry(self, error: APIError, retry_number: int) -> float | None:
        """Seconds to wait before retry ``retry_number``, or None when this error is final."""
        if not is_transient(error):
            return None
        asked = None
        if isinstance(error, RateLimitError):
            asked = error.retry_after
        elif isinstance(error, APIStatusError):
            asked = server_wait(error.response)
        if asked is None:
            return self.backoff(retry_number)
        return None if asked > self.max_server_wait else asked  # no sleeping for minutes


def _after_failure(
    policy: RetryPolicy, what: object, state: Attempt, error: APIError
) -> float | None:
    """The wait before the next attempt, or None to give up (``error`` is then final)."""
    # Set now: should the client be closed before the next attempt, this error ends the call.
    error.attempts = state.number
    error.maybe_stored = reached_server(error) or (
        state.ambiguous_before and not rules_out_storage(error)
    )
    wait = None
    if state.number <= policy.max_retries:
        wait = policy.wait_before_retry(error, state.number)
    if wait is not None and time.monotonic() + wait >= state.deadline:
        logger.info("not retrying %s: waiting %.2f s would pass the call's budget", what, wait)
        wait = None
    if wait is None:
        return None
    cause = f"HTTP {error.status_code}" if isinstance(error, APIStatusError) else None
    logger.info(
        "retrying %s in %.2f s (attempt %d of %d) after %s",
        what,
        wait,
        state.number + 1,
        policy.max_retries + 1,
        cause or type(error.__cause__ or error).__name__,
    )
    state.ambiguous_before = state.ambiguous_before or reached_server(error)
    state.number += 1
    state.failed = error
    return 0.0 if _testing else wait


def _closed_between_attempts(what: object, state: Attempt, closed: Callable[[], bool]) -> None:
    """Raise the previous attempt's error when the client was closed after it.

    Another thread or task closing the client is no answer to this call: its last
    error (which may have reached the server) ends it, not "this client is closed".
    """
    if state.failed is not None and closed():
        logger.info("not retrying %s: the client was closed", what)
        raise state.failed


def _never() -> bool:
    return False


def run_sync(
    policy: RetryPolicy,
    what: object,
    attempt: Callable[[Attempt], T],
    closed: Callable[[], bool] = _never,
) -> T:
    """Run ``attempt`` until it succeeds or the policy gives up; errors carry ``attempts``.

    ``closed`` says whether the client was closed, which ends the retries.
    """
    state = Attempt(deadline=time.monotonic() + policy.total_budget)
    while True:
        try:
            return attempt(state)
        except APIError as error:
            wait = _after_failure(policy, what, state, error)
            if wait is None:
                raise
        except ConfigurationError:
            _closed_between_attempts(what, state, closed)
            raise
        if wait and not closed():
            time.sleep(wait)


async def run_async(
    policy: RetryPolicy,
    what: object,
    attempt: Callable[[Attempt], Awaitable[T]],
    closed: Callable[[], bool] = _never,
) -> T:
    """The async twin of :func:`run_sync`, with the same decisions."""
    state = Attempt(deadline=time.monotonic() + policy.total_budget)
    while True:
        try:
            return await attempt(state)
        except APIError as error:
            wait = _after_failure(policy, what, state, error)
            if wait is None:
                raise
        except ConfigurationError:
            _closed_between_attempts(what, state, closed)
            raise
        if wait and not closed():
            # httpx's async client runs on asyncio or trio; anyio sleeps on whichever runs us.
            import anyio  # noqa: PLC0415 (only a retrying async call needs it)

            await anyio.sleep(wait)


def set_retry_testing(enabled: bool = True) -> None:
    """Switch retry sleeps off (or back on) for tests; attempt counts stay as configured."""
    global _testing  # noqa: PLW0603 (one switch for the process)
    _testing = enabled
