"""Resolve a client's settings from arguments, then the environment, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from . import _defaults
from ._errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client needs to send; ``repr`` never shows the key."""

    api_key: str = field(repr=False)
    base_url: str
    headers: Mapping[str, str] = field(repr=False)


def resolve(
    api_key: str | None,
    base_url: str | httpx.URL | None,
    default_headers: Mapping[str, str] | None,
    *,
    allow_insecure_http: bool,
    version: str,
) -> ClientConfig:
    key = api_key if api_key is not None else os.environ.get(_defaults.ENV_API_KEY)
    if not key or not key.strip():
        raise ConfigurationError(
            f"no API key: pass api_key=... or set the {_defaults.ENV_API_KEY} environment variable"
        )
    url = str(base_url) if base_url else os.environ.get(_defaults.ENV_BASE_URL) or ""
    resolved = _api_root(url or _defaults.BASE_URL, allow_insecure_http=allow_insecure_http)
    headers = {"User-Agent": f"{_defaults.USER_AGENT_PRODUCT}/{version}"}
    headers.update(default_headers or {})
    return ClientConfig(api_key=key.strip(), base_url=resolved, headers=headers)


def _api_root(url: str, *, allow_insecure_http: bool) -> str:
    """``https://host`` or ``https://host/v2/`` -> ``https://host/v2``."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"base_url is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            "base_url must be an http(s) URL with a host, e.g. https://api.firecrawl.dev"
        )
    if (
        parsed.scheme == "http"
        and parsed.host not in _defaults.LOOPBACK_HOSTS
        and not allow_insecure_http
    ):
        raise ConfigurationError(
            f"base_url uses plain http:// to {parsed.host}, which would send the API key "
            "unencrypted; use https://, or pass allow_insecure_http=True if you mean it"
        )
    path = parsed.path.rstrip("/")
    if not path.endswith(_defaults.API_PREFIX):
        path += _defaults.API_PREFIX
    return str(parsed.copy_with(path=path, query=None, fragment=None))
