"""Does a string parse as an http(s) URL the way the server reads it?

The server runs ``new URL(value)`` in Node 20, whose WHATWG URL parser is Ada,
then requires the protocol ``http:`` or ``https:``. This module asks the same
parser: the ada-url package, pinned in pyproject.toml to the Ada release Node 20
ships (Ada's verdicts on international hosts change between releases).
"""

from __future__ import annotations

import functools
import re

from ._jsvalues import as_usv

# The everyday shape, accepted without asking Ada (a third of a call's validation
# time with a URL and five sources): ASCII host whose last label starts with a
# letter (so it is not an IPv4 address), no punycode label, no userinfo, a port
# of at most 4 digits; whatever follows the authority never fails to parse.
_PLAIN_HTTP_URL = (
    r"(?is)https?://(?:(?!xn--)[a-z0-9_-]+\.)*(?!xn--)[a-z][a-z0-9_-]*\.?(?::[0-9]{0,4})?"
    r"(?:[/?#\\].*)?"
)
# Compiled on first use, not at import, and kept: looking it up in re's cache on
# every call costs as much as the match.
_plain_http_url = functools.cache(functools.partial(re.compile, _PLAIN_HTTP_URL))


def http_url_problem(value: str) -> str | None:
    """``None`` when ``value`` (already trimmed) is an http(s) URL; else why not."""
    if _plain_http_url().fullmatch(value):
        return None
    # Loaded on first need: `import firecrawl_feedback` does not pay for it.
    from ada_url import parse_url  # noqa: PLC0415

    # new URL() takes a USVString: a lone surrogate is read as U+FFFD (refused in
    # a host, percent-encoded elsewhere); ada-url could not encode it at all.
    # A NUL is no end: ada-url passes the UTF-8 bytes with their length.
    try:
        protocol = parse_url(as_usv(value), ("protocol",))["protocol"]
    except ValueError:
        return "must be an absolute URL with a valid host, e.g. https://example.com/page"
    if protocol not in ("http:", "https:"):
        return "must use the http or https scheme"
    return None
