"""FeedbackClient and AsyncFeedbackClient: validate, send through the generated client, retry."""

from __future__ import annotations

import dataclasses
import logging
import weakref
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, Self, TypeVar, Unpack, cast

import httpx

from . import _api, _defaults
from ._config import (
    ClientConfig,
    check_headers,
    check_max_retries,
    check_proxy_ports,
    check_timeout,
    check_total_budget,
    resolve,
)
from ._docs import document
from ._errors import APIConnectionError, APITimeoutError, ConfigurationError
from ._fieldpath import unexpected_argument
from ._logging import configure_from_env, hide, logger, redact, scrub
from ._response import interpret, status_error
from ._result import FeedbackResult
from ._retry import Attempt, RetryPolicy, run_async, run_sync
from ._sentinel import NOT_GIVEN, NotGiven
from ._types import (
    CallOptions,
    ClientOptions,
    Endpoint,
    JobId,
    SearchFields,
    SubmitFields,
    TimeoutTypes,
)
from ._validation import (
    build_endpoint_request,
    build_search_request,
    endpoint_request_from_body,
    search_request_from_body,
)
from ._version import __version__

if TYPE_CHECKING:  # loaded on a client's construction or first call, not at import (see _api)
    import uuid

    from ._api import AuthenticatedClient, EndpointFeedbackRequest, SearchFeedbackRequest
    from ._response import Answer

    _Body = EndpointFeedbackRequest | SearchFeedbackRequest

__all__ = ["AsyncFeedbackClient", "FeedbackClient"]


# Plain classes, not dataclasses: defining a dataclass compiles its methods from
# source, about half a millisecond of the import each.
class _Options:
    __slots__ = ("longest", "policy", "timeout")

    def __init__(self, timeout: httpx.Timeout, policy: RetryPolicy) -> None:
        self.timeout, self.policy = timeout, policy
        phases = [p for p in (timeout.connect, timeout.read, timeout.write, timeout.pool) if p]
        #: The longest phase of ``timeout``; None when a phase has no limit.
        self.longest = max(phases) if len(phases) == 4 else None


class Prepared:
    """A validated request, ready to send: its generated operation, path and body.

    The clients send these; the background sender queues them. ``path_id`` is the
    search route's path job ID; None for ``POST /feedback``.
    """

    __slots__ = ("body", "path_id")

    def __init__(self, body: _Body, path_id: uuid.UUID | None = None) -> None:
        self.body, self.path_id = body, path_id

    def sync_call(self) -> Callable[..., Answer]:
        """The generated operation with the request bound; the client adds the rest."""
        body, path_id = self.body, self.path_id
        if isinstance(body, _api.EndpointFeedbackRequest):
            return partial(_api.submit_endpoint_feedback.sync_detailed, body=body)
        return partial(_api.submit_search_feedback.sync_detailed, _path(path_id), body=body)

    def async_call(self) -> Callable[..., Awaitable[Answer]]:
        """The async twin of :meth:`sync_call`."""
        body, path_id = self.body, self.path_id
        if isinstance(body, _api.EndpointFeedbackRequest):
            return partial(_api.submit_endpoint_feedback.asyncio_detailed, body=body)
        return partial(_api.submit_search_feedback.asyncio_detailed, _path(path_id), body=body)


class _What:
    """How logs name a request: ``POST`` and the full path as sent, the answer's line alike
    (``POST /v2/search/<id>/feedback``); the text is built only when a line is logged."""

    __slots__ = ("base_url", "path_id")

    def __init__(self, base_url: str, path_id: uuid.UUID | None = None) -> None:
        self.base_url, self.path_id = base_url, path_id

    def __str__(self) -> str:
        route = "/feedback" if self.path_id is None else f"/search/{self.path_id}/feedback"
        return f"POST {httpx.URL(self.base_url).path}{route}"


def _path(path_id: uuid.UUID | None) -> uuid.UUID:
    if path_id is None:
        raise TypeError("a search feedback body is sent with its job ID in the path")
    return path_id


#: The asyncio event loop each async pool was first used in: its connections belong to it.
_POOL_LOOPS: weakref.WeakKeyDictionary[httpx.AsyncClient, weakref.ref[Any]] = (
    weakref.WeakKeyDictionary()
)


def _running_loop() -> Any:
    import asyncio  # noqa: PLC0415 (loaded by the running loop already; not at import)

    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # trio: no asyncio loop
        return None


