"""How results and errors are shown: readable text on a terminal, JSON with ``--json``.

Everything printed goes through :class:`Console`, which masks the API key as a
last line of defence (no message built by the library contains it anyway).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import urllib.parse
from typing import Any, TextIO

from .. import _defaults
from .._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AuthenticationError,
    ValidationError,
)
from .._result import FeedbackResult

#: What a server's text may hold that must not reach a terminal as it is: control
#: characters but tab and newline (escape sequences), and lone surrogates (JSON escapes
#: carry them; no UTF-8 stream can write them).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

#: Keys shorter than this are not masked: masking "x" would garble every line.
_MIN_MASKED_LENGTH = 8


def secret_forms(secret: str) -> list[str]:
    """Every form in which the key can appear in text we print or write, longest first.

    As typed and as sent (stripped: the client strips it), each also escaped
    the way JSON (ASCII or not), ``repr`` and URLs (path or form encoding)
    would write it.
    """
    forms: set[str] = set()
    for key in {secret, secret.strip()}:
        forms.add(key)
        forms.add(json.dumps(key)[1:-1])
        forms.add(json.dumps(key, ensure_ascii=False)[1:-1])
        forms.add(repr(key)[1:-1])
        forms.add(ascii(key)[1:-1])
        # A key from bytes that are not UTF-8 (the environment, argv) holds lone surrogates.
        forms.add(urllib.parse.quote(key, safe="", errors="surrogatepass"))
        forms.add(urllib.parse.quote_plus(key, safe="", errors="surrogatepass"))
    # A ledger line is JSON of text that may already hold an escaped form: mask that too.
    forms |= {json.dumps(form)[1:-1] for form in list(forms)}
    return sorted(
        (form for form in forms if len(form) >= _MIN_MASKED_LENGTH), key=len, reverse=True
    )


class Redactor:
    """Replaces the API key (or each candidate for it), in every form it can take (see
    :func:`secret_forms`), with ``***``.

    Only the key: other long values (UUIDs, URL slugs) are shown as they are.
    """

    def __init__(self, *secrets: str | None) -> None:
        forms = {form for secret in secrets if secret for form in secret_forms(secret)}
        self._forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, "***")
        return text

    def __repr__(self) -> str:
        return "Redactor(***)"


def usage_error(message: str, *, kind: str = "UsageError") -> dict[str, Any]:
    """The ``--json`` error object for a failure that is not an API call's."""
    return {"class": kind, "status": None, "code": None, "message": message}


class Console:
    """Standard output and standard error, both masked."""

    def __init__(
        self, redact: Redactor, *, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.redact = redact
        self._out = out
        self._err = err

    @property
    def out(self) -> TextIO:
        return self._out or sys.stdout or _nowhere()  # None: the process started without it

    @property
    def err(self) -> TextIO:
        return self._err or sys.stderr or _nowhere()

    def print(self, text: str = "") -> None:
        failure = _write(self.out, _printable(self.redact(text)))
        if failure is not None and not isinstance(failure, BrokenPipeError):
            # `> result.json` on a full disk: say so, as nothing else will (a closed pipe
            # is someone's choice, `| head`).
            self.error(f"error: cannot write standard output: {failure.strerror or failure}")

    def error(self, text: str) -> None:
        _write(self.err, _printable(self.redact(text)))

    def json(self, value: Any) -> None:
        self.print(json.dumps(value, indent=2, ensure_ascii=False))


def _write(stream: TextIO, text: str) -> OSError | None:
    """Writes a line; returns the error that made the stream go nowhere, if any."""
    try:
        try:
            stream.write(text + "\n")
        except UnicodeEncodeError:  # PYTHONIOENCODING=ascii, a Latin-1 locale: escape, as JSON
            stream.write(_escape_unencodable(text + "\n", stream.encoding))
        stream.flush()
    except OSError as error:
        # Nobody reads any more (`| head`), or nothing can be written (a full disk): what is
        # left, and the flush at exit, go nowhere, so that the exit code still says how the
        # command went.
        with contextlib.suppress(OSError, ValueError):
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, stream.fileno())
            os.close(nowhere)
        return error
    return None


