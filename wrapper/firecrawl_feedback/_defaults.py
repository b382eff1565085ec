"""Every default of the library, in one place.

Nothing here depends on the language of the docs the client was generated
from, and nothing reads the environment at import time: environment variables
are named here and read when a client is constructed.
"""

from __future__ import annotations

from typing import Final

import httpx

#: Where the API lives; the client appends ``/v2`` when it is missing.
BASE_URL: Final = "https://api.firecrawl.dev"
API_PREFIX: Final = "/v2"

#: Environment variables read when a client is constructed (never at import).
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

#: The most of an answer that is read, before and after decompression. Real
#: answers are under 1 KB; a hostile or broken server must not fill the memory.
MAX_RESPONSE_BYTES: Final = 1024 * 1024
#: What we accept compressed: both are decompressed under the limit above.
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
