"""FakeFirecrawl: the two feedback routes, in memory, check by check as the server runs them."""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final, Literal

from . import _answers as answers
from . import _ids
from ._answers import Answer
from ._clock import Clock, ManualClock
from ._faults import Fault, Faults
from ._ids import NIL_UUID, test_api_key, uuid7
from ._model import JOB_KINDS, FeedbackRecord, Job, JobKind, RequestRecord, Team
from ._ratelimit import RateLimiter
from ._refunds import apply_cap, cap_bucket, wanted_refund
from ._rules import PATH_UUID_PATTERN, Route, stored, validate

if TYPE_CHECKING:
    from ._transport import FakeTransport

#: body-parser's "10mb" limit.
MAX_BODY_BYTES: Final = 10 * 1024 * 1024
# Express routes ignore case and a trailing slash.
_FEEDBACK_PATH: Final = re.compile(r"/v2/feedback/?", re.IGNORECASE)
_SEARCH_PATH: Final = re.compile(r"/v2/search/([^/]+)/feedback/?", re.IGNORECASE)
_DUPLICATE_WARNING: Final = "Feedback was already submitted for this job; nothing new was stored."
_CAP_WARNING: Final = (
    "Feedback recorded, but the daily refund cap is reached: no further refunds today."
)


class FakeFirecrawl:
    """An in-memory Firecrawl feedback server for tests; thread-safe.

    ``fake.transport()`` plugs it into ``httpx.Client``/``httpx.AsyncClient``;
    ``with fake.serve() as url:`` runs it as a real HTTP server on 127.0.0.1.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        clock: Clock | None = None,
        feedback_window: float = 120.0,
        search_feedback_window: float | None = None,
        rate_limit: int = 1000,
        duplicate_feedback_id: Literal["earlier", "empty"] = "earlier",
        db_disabled: bool = False,
    ) -> None:
        #: Returns epoch seconds; a ManualClock (moved by ``advance``) unless one is given.
        self.clock: Clock = clock if clock is not None else ManualClock()
        #: Seconds after a scrape, parse or map job's creation during which feedback is
        #: accepted (the server's FEEDBACK_MAX_AGE_SEC).
        self.feedback_window = feedback_window
        #: The same for search jobs (SEARCH_FEEDBACK_MAX_AGE_SEC, a setting of its own);
        #: None follows ``feedback_window``.
        self.search_feedback_window = search_feedback_window
        #: What a duplicate answers as ``feedbackId``: the earlier id, or ``""`` (both happen).
        self.duplicate_feedback_id = duplicate_feedback_id
        #: A self-hosted server without database: every authenticated, valid request gets 503.
        self.db_disabled = db_disabled
        #: The team owning ``api_key``; change its settings at any time.
        self.team: Team = Team("default", api_key or test_api_key(), rate_limit=rate_limit)
        #: The fault schedule: ``fake.faults.next(2, status=503)``.
        self.faults: Faults = Faults()
        self._lock = threading.RLock()
        self._teams: dict[str, Team] = {self.team.name: self.team}
        self._jobs: dict[tuple[str, str], Job] = {}
        self._stored: dict[tuple[str, str, str], FeedbackRecord] = {}
        self._feedback: list[FeedbackRecord] = []
        self._requests: list[RequestRecord] = []
        self._refunded: dict[tuple[str, str, int], int] = {}
        self._limiter = RateLimiter()

    def __repr__(self) -> str:
        return f"<FakeFirecrawl teams={len(self._teams)} jobs={len(self._jobs)}>"

    # -- Set-up ------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """The default team's key (a generated test key unless one was given)."""
        return self.team.api_key

    def add_team(
        self,
        name: str,
        *,
        api_key: str | None = None,
        preview: bool = False,
        opted_out: bool = False,
        zero_data_retention: bool = False,
        banned: bool = False,
        rate_limit: int = 1000,
        search_daily_cap: int = 100,
        daily_cap: int = 50,
    ) -> Team:
        """Another team with its own key, jobs, limits and caps."""
        team = Team(
            name,
            api_key or test_api_key(),
            preview=preview,
            opted_out=opted_out,
            zero_data_retention=zero_data_retention,
            banned=banned,
            rate_limit=rate_limit,
            search_daily_cap=search_daily_cap,
            daily_cap=daily_cap,
        )
        with self._lock:
            if name in self._teams or any(t.api_key == team.api_key for t in self._teams.values()):
                raise ValueError(f"team {name!r} or its key already exists")
            self._teams[name] = team
        return team

    def add_job(
        self,
        kind: JobKind,
        *,
        credits: int = 1,
        success: bool = True,
        zero_data_retention: bool = False,
        team: Team | str | None = None,
        created_at: float | None = None,
        age: float = 0.0,
        pdf_parser: bool = False,
        formats: Iterable[str] = (),
        actions: bool = False,
        job_id: str | None = None,
    ) -> str:
        """Record a finished job (created ``age`` seconds ago unless ``created_at``); its id."""
        if kind not in JOB_KINDS:
            raise ValueError(f"kind must be one of {JOB_KINDS}, not {kind!r}")
        formats = frozenset(formats)
        if kind != "scrape" and (pdf_parser or formats or actions):
            raise ValueError("pdf_parser, formats and actions are scrape options")
        team_name = team.name if isinstance(team, Team) else team or self.team.name
        new_id = (job_id or _ids.job_id()).lower()
        job = Job(
            id=new_id,
            team=team_name,
            kind=kind,
            created_at=self.clock() - age if created_at is None else created_at,
            success=success,
            credits=credits,
            zero_data_retention=zero_data_retention,
            pdf_parser=pdf_parser,
            formats=formats,
            actions=actions,
        )
        with self._lock:
            if team_name not in self._teams:
                raise ValueError(f"no team named {team_name!r}")
            self._jobs[(team_name, new_id)] = job
        return new_id

    def advance(self, seconds: float) -> None:
        """Move a ManualClock forward (windows, rate limits and UTC days follow it)."""
        if not isinstance(self.clock, ManualClock):
            raise TypeError("advance() needs the default ManualClock; move your own clock instead")
        self.clock.advance(seconds)

    # -- What happened -----------------------------------------------------------

    @property
    def feedback(self) -> list[FeedbackRecord]:
        """Every stored feedback, oldest first (a copy)."""
        with self._lock:
            return list(self._feedback)

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request received, oldest first (a copy; never holds the API key)."""
        with self._lock:
            return list(self._requests)

    def refunded_today(self, team: Team | str | None = None, *, search: bool = True) -> int:
        """Credits refunded today (UTC) to ``team`` for search, or for everything else."""
        name = team.name if isinstance(team, Team) else team or self.team.name
        with self._lock:
            return self._refunded.get((name, "search" if search else "other", self._day()), 0)

    # -- Ways in -----------------------------------------------------------------

    def transport(self) -> FakeTransport:
        """An httpx transport for both ``httpx.Client`` and ``httpx.AsyncClient``."""
        from ._transport import FakeTransport  # noqa: PLC0415 - only transport users need it

        return FakeTransport(self)

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Run a real HTTP server (a free port by default) and yield its base URL."""
        from ._server import FakeServer  # noqa: PLC0415 - only served tests need http.server

        server = FakeServer(self, host, port)
        server.start()
        try:
            yield server.url
        finally:
            server.stop()

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Answer one request with the server logic alone (no faults, not logged)."""
        with self._lock:
            return self._route(method.upper(), path.split("?", 1)[0], headers, body)

    # -- Used by the transport and the server -----------------------------------

    def exchange(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, fault: Fault | None
    ) -> Answer | None:
        """Process (unless the fault forbids it) and log one request; None: send nothing."""
        path = path.split("?", 1)[0]
        processed = None
        if fault is None or fault.after_processing or not fault.replaces_answer:
            processed = self.handle(method, path, headers, body)
        sent: Answer | None = None
        if fault is None:
            sent = processed
        elif not fault.drop and fault.hang is None:
            sent = fault.answer(processed, self.clock())
        with self._lock:
            self._requests.append(
                RequestRecord(
                    method=method.upper(),
                    path=path,
                    status=sent.status if sent else None,
                    team=processed.team if processed else self._team_of(headers),
                    fault=fault.kind if fault else None,
                    processed=processed is not None,
                    response_body=sent.body if sent else b"",
                    content_type=sent.content_type if sent else None,
                    at=self.clock(),
                )
            )
        return sent

    # -- The server logic, in the documented order of checks --------------------

    def _route(  # noqa: PLR0911 - one return per row of the server's table
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> Answer:
        search_match = _SEARCH_PATH.fullmatch(path)
        if method != "POST" or not (search_match or _FEEDBACK_PATH.fullmatch(path)):
            return answers.error(404, f"Cannot {method} {path}")
        route: Route = "search" if search_match else "feedback"
        team = self._authenticate(headers)
        # 0. express.json() runs before authentication: size, then JSON syntax.
        parsed = self._parse_body(headers, body, team.name if team else None)
        if isinstance(parsed, Answer):
            return parsed
        # 1. API key, then team restrictions, then the per-team rate limit.
        if team is None:
            token = _token(headers)
            reason = "" if token is None else ": Token missing" if not token else ": Invalid token"
            return answers.error(401, "Unauthorized" + reason)
        if team.banned:
            return answers.error(403, "Your team is not allowed to use this API", team=team.name)
        now = self.clock()
        limited = self._limiter.hit(team.name, team.rate_limit, now)
        if limited is not None:
            message = answers.rate_limit_message(
                limited.wait_seconds, limited.resets_at, limited.consumed, team.rate_limit
            )
            return answers.error(429, message, team=team.name)
        # 2. Search route: the path's job id must be a UUID (uuid's validate(), any case).
        if search_match and not PATH_UUID_PATTERN.fullmatch(search_match.group(1)):
            return answers.error(400, "Invalid job ID: it must be a UUID", team=team.name)
        # 3. The body's validation rules.
        issues = validate(route, parsed)
        if issues:
            return answers.error(
                400, "Invalid request body", "INVALID_BODY", team.name, details=issues
            )
        assert isinstance(parsed, dict)  # noqa: S101 - validate() accepts objects only
        return self._accept(team, route, search_match.group(1) if search_match else None, parsed)

    def _accept(  # noqa: PLR0911 - one return per row of the server's table
        self, team: Team, route: Route, path_job_id: str | None, body: dict[str, object]
    ) -> Answer:
        """Checks 4 to 11, for a valid body from an authenticated team."""
        # 4. Forced zero data retention: a success with the nil id, nothing stored.
        if team.zero_data_retention:
            return _nil_success(team)
        # 5. Self-hosted without a database.
        if self.db_disabled:
            return answers.error(503, "Feedback needs a database", "DB_DISABLED", team.name)
        # 6. Teams feedback is not for.
        if team.preview:
            return answers.error(
                403, "Feedback is not available to preview teams", "PREVIEW_TEAM_NOT_ALLOWED",
                team.name,
            )  # fmt: skip
        if team.opted_out:
            return answers.error(
                403, "This team has opted out of feedback", "TEAM_OPTED_OUT", team.name
            )
        # 7. The job, for this team and of this kind. The server looks twice, 250 ms apart,
        # for a job stored just after its answer; here add_job() is done before any request
        # under the same lock, so a second look could find nothing new: one look, no wait.
        endpoint: JobKind = "search" if route == "search" else _endpoint(body)
        wanted_id = (path_job_id or str(body["jobId"])).strip().lower()
        job = self._jobs.get((team.name, wanted_id))
        if job is None or job.kind != endpoint:
            if endpoint == "search":
                return answers.error(404, "Search job not found", "SEARCH_NOT_FOUND", team.name)
            return answers.error(404, "Job not found", "JOB_NOT_FOUND", team.name)
        # 8. The job ran with zero data retention.
        if job.zero_data_retention:
            return _nil_success(team)
        # 9. A failed search takes no feedback.
        if job.kind == "search" and not job.success:
            return answers.error(
                409, "Feedback is only accepted for successful searches", "SEARCH_FAILED",
                team.name,
            )  # fmt: skip
        # 10. The feedback window, from the job's creation; search has its own setting.
        now = self.clock()
        window = self.feedback_window
        if job.kind == "search" and self.search_feedback_window is not None:
            window = self.search_feedback_window
        if now - job.created_at > window:
            return answers.error(
                409,
                f"Feedback must be sent within {window:g} seconds of the job",
                "FEEDBACK_WINDOW_EXPIRED",
                team.name,
            )
        # 11. One record per (team, endpoint, job): a repeat is a quiet success.
        key = (team.name, endpoint, job.id)
        earlier = self._stored.get(key)
        if earlier is not None:
            return answers.json_answer(
                200,
                {
                    "success": True,
                    "alreadySubmitted": True,
                    "feedbackId": earlier.feedback_id
                    if self.duplicate_feedback_id == "earlier"
                    else "",
                    "creditsRefunded": 0,
                    "warning": _DUPLICATE_WARNING,
                },
                team.name,
            )
        return self._store(team, route, endpoint, job, body, now)

    def _store(
        self,
        team: Team,
        route: Route,
        endpoint: JobKind,
        job: Job,
        body: dict[str, object],
        now: float,
    ) -> Answer:
        rating = str(body["rating"])
        bucket = cap_bucket(job.kind)
        cap = team.search_daily_cap if bucket == "search" else team.daily_cap
        day_key = (team.name, bucket, self._day(now))
        payout = apply_cap(wanted_refund(job, rating), self._refunded.get(day_key, 0), cap)
        self._refunded[day_key] = payout.refunded_today
        record = FeedbackRecord(
            team=team.name,
            endpoint=endpoint,
            job_id=job.id,
            rating=rating,
            body=stored(body),
            feedback_id=uuid7(now),
            credits_refunded=payout.paid,
            created_at=now,
            route=route,
        )
        self._stored[(team.name, endpoint, job.id)] = record
        self._feedback.append(record)
        payload: dict[str, object] = {
            "success": True,
            "feedbackId": record.feedback_id,
            "creditsRefunded": payout.paid,
            "creditsRefundedToday": payout.refunded_today,
            "dailyRefundCap": cap,
        }
        if payout.cap_reached:
            payload |= {"dailyCapReached": True, "warning": _CAP_WARNING}
        return answers.json_answer(200, payload, team.name)

    # -- Helpers -----------------------------------------------------------------

    def _authenticate(self, headers: Mapping[str, str]) -> Team | None:
        token = _token(headers)
        return self._teams_by_key().get(token) if token else None

    def _team_of(self, headers: Mapping[str, str]) -> str | None:
        with self._lock:
            team = self._authenticate(headers)
        return team.name if team else None

    def _teams_by_key(self) -> dict[str, Team]:
        return {team.api_key: team for team in self._teams.values()}

    def _parse_body(
        self, headers: Mapping[str, str], body: bytes, team: str | None
    ) -> object | Answer:
        """express.json(): {} unless application/json, then 413 over 10 MB, 400 on bad JSON."""
        media_type = (_header(headers, "content-type") or "").split(";", 1)[0]
        if media_type.strip(" \t").lower() != "application/json" or not body:
            # Left unread (so never a 413), like text/json or +json types: validated as {}.
            return {}
        if len(body) > MAX_BODY_BYTES:
            return answers.error(413, "Request entity too large", team=team)
        text = body.decode("utf-8-sig", "replace")  # iconv-lite drops a leading BOM
        stripped = text.lstrip(" \t\n\r")
        try:
            if not stripped.startswith(("{", "[")):
                raise ValueError("strict mode accepts only objects and arrays")
            value: object = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):  # deeper than Python's parser goes: a 400, not
            # a dropped connection (Node's parser goes deeper; the client sends no deeper)
            return answers.error(
                400, "Invalid JSON in request body", team=team, code="BAD_REQUEST_INVALID_JSON"
            )
        return value

    def _day(self, now: float | None = None) -> int:
        return math.floor((self.clock() if now is None else now) / 86400)


def _nil_success(team: Team) -> Answer:
    return answers.json_answer(
        200, {"success": True, "feedbackId": NIL_UUID, "creditsRefunded": 0}, team.name
    )


def _endpoint(body: Mapping[str, object]) -> JobKind:
    endpoint = body["endpoint"]
    assert endpoint in JOB_KINDS  # noqa: S101 - validated before
    return endpoint


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _token(headers: Mapping[str, str]) -> str | None:
    """The server's ``authorization.split(" ")[1]``: the scheme is never looked at.

    None when there is no header, ``""`` when it has no second word.
    """
    value = _header(headers, "authorization")
    if value is None:
        return None
    words = value.strip(" \t").split(" ")  # Node trims the header value, nothing more
    return words[1] if len(words) > 1 else ""


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")  # JSON.parse refuses NaN and Infinity