def _escape_unencodable(text: str, encoding: str) -> str:
    """Each character the stream cannot encode as a ``\\uXXXX`` escape (valid in JSON strings)."""

    def escape(char: str) -> str:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            units = char.encode("utf-16-be")  # an astral character: its surrogate pair
            return "".join(f"\\u{units[i : i + 2].hex()}" for i in range(0, len(units), 2))
        return char

    return "".join(map(escape, text))


class _Nowhere(io.StringIO):
    """Where output goes when the process has no such stream: nowhere, keeping nothing."""

    def write(self, text: str) -> int:
        return len(text)


def _nowhere() -> TextIO:
    return _Nowhere()


def describe_error(error: BaseException) -> dict[str, Any]:
    """A JSON-ready description: class, status, code, message and every field issue."""
    info: dict[str, Any] = {
        "class": type(error).__name__,
        "status": None,
        "code": None,
        "message": str(error),
    }
    if isinstance(error, ValidationError):
        info["message"] = "invalid input"
        info["violations"] = [{"field": v.field, "rule": v.rule} for v in error.violations]
    elif isinstance(error, APIStatusError):
        info["status"] = error.status_code
        info["code"] = error.code
        info["message"] = headline(error)
        if error.details:
            info["violations"] = [{"field": d.field, "rule": d.message} for d in error.details]
    if isinstance(error, APIError):
        info["attempts"] = error.attempts
        # A script deciding whether to send again needs this as much as the MCP tools do.
        info["maybeStored"] = error.maybe_stored
    return info


def headline(error: APIStatusError) -> str:
    """The message without the details it lists: shown field by field instead."""
    from .._problems import listed  # noqa: PLC0415 (loads with the first error, see there)

    return error.message.replace(listed(error.details), "", 1)


def format_error(error: BaseException) -> str:
    """Readable text naming every invalid field, for standard error."""
    if isinstance(error, ValidationError):
        count = len(error.violations)
        lines = [f"error: invalid input ({count} field{'s' if count != 1 else ''}):"]
        lines += [f"  {v.field}: {v.rule}" for v in error.violations]
        return "\n".join(lines)
    if isinstance(error, APIStatusError):
        # The client's message usually names the status and code already.
        head = headline(error)
        if f"HTTP {error.status_code}" not in head:
            code = f" {error.code}" if error.code else ""
            head = f"HTTP {error.status_code}{code}: {head}"
        lines = [f"error: {head}"]
        lines += [f"  {d.field}: {d.message}" for d in error.details]
        if error.attempts > 1:
            lines.append(f"  (after {error.attempts} attempts)")
        if isinstance(error, AuthenticationError):
            lines.append(
                f"  check the key: --api-key, or the {_defaults.ENV_API_KEY} environment variable"
            )
        return "\n".join(lines)
    if isinstance(error, APIConnectionError):
        return f"error: could not reach the API ({error}) after {error.attempts} attempt(s)"
    return f"error: {error}"


def format_result(result: FeedbackResult) -> str:
    """Readable text for one successful submission."""
    if result.already_submitted:
        shown = result.feedback_id or "(the server did not say which)"
        lines = [f"Feedback was already recorded for this job: {shown}"]
    elif not result.stored:
        lines = ["Feedback accepted but not stored (zero data retention)."]
    else:
        lines = [f"Feedback recorded: {result.feedback_id}"]
    refund = f"  credits refunded: {_number(result.credits_refunded)}"
    if result.credits_refunded_today is not None and result.daily_refund_cap is not None:
        today = _number(result.credits_refunded_today)
        refund += f" (today {today} of {_number(result.daily_refund_cap)})"
    lines.append(refund)
    if result.daily_cap_reached:
        lines.append("  daily refund cap reached")
    if result.warning:
        lines.append(f"  warning: {result.warning}")
    if result.attempts > 1:
        lines.append(f"  attempts: {result.attempts}")
    return "\n".join(lines)


def _printable(text: str) -> str:
    """``text`` with each unprintable character as a ``\\uXXXX`` escape (valid in JSON strings)."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
