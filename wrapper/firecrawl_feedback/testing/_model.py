"""What the fake remembers: teams, jobs, stored feedback and the requests it saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

JobKind = Literal["scrape", "parse", "map", "search"]
JOB_KINDS: tuple[JobKind, ...] = ("scrape", "parse", "map", "search")


@dataclass(eq=False)
class Team:
    """A Firecrawl team; change its settings at any time (``fake.team.opted_out = True``)."""

    name: str
    api_key: str = field(repr=False)  # never shown: reprs end up in logs
    preview: bool = False
    opted_out: bool = False
    zero_data_retention: bool = False
    banned: bool = False
    #: Requests per minute, shared by both feedback routes.
    rate_limit: int = 1000
    #: Credits refundable per UTC day for search feedback, and for everything else.
    search_daily_cap: int = 100
    daily_cap: int = 50


@dataclass(frozen=True)
class Job:
    """A finished job the team may give feedback on."""

    id: str
    team: str
    kind: JobKind
    created_at: float
    success: bool
    credits: int
    zero_data_retention: bool
    #: Scrape options that change the refund: a PDF parser, json/screenshot formats, actions.
    pdf_parser: bool = False
    formats: frozenset[str] = frozenset()
    actions: bool = False


@dataclass(frozen=True)
class FeedbackRecord:
    """One stored feedback, as the server's table would hold it."""

    team: str
    endpoint: JobKind
    job_id: str
    rating: str
    body: dict[str, object]
    feedback_id: str
    credits_refunded: int
    created_at: float
    #: Which route stored it: ``"feedback"`` (POST /feedback) or ``"search"``.
    route: Literal["feedback", "search"]


@dataclass(frozen=True)
class RequestRecord:
    """One request the fake received and what it did (never the API key)."""

    method: str
    path: str
    #: None when no answer was sent (a dropped connection or a hang).
    status: int | None
    team: str | None
    #: The injected fault's kind (``"status"``, ``"drop"``...), None for a normal answer.
    fault: str | None
    #: True when the request went through the server logic (stored, counted...).
    processed: bool
    response_body: bytes = field(repr=False)
    content_type: str | None
    at: float
