"""JavaScript semantics the server's checks depend on, written out in Python.

The server is Node: ``String.prototype.trim``, ``string.length`` (UTF-16 code
units), ``Number`` and ``JSON.stringify`` behave differently from their
nearest Python cousins, and the limits are defined in those terms.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Final

#: ECMAScript WhiteSpace and LineTerminator, what ``trim()`` removes. Python's
#: ``str.strip()`` differs: it also strips U+001C..U+001F and U+0085, and keeps U+FEFF.
JS_WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

#: ``Number.MAX_SAFE_INTEGER``: zod's ``.int()`` accepts nothing beyond it.
MAX_SAFE_INTEGER: Final = 2**53 - 1


def trim(text: str) -> str:
    """``text.trim()`` as JavaScript does it."""
    return text.strip(JS_WHITESPACE)


def length(text: str) -> int:
    """``text.length``: UTF-16 code units, so an astral character counts 2."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def as_number(value: object) -> float | None:
    """The JavaScript number ``JSON.parse`` would make of a parsed JSON number, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # booleans are not numbers in JavaScript
    try:
        return float(value)
    except OverflowError:  # an integer literal too large for a double parses as Infinity
        return math.inf if value > 0 else -math.inf


def number_to_string(number: float) -> str:
    """``Number.prototype.toString()``: shortest digits, exponent only below 1e-6 or from 1e21."""
    if math.isnan(number) or math.isinf(number):
        return "null"  # JSON.stringify writes non-finite numbers as null
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    digits_tuple = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple.digits))
    exponent = int(digits_tuple.exponent)
    point = len(digits) + exponent  # decimal point position, as ECMAScript's "n"
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    exp = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp)}"


class _Written(str):
    """Text already in JSON form (punctuation, a key and its colon), queued by stringify."""


def stringify(value: object) -> str:
    """``JSON.stringify(value)`` for a parsed JSON value (compact, non-ASCII kept).

    Without recursion: the client sends metadata nested as deep as Python's JSON encoder
    goes, and Node's stringify goes deeper still (about 4,000 levels).
    """
    out: list[str] = []
    pending: list[object] = [value]
    while pending:
        item = pending.pop()
        if type(item) is _Written:
            out.append(item)
        elif item is None or isinstance(item, bool):
            out.append({None: "null", True: "true", False: "false"}[item])
        elif isinstance(item, int | float):
            number = as_number(item)
            assert number is not None  # noqa: S101 - bool was handled above
            out.append(number_to_string(number))
        elif isinstance(item, str):
            out.append(_quote(item))
        elif isinstance(item, list | tuple):
            parts: list[object] = [_Written("[")]
            for index, element in enumerate(item):
                parts += [_Written(",")] if index else []
                parts.append(element)
            pending += reversed([*parts, _Written("]")])
        elif isinstance(item, dict):
            parts = [_Written("{")]
            for index, (key, element) in enumerate(item.items()):
                parts += [_Written(("," if index else "") + _quote(str(key)) + ":"), element]
            pending += reversed([*parts, _Written("}")])
        else:
            raise TypeError(f"not a JSON value: {type(item).__name__}")
    return "".join(out)


def _quote(text: str) -> str:
    # Python escapes the same characters JSON.stringify does when ensure_ascii is off;
    # a lone surrogate (possible in parsed JSON) is escaped by well-formed JSON.stringify.
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if "\ud800" <= c <= "\udfff" else c for c in quoted)


def utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (what ``Buffer.byteLength`` reports)."""
    return len(text.encode("utf-8", "surrogatepass"))