#: What a rating method returns: the result (sync), or a coroutine giving it (async).
Returns = TypeVar("Returns", FeedbackResult, Coroutine[Any, Any, FeedbackResult])


class _ClientBase(ABC, Generic[Returns]):
    """What both clients share: settings, the rating methods, per-call options.

    Each rating method validates on the caller's side (bad input raises
    ``ValidationError`` at the call, nothing is sent) and hands the request to
    the flavour's ``_send``.
    """

    _config: ClientConfig
    _options: _Options
    _generated: AuthenticatedClient
    _http: httpx.Client | httpx.AsyncClient
    _owns_http: bool
    _what: _What
    _closed: bool = False
    #: The flavour's httpx client and transport classes.
    _HTTP: ClassVar[type[Any]]
    _TRANSPORT: ClassVar[type[Any]]

    def _setup(
        self,
        api_key: str | None,
        http_client: httpx.Client | httpx.AsyncClient | None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
        options: ClientOptions,
    ) -> None:
        unknown = sorted(set(options) - set(ClientOptions.__annotations__))
        if unknown:
            known = [*ClientOptions.__annotations__, "api_key", "http_client", "transport"]
            raise unexpected_argument(f"{type(self).__name__}() ", unknown[0], known)
        configure_from_env()
        self._config = resolve(
            api_key,
            options.get("base_url"),
            options.get("default_headers"),
            allow_insecure_http=options.get("allow_insecure_http", False),
            version=__version__,
        )
        self._options = _Options(timeout=_defaults.TIMEOUT, policy=RetryPolicy())
        self._options = self._derive(
            options.get("timeout", NOT_GIVEN),
            options.get("max_retries", NOT_GIVEN),
            options.get("total_budget", NOT_GIVEN),
            options.get("retry"),
        )
        if http_client is not None and transport is not None:
            raise ConfigurationError("pass http_client or transport, not both")
        _check_instance("http_client", http_client, self._HTTP)
        _check_instance("transport", transport, self._TRANSPORT)
        # Built now, not on first use: the generated client builds its own lazily
        # without a lock, so threads sharing a new client would each build one.
        http = http_client
        if http is None:
            # A proxy from the environment would see the key of a plain-http call.
            trust_env = not self._config.plain_http
            build: Callable[..., Any] = self._HTTP
            if build is httpx.Client:
                # httpx's timeouts are per socket operation: a server sending its headers a
                # byte a second would hold a sync call for ever (the async one has fail_after).
                build = _api.deadline_client
            try:
                if trust_env and transport is None:  # httpx reads proxies only then
                    check_proxy_ports()
                http = build(
                    timeout=self._options.timeout, trust_env=trust_env, transport=transport
                )
            except (ImportError, ValueError, OSError, httpx.InvalidURL) as exc:  # ssl.SSLError too
                raise ConfigurationError(
                    "the environment's proxy or certificate settings (HTTPS_PROXY, ALL_PROXY, "
                    f"SSL_CERT_FILE...) cannot be used: {type(exc).__name__}: {exc}"
                ) from exc
        elif isinstance(http, httpx.Client):
            _api.cut_at_deadline(http)  # a caller's too: its other requests are not cut
        self._http, self._owns_http = http, http_client is None  # a caller's is used as it is
        self._what = _What(self._config.base_url)  # POST /feedback's, made once
        generated = self._generated_client()
        if isinstance(http, httpx.Client):
            self._generated = generated.set_httpx_client(http)
        else:
            self._generated = generated.set_async_httpx_client(http)

    def _generated_client(self) -> AuthenticatedClient:
        return _api.AuthenticatedClient(
            base_url=self._config.base_url,
            token=self._config.api_key,
            headers=dict(self._config.headers),
            timeout=self._options.timeout,
            raise_on_unexpected_status=False,
            max_response_bytes=_defaults.MAX_RESPONSE_BYTES,
        )

    def _derive(
        self,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        total_budget: float | NotGiven,
        retry: RetryPolicy | None = None,
    ) -> _Options:
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise ConfigurationError(
                f"retry must be a firecrawl_feedback.RetryPolicy, got {type(retry).__name__}"
            )
        policy = self._options.policy if retry is None else retry
        if max_retries is not NOT_GIVEN:
            policy = dataclasses.replace(policy, max_retries=check_max_retries(max_retries))
        if total_budget is not NOT_GIVEN:
            policy = dataclasses.replace(policy, total_budget=check_total_budget(total_budget))
        chosen = self._options.timeout if timeout is NOT_GIVEN else check_timeout(timeout)
        return _Options(timeout=chosen, policy=policy)

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        total_budget: float | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | None = None,
    ) -> Self:
        """A copy with other defaults that shares this client's connection pool.

        ``retry`` replaces the retry policy; ``max_retries`` and ``total_budget``
        then override its fields. Closing the copy leaves the pool open.
        """
        options = self._derive(timeout, max_retries, total_budget, retry)
        build: Callable[..., Self] = type(self)
        return build(
            self._config.api_key,
            base_url=self._config.base_url,
            timeout=options.timeout,
            retry=options.policy,
            http_client=self._http,  # the copy shares the pool and does not own it
            default_headers=self._config.headers,
            allow_insecure_http=self._config.plain_http,
        )

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def max_retries(self) -> int:
        return self._options.policy.max_retries

    @property
    def retry(self) -> RetryPolicy:
        return self._options.policy

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

    def _call_options(
        self, given: CallOptions, total_budget: float | NotGiven
    ) -> tuple[_Options, dict[str, str]]:
        """The call's options and extra headers, checked before anything is sent."""
        if not given and total_budget is NOT_GIVEN:
            return self._options, {}  # the usual call: the client's own
        for name in given:
            if name not in CallOptions.__annotations__:
                raise unexpected_argument("", name, CallOptions.__annotations__)
        timeout, max_retries = given.get("timeout", NOT_GIVEN), given.get("max_retries", NOT_GIVEN)
        options = self._derive(timeout, max_retries, total_budget)
        return options, check_headers("extra_headers", given.get("extra_headers"))

    def _begin(self, what: _What, body: _Body, headers: Mapping[str, str], state: Attempt) -> None:
        """Before one attempt: its log line and the closed check."""
        if logger.isEnabledFor(logging.DEBUG):
            line = "{} attempt {} headers={} json={}".format(
                what,
                state.number,
                redact({**self._config.headers, **headers}),
                _api.encode_json(body.to_dict()).decode("utf-8"),
            )
            # The key may also sit in a header of any name or in a field (a note).
            logger.debug("%s", hide(line, self._config.api_key))
        if self._is_closed():
            raise _closed()

    def _raise_as_ours(self, exc: Exception) -> NoReturn:
        """Raise an attempt's failure (one of _FAILURES) as this library's error."""
        # A try/except at each call site, not a context manager: that costs a microsecond.
        if isinstance(exc, httpx.RequestError):
            raise _transport_error(exc) from exc
        if isinstance(exc, httpx.HTTPStatusError):  # a caller's http_client's hook: httpx
            # closed the answer unread; its status still decides retries and maybe_stored.
            raise status_error(
                exc.response, unread="body not read: the http_client's response hook raised"
            ) from exc
        if isinstance(exc, TimeoutError):  # the async client's deadline (anyio.fail_after)
            raise APITimeoutError(
                "the call's total budget ran out before the answer was complete"
            ) from exc
        http = self._http  # a RuntimeError
        if http.is_closed:  # closed by another thread or task meanwhile
            raise _closed() from None
        first = _POOL_LOOPS.get(http)  # type: ignore[arg-type]
        if first is not None and first() is not _running_loop():
            sent = _may_have_sent(exc)
            error = ConfigurationError(
                "this client's connections belong to the event loop of its first call, "
                "which is closed or not this one (asyncio.run() called again?); "
                + ("the request may have reached the server" if sent else _NOT_SENT)
                + ". Create the client inside the event loop that uses it"
            )
            error.maybe_stored = sent
            raise error from exc
        raise exc

    def _is_closed(self) -> bool:
        """Closed by close() or aclose(), or its pool closed under it (a with_options() copy)."""
        return self._closed or self._http.is_closed

    # -- the rating methods, written once for both flavours ------------------------

    def submit(self, endpoint: Endpoint, job_id: JobId, **fields: Unpack[SubmitFields]) -> Returns:
        """Rate a finished job (``POST /v2/feedback``); validates everything before sending."""
        return self._send(*_submit_request(endpoint, job_id, fields))

    def scrape(self, job_id: JobId, **fields: Unpack[SubmitFields]) -> Returns:
        """Rate a scrape job (``POST /v2/feedback`` with endpoint ``"scrape"``)."""
        return self.submit("scrape", job_id, **fields)

    def parse(self, job_id: JobId, **fields: Unpack[SubmitFields]) -> Returns:
        """Rate a parse job (``POST /v2/feedback`` with endpoint ``"parse"``)."""
        return self.submit("parse", job_id, **fields)

    def map(self, job_id: JobId, **fields: Unpack[SubmitFields]) -> Returns:
        """Rate a map job (``POST /v2/feedback`` with endpoint ``"map"``)."""
        return self.submit("map", job_id, **fields)

    def submit_body(self, body: Mapping[str, Any], **options: Unpack[CallOptions]) -> Returns:
        """Send a wire-form ``POST /v2/feedback`` body (camelCase keys), validated first."""
        return self._send(Prepared(endpoint_request_from_body(body)), options)

    def search(self, job_id: JobId, **fields: Unpack[SearchFields]) -> Returns:
        """Rate a search job on the search route, the one the docs recommend for search."""
        return self._send(*_search_request(job_id, fields))

    def search_body(
        self, job_id: JobId, body: Mapping[str, Any], **options: Unpack[CallOptions]
    ) -> Returns:
        """Send a wire-form search feedback body for ``job_id`` on the search route."""
        path_id, model = search_request_from_body(job_id, body)
        return self._send(Prepared(model, path_id), options)

    @abstractmethod
    def _send(
        self,
        request: Prepared,
        call_options: CallOptions,
        total_budget: float | NotGiven = NOT_GIVEN,
    ) -> Returns:
        """Send ``request`` with retries: the result (sync), or a coroutine giving it (async)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"


def _within_budget(options: _Options, remaining: float) -> httpx.Timeout:
    """No attempt may outlive the call's total budget."""
    timeout = options.timeout
    if options.longest is not None and remaining >= options.longest:
        return timeout  # the usual case: nothing to cut, nothing to build

    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


