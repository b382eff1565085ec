"""Does a string parse as an http(s) URL the way the server's WHATWG parser sees it?

Mirrors ``new URL(value)`` in Node (the Ada parser) followed by the server's
check that the protocol is ``http:`` or ``https:``. For these special schemes
only the scheme, the authority (userinfo, host, port) can make parsing fail:
paths, queries and fragments are percent-encoded, never rejected.

Where implementations disagree on exotic international hosts (bidi rules,
contextual joiners), this module accepts: the client must never reject what
the server accepts.
"""

from __future__ import annotations

import re
import unicodedata

from ._jsvalues import as_usv

# WHATWG URL: leading and trailing C0 controls and spaces are stripped, and
# ASCII tab or newline is removed anywhere, before parsing.
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# The authority of a special URL ends at the first of these.
_AUTHORITY_END = re.compile(r"[/\\?#]")
_PORT = re.compile(r"[0-9]*")
_PERCENT_BYTE = re.compile(rb"%([0-9A-Fa-f]{2})")
# WHATWG "forbidden domain code point": forbidden host code points, C0
# controls, % and DEL.
_FORBIDDEN_DOMAIN = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_XN_LABEL = re.compile(r"(?:^|\.)xn--", re.IGNORECASE)
_MAX_PORT = 65535
# The everyday shape, decided without the full walk: ASCII host whose last
# label starts with a letter (so it cannot end in a number), no punycode
# label, no userinfo, a port of at most 4 digits; whatever follows the
# authority never fails.
_PLAIN_HTTP_URL = re.compile(
    r"https?://(?:(?!xn--)[a-z0-9_-]+\.)*(?!xn--)[a-z][a-z0-9_-]*\.?(?::[0-9]{0,4})?"
    r"(?:[/?#\\].*)?",
    re.IGNORECASE | re.DOTALL,
)
_ZWNJ = "\u200c"
_ZWJ = "\u200d"
_VIRAMA_COMBINING_CLASS = 9
_RTL_ALLOWED = frozenset({"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})


def http_url_problem(value: str) -> str | None:
    """``None`` when ``value`` (already trimmed) is an http(s) URL; else why not."""
    if _PLAIN_HTTP_URL.fullmatch(value):
        return None
    return _parse_problem(value)


def _parse_problem(value: str) -> str | None:
    """The WHATWG basic URL parser's verdict on scheme and authority."""
    # new URL() takes a USVString: a lone surrogate is read as U+FFFD (then refused
    # in a host, percent-encoded elsewhere), never an error of its own.
    text = as_usv(value).strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    scheme = _SCHEME.match(text)
    if scheme is None:
        return "must be an absolute URL starting with http:// or https://"
    if scheme.group()[:-1].lower() not in ("http", "https"):
        return "must use the http or https scheme"
    # Special schemes skip any run of slashes or backslashes before the authority.
    rest = text[scheme.end() :].lstrip("/\\")
    end = _AUTHORITY_END.search(rest)
    authority = rest[: end.start()] if end else rest
    # Userinfo ends at the last "@"; anything is allowed in it (percent-encoded).
    host_and_port = authority.rpartition("@")[2]
    host, port = _split_port(host_and_port)
    if not host:
        return "must include a host"
    if port is not None and (_PORT.fullmatch(port) is None or int(port or 0) > _MAX_PORT):
        return "must have a port number from 0 to 65535"
    if _host_is_valid(host):
        return None
    return "must have a valid host name or IP address"


def _split_port(host_and_port: str) -> tuple[str, str | None]:
    """Split at the first ":" outside square brackets (the WHATWG host state)."""
    inside_brackets = False
    for index, char in enumerate(host_and_port):
        if char == "[":
            inside_brackets = True
        elif char == "]":
            inside_brackets = False
        elif char == ":" and not inside_brackets:
            return host_and_port[:index], host_and_port[index + 1 :]
    return host_and_port, None


def _host_is_valid(host: str) -> bool:
    if host.startswith("["):
        return host.endswith("]") and _is_ipv6(host[1:-1])
    domain = _percent_decode(host)
    ascii_domain = _domain_to_ascii(domain)
    if ascii_domain is None or not ascii_domain:
        return False
    if _FORBIDDEN_DOMAIN.search(ascii_domain):
        return False
    if _ends_in_number(ascii_domain):
        return _is_ipv4(ascii_domain)
    return True


def _percent_decode(host: str) -> str:
    if "%" not in host:
        return host
    raw = host.encode("utf-8", "surrogatepass")
    decoded = _PERCENT_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    # "UTF-8 decode without BOM": invalid sequences become U+FFFD (disallowed later).
    return decoded.decode("utf-8", "replace")


def _domain_to_ascii(domain: str) -> str | None:
    """UTS 46 ToASCII as WHATWG calls it (no STD3 rules, no DNS length check)."""
    if domain.isascii() and not _XN_LABEL.search(domain):
        return domain.lower()
    mapped = _uts46_map(domain)
    if mapped is None:
        return None
    labels = []
    for label in mapped.split("."):
        if label[:4].lower() == "xn--":
            if not label.isascii() or not _punycode_label_is_valid(label[4:]):
                return None
            labels.append(label.lower())
            continue
        if label and not _label_is_valid(label):
            return None
        labels.append(label if label.isascii() else "xn--" + label.encode("punycode").decode())
    return ".".join(labels)


def _uts46_map(domain: str) -> str | None:
    """UTS 46 mapping and NFC; ``None`` when a code point is disallowed."""
    # idna ships with httpx; its UTS 46 table is only loaded for international hosts.
    import idna  # noqa: PLC0415

    # idna refuses inputs over 1024 characters; mapping is per code point,
    # so map in slices and normalise the whole again.
    slices = [domain[start : start + 1000] for start in range(0, len(domain), 1000)]
    try:
        mapped = "".join(idna.uts46_remap(piece, std3_rules=False) for piece in slices)
    except (idna.IDNAError, ValueError):
        return None
    return unicodedata.normalize("NFC", mapped) if len(slices) > 1 else mapped


def _punycode_label_is_valid(encoded: str) -> bool:
    try:
        decoded = encoded.encode("ascii").decode("punycode")
    except UnicodeError:
        return False
    remapped = _uts46_map(decoded)
    if not remapped:
        return False
    return "." not in remapped and _label_is_valid(remapped)


def _label_is_valid(label: str) -> bool:
    """UTS 46 validity criteria the server's parser enforces for sure."""
    if unicodedata.category(label[0]).startswith("M"):
        return False
    if not _rtl_label_is_valid(label):
        return False
    for index, char in enumerate(label):
        if char not in (_ZWJ, _ZWNJ):
            continue
        after_virama = (
            index > 0 and unicodedata.combining(label[index - 1]) == _VIRAMA_COMBINING_CLASS
        )
        if after_virama:
            continue
        # ZWJ needs a virama before it; ZWNJ may also sit between joining
        # letters, which needs data we do not carry: accept it when inside.
        if char == _ZWJ or index in (0, len(label) - 1):
            return False
    return True


def _rtl_label_is_valid(label: str) -> bool:
    """RFC 5893 rules 2-4 for a label starting right-to-left (what Node enforces)."""
    directions = [unicodedata.bidirectional(char) for char in label]
    if directions[0] not in ("R", "AL"):
        return True
    if any(direction not in _RTL_ALLOWED for direction in directions):
        return False
    if ("EN" in directions) and ("AN" in directions):
        return False
    last = len(directions) - 1
    while last > 0 and directions[last] == "NSM":
        last -= 1
    return directions[last] in ("R", "AL", "EN", "AN")


def _ends_in_number(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "":
        if len(parts) == 1:
            return False
        parts.pop()
    last = parts[-1]
    if last and last.isascii() and last.isdigit():
        return True
    return _parse_ipv4_number(last) is not None


def _parse_ipv4_number(part: str) -> int | None:
    if not part:
        return None
    radix = 10
    if part[:2].lower() == "0x":
        part, radix = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    digits = {10: "0123456789", 16: "0123456789abcdefABCDEF", 8: "01234567"}[radix]
    if any(char not in digits for char in part):
        return None
    return int(part, radix)


def _is_ipv4(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return False
    numbers = [_parse_ipv4_number(part) for part in parts]
    if any(number is None for number in numbers):
        return False
    values = [number for number in numbers if number is not None]
    if any(number > 255 for number in values[:-1]):
        return False
    return values[-1] < 1 << (8 * (5 - len(values)))


def _is_ipv6(text: str) -> bool:  # noqa: PLR0911 (one exit per failure step of the spec)
    """The WHATWG IPv6 parser, reduced to success or failure."""
    pieces = 0
    compress = False
    pointer = 0
    length = len(text)
    if text.startswith(":"):
        if not text.startswith("::"):
            return False
        pointer = 2
        pieces = 1
        compress = True
    while pointer < length:
        if pieces == 8:
            return False
        if text[pointer] == ":":
            if compress:
                return False
            pointer += 1
            pieces += 1
            compress = True
            continue
        digits = 0
        while digits < 4 and pointer < length and text[pointer] in "0123456789abcdefABCDEF":
            pointer += 1
            digits += 1
        if pointer < length and text[pointer] == ".":
            if digits == 0 or pieces > 6:
                return False
            return _is_ipv6_tail_ipv4(text[pointer - digits :]) and (pieces + 2 == 8 or compress)
        if pointer < length and text[pointer] == ":":
            pointer += 1
            if pointer >= length:
                return False
        elif pointer < length:
            return False
        pieces += 1
    return pieces == 8 or compress


def _is_ipv6_tail_ipv4(text: str) -> bool:
    """Four dotted decimal numbers 0-255, no leading zeros (WHATWG IPv4-in-IPv6)."""
    parts = text.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part or not part.isascii() or not part.isdigit():
            return False
        if len(part) > 1 and part[0] == "0":
            return False
        if int(part) > 255:
            return False
    return True
