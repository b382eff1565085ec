"""Does ``new URL(text)`` succeed with an ``http:`` or ``https:`` protocol?

A reading of the WHATWG URL Standard's basic URL parser, restricted to what
decides success for the two special schemes the server accepts (no base URL).
Paths, queries and fragments never make parsing fail, so only the scheme and
the authority are examined. Internationalised host names go through UTS #46
(via the ``idna`` package, a dependency of httpx) with the standard's flags.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Final
from urllib.parse import unquote_to_bytes

import idna  # already imported by httpx

_SCHEME: Final = re.compile(r"([A-Za-z][A-Za-z0-9+\-.]*):")
#: C0 controls and space, stripped from both ends before parsing.
_C0_OR_SPACE: Final = "".join(chr(i) for i in range(0x21))
#: Forbidden host code points, plus those forbidden in a domain.
_FORBIDDEN_HOST: Final = frozenset("\x00\t\n\r #/:<>?@[\\]^|")
_FORBIDDEN_DOMAIN: Final = _FORBIDDEN_HOST | frozenset(
    [chr(i) for i in range(0x20)] + ["%", "\x7f"]
)
_IPV6_CHARS: Final = re.compile(r"[0-9A-Fa-f:.]+")


def is_http_url(text: str) -> bool:
    """True when a WHATWG URL parser accepts ``text`` and its scheme is http or https."""
    # The URL constructor takes a USVString: each unpaired surrogate (JSON.parse already
    # joined the pairs) becomes U+FFFD, percent-encoded in a path, refused in a host.
    text = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    text = text.strip(_C0_OR_SPACE)
    text = text.replace("\t", "").replace("\n", "").replace("\r", "")
    scheme = _SCHEME.match(text)
    if scheme is None or scheme.group(1).lower() not in ("http", "https"):
        return False  # no scheme fails without a base URL; other schemes are refused
    # Special schemes skip any run of "/" and "\" before the authority ("http:x.com" parses).
    rest = text[scheme.end() :].lstrip("/\\")
    end = min((i for i in (rest.find(c) for c in "/\\?#") if i >= 0), default=len(rest))
    authority = rest[:end]
    # The last "@" ends the credentials; anything in them is percent-encoded, never an error.
    host_and_port = authority.rpartition("@")[2]
    if "@" in authority and not host_and_port:
        return False
    host, port = _split_port(host_and_port)
    if host is None or not host:
        return False  # special URLs need a non-empty host
    if port and (not port.isascii() or not port.isdigit() or int(port) > 65535):
        return False
    return _parse_host(host)


def _split_port(host_and_port: str) -> tuple[str | None, str]:
    """Split at the first ":" outside brackets; (None, "") when brackets are unbalanced."""
    inside_brackets = False
    for i, char in enumerate(host_and_port):
        if char == "[":
            inside_brackets = True
        elif char == "]":
            inside_brackets = False
        elif char == ":" and not inside_brackets:
            return host_and_port[:i], host_and_port[i + 1 :]
    return host_and_port, ""


def _parse_host(host: str) -> bool:
    """The host parser for special URLs: IPv6 literal, IPv4 address or domain."""
    if host.startswith("["):
        return host.endswith("]") and _is_ipv6(host[1:-1])
    domain = unquote_to_bytes(host).decode("utf-8", "replace")
    ascii_domain = _domain_to_ascii(domain)
    if ascii_domain is None or not ascii_domain:
        return False
    if any(char in _FORBIDDEN_DOMAIN for char in ascii_domain):
        return False
    if _ends_in_a_number(ascii_domain):
        return _is_ipv4(ascii_domain)
    return True


def _is_ipv6(text: str) -> bool:
    # Python's parser agrees with the standard on ASCII input without a zone
    # ("%" never reaches it: the standard does not percent-decode IPv6 hosts).
    if not _IPV6_CHARS.fullmatch(text):
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _domain_to_ascii(domain: str) -> str | None:
    """UTS #46 ToASCII with the URL Standard's flags; None on failure."""
    labels = domain.split(".")
    if domain.isascii() and not any(label.lower().startswith("xn--") for label in labels):
        return domain.lower()
    try:
        # UseSTD3ASCIIRules=false, Transitional_Processing=false.
        mapped = idna.uts46_remap(domain, std3_rules=False, transitional=False)
    except idna.IDNAError:
        return None  # a disallowed code point
    out = []
    for label in mapped.split("."):
        ascii_label = _label_to_ascii(label)
        if ascii_label is None:
            return None
        out.append(ascii_label)
    return ".".join(out)


def _label_to_ascii(label: str) -> str | None:
    if label.lower().startswith("xn--"):
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
            remapped = idna.uts46_remap(decoded, std3_rules=False, transitional=False)
        except (UnicodeError, ValueError, idna.IDNAError):
            return None
        if not decoded or remapped != decoded:
            return None  # "xn--" alone, or a label that is not in mapped form
        return label.lower() if _label_is_valid(decoded) else None
    if label.isascii():
        return label
    if not _label_is_valid(label):
        return None
    return "xn--" + label.encode("punycode").decode("ascii")


def _label_is_valid(label: str) -> bool:
    """UTS #46 validity with CheckHyphens=false, CheckBidi=true, CheckJoiners=true."""
    if unicodedata.normalize("NFC", label) != label:
        return False
    if unicodedata.category(label[0]).startswith("M"):
        return False  # a label may not begin with a combining mark
    # No RFC 5893 bidi rule here: Node 20's URL parser (ada), which the live
    # server runs, accepts hosts it forbids, e.g. "\u0915\u0661"; and the
    # oracle must never reject what the server accepts.
    try:
        for i, char in enumerate(label):
            if char in ("\u200c", "\u200d") and not idna.valid_contextj(label, i):
                return False
    except idna.IDNAError:
        return False
    except ValueError:
        # idna's tables are newer than this Python's unicodedata: a character
        # it cannot name is one Node would accept; do not guess a rejection.
        return True
    return True


def _ends_in_a_number(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "":
        if len(parts) == 1:
            return False
        parts.pop()
    last = parts[-1]
    if last and last.isascii() and last.isdigit():
        return True
    return _ipv4_number(last) is not None


def _ipv4_number(part: str) -> int | None:
    """The IPv4 number parser: decimal, 0x-hex or 0-octal; None on failure."""
    if not part:
        return None
    radix = 10
    if len(part) >= 2 and part[:2].lower() == "0x":
        part, radix = part[2:], 16
    elif len(part) >= 2 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    allowed = "0123456789abcdefABCDEF"[: radix if radix <= 10 else 22]
    if any(char not in allowed for char in part):
        return None
    return int(part, radix)


def _is_ipv4(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return False
    numbers = [_ipv4_number(part) for part in parts]
    if any(number is None for number in numbers):
        return False
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]):
        return False
    return values[-1] < 1 << (8 * (5 - len(values)))