#: What an attempt may raise that _raise_as_ours turns into this library's errors.
_FAILURES = (httpx.RequestError, httpx.HTTPStatusError, TimeoutError, RuntimeError)


_NOT_SENT = "the request was not sent (not whole), so the server did not store it"
#: httpcore's steps before a request is out whole: a stale pooled connection closed, a write.
_BEFORE_SENT = frozenset({"_close_connections", "_send_request_headers", "_send_request_body"})


def _may_have_sent(exc: BaseException) -> bool:
    """Whether the request may have gone out whole before ``exc``, from where httpcore failed
    (and any failure it raised while handling): True when reading, or at an unknown step."""
    import traceback  # noqa: PLC0415 (the error path only)

    before = False
    cause: BaseException | None = exc
    while cause is not None:
        for frame, _ in traceback.walk_tb(cause.__traceback__):
            name = frame.f_code.co_name
            if name.startswith("_receive"):  # reading the answer: the request is out
                return True
            before = before or name in _BEFORE_SENT
        cause = cause.__context__
    return not before


def _closed() -> ConfigurationError:
    return ConfigurationError(
        "this client is closed (its connection pool was closed by close() or by leaving "
        "its with block); create a new client"
    )


def _interpreted(answer: Answer, state: Attempt) -> FeedbackResult:
    response = answer.raw
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %d (%d bytes)",
            response.request.method,
            response.request.url.path,
            response.status_code,
            len(response.content),
        )
    return interpret(answer, attempts=state.number, ambiguous_before=state.ambiguous_before)


