"""Resolve and check a client's settings: arguments, then the environment, then defaults.

Every bad setting is a ``ConfigurationError`` that names the option and what
it takes, raised at construction (or at the call, for per-call options), and
never quotes the API key or a password.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Mapping

import httpx

from . import _defaults
from ._errors import ConfigurationError, shown

# The patterns compile on first use (re's cache), not at import.
# RFC 9110 token characters: what a header name may hold.
_HEADER_NAME = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
# Visible ASCII, space and tab: what a header value may hold once encoded.
_HEADER_VALUE = r"[\t\x20-\x7e]*"
_NOT_VISIBLE = r"[^\x21-\x7e]"
# Headers the transport writes from the body and the connection; one set by
# hand would describe another body (h11 then fails mid-request) or connection.
_TRANSPORT_HEADERS = frozenset(
    {
        "connection",
        "content-encoding",
        "content-length",
        "host",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


class ClientConfig:
    """Everything a client needs to send; ``repr`` never shows the key."""

    # A plain class: a dataclass costs about half a millisecond of the import to define.
    __slots__ = ("api_key", "base_url", "headers")

    def __init__(self, api_key: str, base_url: str, headers: Mapping[str, str]) -> None:
        self.api_key, self.base_url, self.headers = api_key, base_url, headers

    def __repr__(self) -> str:
        return f"ClientConfig(base_url={self.base_url!r})"

    @property
    def plain_http(self) -> bool:
        """Plain http:// (loopback, or opted in): no environment proxy, which would see the key."""
        return self.base_url.startswith("http://")


def resolve(
    api_key: object,
    base_url: object,
    default_headers: object,
    *,
    allow_insecure_http: object,
    version: str,
) -> ClientConfig:
    key = api_key if api_key is not None else os.environ.get(_defaults.ENV_API_KEY)
    if key is not None and not isinstance(key, str):
        raise ConfigurationError(f"api_key must be a string, got {type(key).__name__}")
    if not key or not key.strip():
        raise ConfigurationError(
            f"no API key: pass api_key=... or set the {_defaults.ENV_API_KEY} environment variable"
        )
    key = key.strip()
    if not isinstance(allow_insecure_http, bool):  # "false" from a config file is truthy
        raise ConfigurationError(
            f"allow_insecure_http must be True or False, got {type(allow_insecure_http).__name__}"
        )
    try:
        _check_key(key)
    except ConfigurationError as exc:
        raise _sourced(exc, api_key is None, _defaults.ENV_API_KEY) from None
    if base_url is not None and not isinstance(base_url, (str, httpx.URL)):
        raise ConfigurationError(f"base_url must be a string, got {type(base_url).__name__}")
    url = str(base_url) if base_url else os.environ.get(_defaults.ENV_BASE_URL) or ""
    try:
        resolved = _api_root(url or _defaults.BASE_URL, allow_insecure_http=allow_insecure_http)
    except ConfigurationError as exc:
        raise _sourced(exc, bool(url) and not base_url, _defaults.ENV_BASE_URL) from None
    headers = {
        "User-Agent": f"{_defaults.USER_AGENT_PRODUCT}/{version}",
        "Accept-Encoding": _defaults.ACCEPT_ENCODING,
    }
    headers.update(check_headers("default_headers", default_headers))
    return ClientConfig(api_key=key, base_url=resolved, headers=headers)


def _sourced(exc: ConfigurationError, from_env: bool, variable: str) -> ConfigurationError:
    """``exc``, naming the environment variable when the refused value came from it."""
    return ConfigurationError(f"{exc} (from {variable})") if from_env else exc


def _check_key(key: str) -> None:
    """An API key is visible ASCII; anything else cannot be sent, or leaks in errors."""
    bad = re.search(_NOT_VISIBLE, key)
    if bad is None:
        return
    kind = "a space" if bad[0] == " " else "a control character"
    if bad[0] > "\x7f":
        kind = "a non-ASCII character"
    raise ConfigurationError(
        f"api_key holds {kind} at position {bad.start()}; an API key is visible ASCII "
        "only (check it for stray characters, e.g. a copied line break)"
    )


