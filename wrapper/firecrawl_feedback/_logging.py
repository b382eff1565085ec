"""The library's logger, its environment switch, and header redaction."""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Mapping
from functools import cache

import httpx

from . import _defaults

logger = logging.getLogger(_defaults.LOGGER_NAME)

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_SENSITIVE = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)


@cache  # once per process
def configure_from_env() -> None:
    """Honour ``FIRECRAWL_LOG=debug|info`` once, when the first client is built."""
    value = os.environ.get(_defaults.ENV_LOG, "")
    level = _LEVELS.get(value.strip().lower())
    if level is None:
        if value.strip():  # a typo would otherwise leave the caller wondering why no logs
            warnings.warn(
                f"{_defaults.ENV_LOG}={value!r} is ignored: it takes {' or '.join(_LEVELS)}",
                stacklevel=4,  # the code building the client
            )
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)


def redact(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers safe to log: credentials replaced, whatever their case."""
    return {k: "[redacted]" if k.lower() in _SENSITIVE else v for k, v in headers.items()}


def hide(text: str, secret: str) -> str:
    """``text`` without ``secret``, as written or escaped (JSON, repr), wherever it was."""
    if len(secret) < _SHORTEST_SECRET:
        return text
    # A key is visible ASCII: only a quote or a backslash has an escaped form.
    forms = (
        [secret, json.dumps(secret)[1:-1], repr(secret)[1:-1]]
        if '"' in secret or "'" in secret or "\\" in secret
        else [secret]
    )
    for form in forms:
        if form in text:
            text = text.replace(form, "[redacted]")
    return text


#: The request headers whose values an answer must never bring back into our messages.
_CREDENTIALS = frozenset({b"authorization", b"x-api-key"})


def scrub(text: str, request: httpx.Request) -> str:
    """Server-written ``text`` with the request's credentials replaced, should it echo them.

    A proxy or a debugging server may quote the request ("invalid key fc-...") in an
    answer that becomes an error message, a log line or a ledger record.
    """
    headers = request.headers
    for name, raw in headers.raw:  # one pass: each get() would walk every header
        if raw and name.lower() in _CREDENTIALS:
            value = raw.decode(headers.encoding)
            for secret in (value, value.partition(" ")[2]):  # "Bearer KEY" and KEY
                text = hide(text, secret)
    return text


#: Shorter values (an empty scheme remainder, a test key "x") are not worth hiding.
_SHORTEST_SECRET = 4
