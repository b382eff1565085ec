"""Every default of the library, in one place.

Nothing here reads the environment: the variables are named here and read
when a client is constructed, never at import.
"""

from __future__ import annotations

from typing import Final

import httpx

#: Where the API lives; the client appends ``/v2`` when it is missing.
BASE_URL: Final = "https://api.firecrawl.dev"
API_PREFIX: Final = "/v2"

#: Environment variables.
ENV_API_KEY: Final = "FIRECRAWL_API_KEY"
ENV_BASE_URL: Final = "FIRECRAWL_API_URL"
ENV_LOG: Final = "FIRECRAWL_LOG"

#: Finite by default: the generated client alone would wait forever.
TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)

#: Retries after the first attempt (3 attempts in all).
MAX_RETRIES: Final = 2
#: Exponential backoff with jitter: first wait about 0.5 s, never above 8 s.
BACKOFF_INITIAL: Final = 0.5
BACKOFF_MAX: Final = 8.0
BACKOFF_JITTER: Final = 0.25
#: A server-requested wait longer than this raises RateLimitError at once.
MAX_SERVER_WAIT: Final = 60.0
#: All attempts of one call together, well inside the server's 120 s
#: feedback window, so a retry cannot land after the window closes.
TOTAL_BUDGET: Final = 60.0

#: Statuses worth retrying: the server deduplicates per job, so a repeated
#: POST is safe (it answers alreadySubmitted).
RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})

#: The most of an answer that is read, before and after decompression (gzip
#: and deflate, which we accept). Real answers are under 1 KB; a hostile or
#: broken server must not fill the memory.
MAX_RESPONSE_BYTES: Final = 1024 * 1024
ACCEPT_ENCODING: Final = "gzip, deflate"

#: The spec's default for ``origin``; sent explicitly so the stored value
#: never depends on anything but this constant.
ORIGIN: Final = "api"

LOGGER_NAME: Final = "firecrawl_feedback"
USER_AGENT_PRODUCT: Final = "firecrawl-feedback-python"

#: The command line's batch: workers in flight, and the client-side rate
#: limit, which defaults to the server's own per-team limit.
BATCH_CONCURRENCY: Final = 8
BATCH_MAX_RATE_PER_MINUTE: Final = 1000

#: Hosts for which plain http:// is accepted without opting in.
LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

#: The background sender (FeedbackSender, AsyncFeedbackSender). The server
#: accepts feedback this long after the job's creation (FEEDBACK_MAX_AGE_SEC).
FEEDBACK_WINDOW: Final = 120.0
#: No attempt starts later than this before an item's deadline, so that it
#: reaches the server inside the window despite latency and clock skew.
SENDER_SEND_MARGIN: Final = 5.0
#: Requests in flight at once, shared by every item of one sender.
SENDER_CONCURRENCY: Final = 4
#: The most requests in flight (a sender's concurrency, the batch's --concurrency): more
#: is a typo, not a wish; FeedbackSender starts a thread for each, at construction.
MAX_CONCURRENCY: Final = 1024
#: Requests per minute of one sender: the server's per-team limit, as the batch's.
SENDER_MAX_RATE_PER_MINUTE: Final = BATCH_MAX_RATE_PER_MINUTE
#: Items held at once (queued, in flight or waiting to retry): two minutes of
#: the default rate, about all that can be sent inside one feedback window.
SENDER_MAX_QUEUE: Final = 2000
#: How long an enqueue waits for room in a full queue before dropping the item
#: (reason ``queue_full``): not at all, so a pipeline step is never held up.
SENDER_BLOCK_TIMEOUT: Final = 0.0
#: close() and the exit-time flush of FeedbackSender: the most they wait.
SENDER_CLOSE_TIMEOUT: Final = 10.0
SENDER_EXIT_TIMEOUT: Final = 5.0