def check_headers(option: str, headers: object) -> dict[str, str]:
    """A mapping of header names to values that httpx can send as they are."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ConfigurationError(
            f"{option} must be a mapping of header names to values, got {type(headers).__name__}"
        )
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not re.fullmatch(_HEADER_NAME, name):
            raise ConfigurationError(f"{option}: {shown(name)} is not a valid header name")
        if name.lower() in _TRANSPORT_HEADERS:
            raise ConfigurationError(
                f"{option}: {name} is set by the transport from the body and connection; "
                "it cannot be given"
            )
        # Values are never quoted: one may be a credential.
        if not isinstance(value, str):
            raise ConfigurationError(
                f"{option}: the value of {name} must be a string, got {type(value).__name__}"
            )
        if not re.fullmatch(_HEADER_VALUE, value):
            raise ConfigurationError(
                f"{option}: the value of {name} holds a line break, a control character "
                "or a non-ASCII character, which a header cannot carry"
            )
        checked[name] = value
    return checked


def check_timeout(value: object) -> httpx.Timeout:
    """``timeout``: seconds (a positive number), an ``httpx.Timeout``, or None (no limit)."""
    if isinstance(value, httpx.Timeout):
        for part in ("connect", "read", "write", "pool"):
            _seconds_or_none(f"timeout.{part}", getattr(value, part))
        return value
    return httpx.Timeout(_seconds_or_none("timeout", value))


def check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(
            f"max_retries must be a whole number of retries, 0 or more; got {shown(value)}"
        )
    return value


def check_total_budget(value: object) -> float:
    return _seconds("total_budget", value)


def check_wait(option: str, value: object) -> float:
    """A number of seconds to wait: 0 or more, finite, and one a thread can wait for."""
    seconds = _seconds(option, value, zero_ok=True)
    if seconds > threading.TIMEOUT_MAX:  # a lock's or a sleep's wait raises OverflowError past it
        raise ConfigurationError(
            f"{option} must be at most {threading.TIMEOUT_MAX:.0f} seconds; got {shown(value)}"
        )
    return seconds


def _seconds_or_none(option: str, value: object) -> float | None:
    if value is None:
        return None
    return _seconds(option, value, alternatives=", an httpx.Timeout, or None")


def _seconds(option: str, value: object, *, zero_ok: bool = False, alternatives: str = "") -> float:
    """A finite number of seconds: positive, or 0 or more when ``zero_ok``."""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and finite(value)
        and (value >= 0 if zero_ok else value > 0)
    ):
        return float(value)
    kind = (
        "finite number of seconds, 0 or more" if zero_ok else "positive, finite number of seconds"
    )
    raise ConfigurationError(f"{option} must be a {kind}{alternatives}; got {shown(value)}")


def finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def check_proxy_ports() -> None:
    """The environment's proxies for an https call (HTTPS_PROXY, ALL_PROXY), as httpx reads them."""
    from urllib.request import getproxies  # noqa: PLC0415 (httpx imported it already)

    for scheme, url in getproxies().items():
        if scheme in ("https", "all") and url:
            _check_port(
                f"{scheme.upper()}_PROXY's",
                httpx.URL(url if "://" in url else f"http://{url}").port,
            )


def _check_port(whose: str, port: int | None) -> None:
    if port is not None and not 0 < port < 65536:
        # httpx takes any number; the OS then connects to it modulo 65536 (the sync
        # client), or anyio fails with an ExceptionGroup (the async one).
        raise ConfigurationError(f"{whose} port must be 1 to 65535, got {port}")


def _api_root(url: str, *, allow_insecure_http: bool) -> str:
    """``https://host`` or ``https://host/v2/`` -> ``https://host/v2``."""
    try:
        parsed = httpx.URL(url.strip())
        host = parsed.host  # decodes xn-- labels: idna's UnicodeError for one that is none
    except (httpx.InvalidURL, TypeError, UnicodeError) as exc:
        raise ConfigurationError(f"base_url is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not host:
        raise ConfigurationError(
            "base_url must be an http(s) URL with a host, e.g. https://api.firecrawl.dev"
        )
    _check_port("base_url's", parsed.port)
    if parsed.userinfo:
        # httpx would send them as Basic auth in place of the key, and repr shows them.
        raise ConfigurationError(
            "base_url must not hold a user name or password (user:password@host); "
            "the API key goes in api_key"
        )
    if parsed.scheme == "http" and host not in _defaults.LOOPBACK_HOSTS and not allow_insecure_http:
        raise ConfigurationError(
            f"base_url uses plain http:// to {host}, which would send the API key "
            "unencrypted; use https://, or pass allow_insecure_http=True if you mean it"
        )
    path = parsed.path.rstrip("/")
    if not path.endswith(_defaults.API_PREFIX):
        path += _defaults.API_PREFIX
    return str(parsed.copy_with(path=path, query=None, fragment=None))