def _transport_error(exc: httpx.RequestError) -> APIConnectionError:
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    request = exc.request
    # httpx quotes the server's bytes (an illegal header line...), which may echo the key:
    # scrubbed along the chain of causes too, which a logged traceback prints.
    cause: BaseException | None = exc
    while cause is not None:
        if cause.args and isinstance(cause.args[0], str):
            cause.args = (scrub(cause.args[0], request), *cause.args[1:])
        cause = cause.__cause__ or cause.__context__
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    # Which URL could not be reached says most of what to fix (the base URL holds no
    # credentials: user info is refused at construction).
    return cls(f"{what} ({request.method} {request.url})", request=request)


class FeedbackClient(_ClientBase[FeedbackResult]):
    """Synchronous client for Firecrawl's feedback API.

    ``api_key`` falls back to ``FIRECRAWL_API_KEY`` and ``base_url`` to
    ``FIRECRAWL_API_URL`` (read now, not at import), then to
    ``https://api.firecrawl.dev``; ``/v2`` is added when missing. Pass
    ``transport`` to send through an httpx transport of yours (``httpx.MockTransport``,
    ``FakeFirecrawl.transport()``, a retrying or proxying transport), or
    ``http_client`` to send through your own ``httpx.Client`` (its hooks, auth,
    mounts and proxies apply; it is used as it is and not closed).
    """

    _http: httpx.Client
    _HTTP = httpx.Client
    _TRANSPORT = httpx.BaseTransport

    def __init__(
        self,
        api_key: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._setup(api_key, http_client, transport, options)

    # -- plumbing ---------------------------------------------------------------

    def _send(
        self,
        request: Prepared,
        call_options: CallOptions,
        total_budget: float | NotGiven = NOT_GIVEN,
    ) -> FeedbackResult:
        options, headers = self._call_options(call_options, total_budget)
        call, body = request.sync_call(), request.body
        what = self._what if request.path_id is None else _What(self.base_url, request.path_id)

        def attempt(state: Attempt) -> FeedbackResult:
            self._begin(what, body, headers, state)
            try:
                answer = call(
                    client=self._generated,
                    timeout=_within_budget(options, state.remaining()),
                    headers=headers,
                    deadline=state.deadline,
                )
            except _FAILURES as exc:
                self._raise_as_ours(exc)
            return _interpreted(answer, state)

        result = run_sync(options.policy, what, attempt, self._is_closed)
        _log_result(result)
        return result

    def close(self) -> None:
        """Close the connection pool this client opened (a caller's http_client stays open)."""
        self._closed = True
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncFeedbackClient(_ClientBase[Coroutine[Any, Any, FeedbackResult]]):
    """Asynchronous twin of :class:`FeedbackClient`, with the same arguments and behaviour."""

    _http: httpx.AsyncClient
    _HTTP = httpx.AsyncClient
    _TRANSPORT = httpx.AsyncBaseTransport

    def __init__(
        self,
        api_key: str | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._setup(api_key, http_client, transport, options)

    async def _send(
        self,
        request: Prepared,
        call_options: CallOptions,
        total_budget: float | NotGiven = NOT_GIVEN,
    ) -> FeedbackResult:
        options, headers = self._call_options(call_options, total_budget)
        call, body = request.async_call(), request.body
        what = self._what if request.path_id is None else _What(self.base_url, request.path_id)

        import anyio  # noqa: PLC0415 (only the async path needs it; not at import)

        if self._http not in _POOL_LOOPS and (loop := _running_loop()) is not None:
            _POOL_LOOPS[self._http] = weakref.ref(loop)

        async def attempt(state: Attempt) -> FeedbackResult:
            self._begin(what, body, headers, state)
            try:
                # The event loop can cut every phase at the deadline, headers included.
                with anyio.fail_after(state.remaining()):
                    answer = await call(
                        client=self._generated,
                        timeout=_within_budget(options, state.remaining()),
                        headers=headers,
                        deadline=state.deadline,
                    )
            except _FAILURES as exc:
                self._raise_as_ours(exc)
            return _interpreted(answer, state)

        result = await run_async(options.policy, what, attempt, self._is_closed)
        _log_result(result)
        return result

    async def aclose(self) -> None:
        """Close the connection pool this client opened (a caller's http_client stays open)."""
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


_OPTIONS = tuple(CallOptions.__annotations__)


def _split(given: Mapping[str, Any]) -> tuple[dict[str, Any], CallOptions]:
    """The body's keyword fields, and the per-call options."""
    fields, options = dict(given), {}
    for name in CallOptions.__annotations__:
        if name in fields:
            options[name] = fields.pop(name)
    return fields, cast("CallOptions", options)


def _submit_request(
    endpoint: object, job_id: object, given: Mapping[str, Any]
) -> tuple[Prepared, CallOptions]:
    fields, options = _split(given)
    request = build_endpoint_request(endpoint, job_id, options_named=_OPTIONS, **fields)
    return Prepared(request), options


def _search_request(job_id: object, given: Mapping[str, Any]) -> tuple[Prepared, CallOptions]:
    fields, options = _split(given)
    path_id, model = build_search_request(job_id, options_named=_OPTIONS, **fields)
    return Prepared(model, path_id), options


def _check_instance(option: str, value: object, wanted: type) -> None:
    if value is not None and not isinstance(value, wanted):
        raise ConfigurationError(
            f"{option} must be an {wanted.__module__}.{wanted.__qualname__}, "
            f"got {type(value).__name__}"
        )


def _log_result(result: FeedbackResult) -> None:
    if result.stored_by_earlier_attempt:
        logger.info(
            "feedback %s was already stored, most likely by this call's earlier attempt",
            result.feedback_id or "(id not returned)",
        )


# Each rating method's docstring gets its parameters and limits, from the spec.
document(_ClientBase)
