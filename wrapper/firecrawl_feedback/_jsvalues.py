"""JavaScript's view of strings and JSON, which the server's limits are stated in."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Final

#: ECMAScript WhiteSpace + LineTerminator: what ``String.prototype.trim`` removes.
#: Python's ``str.strip()`` differs (it strips U+001C-U+001F and U+0085, keeps U+FEFF).
JS_WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_MAX_SAFE_INTEGER: Final = 2**53 - 1
_SURROGATE: Final = "[\ud800-\udfff]"  # compiled on first use (re's cache)


def js_trim(text: str) -> str:
    """``text.trim()`` as JavaScript does it."""
    return text.strip(JS_WHITESPACE)


def utf16_length(text: str) -> int:
    """``text.length``: UTF-16 code units, so a character outside the BMP counts 2."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def as_parsed(text: str) -> str:
    """The string ``JSON.parse`` gives the server for ``text`` sent with ``\\u`` escapes.

    A lone surrogate stays one (JavaScript strings are UTF-16 code units); a high
    surrogate followed by a low one, even as two Python code points, is one
    character outside the BMP there.
    """
    return _through_utf16(text, "surrogatepass")


def as_usv(text: str) -> str:
    """``text`` as a USVString (what ``new URL()`` reads): lone surrogates become U+FFFD."""
    return _through_utf16(text, "replace")


def _through_utf16(text: str, errors: str) -> str:
    if text.isascii() or not re.search(_SURROGATE, text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors)


class NotJSONError(ValueError):
    """The value has no JSON form the client could send (NaN, a set, a non-string key...)."""


def json_size_exceeds(value: object, limit: int) -> int | None:
    """UTF-8 size of ``JSON.stringify(value)`` as the server sees it; ``None`` past ``limit``.

    Stops as soon as the running size passes ``limit`` so a huge value costs
    no more than a small one. Raises NotJSONError for values the client
    cannot encode.
    """
    sizer = _Sizer(limit)
    try:
        sizer.add(value)
    except _OverLimit:
        return None
    return sizer.size


class _OverLimit(Exception):
    pass


class _Sizer:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0

    def grow(self, amount: int) -> None:
        self.size += amount
        if self.size > self.limit:
            raise _OverLimit

    def add(self, value: object) -> None:
        if value is None or value is True:
            self.grow(4)
        elif value is False:
            self.grow(5)
        elif isinstance(value, str):
            self.grow(_string_size(value, self.limit - self.size))
        elif isinstance(value, int | float):
            self.grow(len(js_number(value)))
        elif isinstance(value, Mapping):
            self.grow(2 + max(len(value) - 1, 0))  # braces and commas
            for key, item in value.items():
                if not isinstance(key, str):
                    raise NotJSONError(f"keys must be strings; got {type(key).__name__}")
                self.grow(_string_size(key, self.limit - self.size) + 1)  # and the colon
                self.add(item)
        elif isinstance(value, list | tuple):
            self.grow(2 + max(len(value) - 1, 0))
            for item in value:
                self.add(item)
        else:
            raise NotJSONError(f"{type(value).__name__} is not a JSON value")


def _string_size(text: str, budget: int) -> int:
    # Every character is at least one byte: a string longer than the budget is over.
    if len(text) > budget:
        return len(text) + 2
    # Measured as the server holds it: a surrogate pair sent as two escapes is one
    # character of 4 bytes there.
    quoted = encode_basestring(as_parsed(text))  # JSON.stringify's escapes, non-ASCII kept
    if quoted.isascii():
        return len(quoted)
    # Well-formed JSON.stringify (ES2019) writes a lone surrogate as \udxxx: 6 bytes, not 3.
    encoded = quoted.encode("utf-8", "surrogatepass")
    lone = sum(1 for char in quoted if "\ud800" <= char <= "\udfff")
    return len(encoded) + 3 * lone


def js_number(value: int | float) -> str:
    """``JSON.stringify`` of the double the server parses ``value`` into."""
    if isinstance(value, int) and abs(value) <= _MAX_SAFE_INTEGER:
        return str(value)
    try:
        number = float(value)
    except OverflowError:  # a literal beyond the double range parses as Infinity
        try:
            str(value)  # json writes ints with str(): past sys.get_int_max_str_digits(), no
        except ValueError:
            raise NotJSONError("an integer with more digits than json writes") from None
        return "null"
    if not math.isfinite(number):
        # httpx refuses NaN and Infinity (allow_nan=False): the client cannot send them.
        raise NotJSONError("NaN and Infinity are not JSON")
    if number == 0:
        return "0"
    return _number_to_string(number)


def _number_to_string(number: float) -> str:
    """ECMAScript Number::toString: shortest round-trip digits, exponent outside 1e-7..1e21."""
    sign = "-" if number < 0 else ""
    mantissa, _, exponent_text = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    # value = 0.digits x 10^point
    point = len(whole) + int(exponent_text or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0")
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    exp = point - 1
    head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{head}e{'+' if exp >= 0 else '-'}{abs(exp)}"
