"""A reference Firecrawl feedback server for your tests.

``FakeFirecrawl`` implements ``POST /v2/feedback`` and
``POST /v2/search/{jobId}/feedback`` in memory, check by check as the live
server does (authentication, rate limit, validation, teams, jobs, the
feedback window, duplicates, refunds and the daily cap), with injectable
faults and clock. Use it through ``fake.transport()`` (httpx, sync and async)
or ``with fake.serve() as url:`` (a real HTTP server on 127.0.0.1).

``import firecrawl_feedback`` never imports this package.
"""

from ._answers import Answer
from ._clock import Clock, ManualClock
from ._fake import MAX_BODY_BYTES, FakeFirecrawl
from ._faults import Fault, FaultOptions, Faults
from ._ids import NIL_UUID
from ._model import FeedbackRecord, Job, JobKind, RequestRecord, Team

__all__ = [
    "MAX_BODY_BYTES",
    "NIL_UUID",
    "Answer",
    "Clock",
    "FakeFirecrawl",
    "Fault",
    "FaultOptions",
    "Faults",
    "FeedbackRecord",
    "Job",
    "JobKind",
    "ManualClock",
    "RequestRecord",
    "Team",
]
