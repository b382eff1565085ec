"""Does ``new URL(text)`` succeed with an ``http:`` or ``https:`` protocol?

The server's check, in Node 20: its URL class is the Ada parser, so the oracle
asks Ada too (the ada-url package, the release Node 20 ships).
"""

from __future__ import annotations

from typing import Final

from ada_url import URL

_HTTP_PROTOCOLS: Final = frozenset({"http:", "https:"})


def is_http_url(text: str) -> bool:
    """True when ``new URL(text)`` parses and its protocol is ``http:`` or ``https:``."""
    # The URL constructor takes a USVString: each unpaired surrogate (JSON.parse
    # already joined the pairs) becomes U+FFFD.
    usv = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    try:
        url = URL(usv)
    except ValueError:  # new URL() throws a TypeError
        return False
    return url.protocol in _HTTP_PROTOCOLS
