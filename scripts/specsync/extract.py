"""Find OpenAPI fragments in one file: a rendered docs page or a full OpenAPI document."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import htmlpage, yamlload
from .errors import SpecInputError
from .fences import Fence, fences

# Text with a top-level openapi key (YAML or JSON) was meant as a spec: if it
# cannot be read, that is an error, not a page without one.
_CLAIMS_OPENAPI = re.compile(r"^['\"]?openapi['\"]?[ \t]*:|\"openapi\"[ \t]*:", re.MULTILINE)
# Files that are one document as a whole; pages (.md, .mdx, .txt) are read for fences.
_DOCUMENT_SUFFIXES = frozenset({".json", ".yaml", ".yml"})
# The docs' spec path names the language folder: "fr/api-reference/v2-openapi.json".
_LANG_IN_PATH = re.compile(r"(?:^|[\s/])(?P<lang>[a-z]{2}(?:-[A-Za-z]{2,4})?)/api-reference/")
# Braces named JSON (a .json file, a ```json block) or looking it ({"...) are read as
# JSON only: YAML would take a trailing comma, and a comment or NaN as text, silently.
# (YAML under a json name, not in braces, is still read as YAML.)
_JSON_SHAPED = re.compile(r'\A\s*\{\s*"')
# Spaces as a space; invisible marks (zero-width, word joiner, BOM, bidi controls) dropped.
TYPOGRAPHY = {
    **dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " "),
    **dict.fromkeys(range(0x2000, 0x200B), " "),
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None),
    **dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], None),
}
_KNOWN_LANGS = {"en", "fr", "de", "es", "it", "pt", "pt-br", "ja", "zh", "ko", "ru", "nl", "tr"}


@dataclass(frozen=True)
class Fragment:
    """One OpenAPI document found in one source file."""

    path: Path
    sha256: str
    language: str
    document: dict[str, Any]
    # The docs checkout the file belongs to (the folder holding docs.json), if any.
    docs_root: Path | None = None


def find_fragments(path: Path, raw: bytes, text: str) -> list[Fragment]:
    """The OpenAPI documents in one file's text (\\n line ends): the file, or its fenced blocks.

    In an HTML page, each ``<pre>`` is read as a file of its own: a spec, or a
    Markdown page the browser showed as text.
    """
    digest = hashlib.sha256(raw).hexdigest()
    if htmlpage.is_html(path, text):
        # Entities decode to the typography the file's text had undone (&nbsp; indenting).
        pres = [replace(pre, body=pre.body.translate(TYPOGRAPHY)) for pre in htmlpage.blocks(text)]
        where = " in the <pre> block at line {}: it has"
        return [
            f for pre in pres for f in _in_text(path, digest, text, pre, where.format(pre.line))
        ]
    whole = Fence("json" if path.suffix.lower() == ".json" else "", 1, text)
    refuse = path.suffix.lower() in _DOCUMENT_SUFFIXES
    return _in_text(path, digest, text, whole, ": the file has" if refuse else None)


def _in_text(path: Path, digest: str, page: str, block: Fence, where: str | None) -> list[Fragment]:
    """The document ``block`` holds, or those of its fenced blocks; ``where`` (if any) names
    the block in the error when it is meant as a document and does not parse."""
    doc, problem = _parse(block.body, block.info.lower().startswith("json"))
    if _is_openapi(doc):
        return [Fragment(path, digest, _language(page, path, block.info or None), doc)]
    if problem is not None and where is not None:
        _refuse(path, block.body, problem, where, block.line - 1)
    fragments = []
    for fence in fences(block.body):
        if "openapi" not in fence.body:
            continue  # most blocks are shell, code or JSON examples: not parsed at all
        doc, problem = _parse(fence.body, fence.info.lower().startswith("json"))
        line = block.line - 1 + fence.line
        if _is_openapi(doc):
            fragments.append(Fragment(path, digest, _language(page, path, fence.info), doc))
        elif problem is not None:
            _refuse(
                path, fence.body, problem, f" in the fenced block at line {line}: it has", line - 1
            )
    return fragments


def _parse(text: str, named_json: bool) -> tuple[Any, tuple[str, int | None, str] | None]:
    """(document, None), or (None, (format, 0-based line, reason)) when ``text`` is neither."""
    json_problem = None
    start = text.lstrip()[:1]
    if start == "{" or (named_json and start == "/"):  # "/": JSON after a comment
        try:
            return json.loads(
                text,
                parse_constant=_constant,
                parse_float=_float,
                parse_int=_int,
                object_pairs_hook=_object,
            ), None
        except RecursionError:
            return None, ("JSON", 0, "nested too deeply to read")
        except ValueError as exc:  # JSONDecodeError, or _NotJson
            json_problem = ("JSON", *_json_problem(text, exc))
        if named_json or _JSON_SHAPED.match(text):
            return None, json_problem
        # Flow-style YAML ({openapi: 3.0.0, ...}) starts with "{" too.
    try:
        return yamlload.load(text), None
    except Exception as exc:  # YAMLError, and assorted other errors on non-YAML prose
        return None, json_problem or ("YAML", *yamlload.problem(exc, text))


class _NotJson(ValueError):
    """What Python's json reads and JSON has not. Its hooks get no position: ``token``
    (a number or constant, None for a key) is looked for outside the strings."""

    def __init__(self, reason: str, token: str | None = None) -> None:
        super().__init__(reason)
        self.token = token


def _constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value", name)


def _float(text: str) -> float:
    if math.isfinite(value := float(text)):
        return value
    raise _NotJson(f"{text} is too large for a number (JSON has no infinity)", text)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # Python's limit on the digits of an int it reads from text
        raise _NotJson(f"a number of {len(text)} digits is too long to read", text) from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python's json keeps the last of a repeated key; YAML refuses it, and so does this.
    keys = [key for key, _ in pairs]
    found = dict(pairs)
    if len(found) < len(keys):
        raise _NotJson(f'key "{next(k for k in keys if keys.count(k) > 1)}" twice in one object')
    return found


def _json_problem(text: str, exc: ValueError) -> tuple[int | None, str]:
    """(0-based line if known, reason) of a JSON error, naming what JSON does not allow."""
    if not isinstance(exc, json.JSONDecodeError):  # one of _NotJson's
        if not isinstance(exc, _NotJson) or exc.token is None:
            return None, str(exc)
        outside = re.compile(rf'"(?:[^"\\]|\\.)*"|(?P<token>{re.escape(exc.token)})')
        found = next(m for m in outside.finditer(text) if m["token"])
        return text.count("\n", 0, found.start()), str(exc)
    at = text[exc.pos : exc.pos + 2]
    if at.startswith(("//", "/*", "#")):
        return exc.lineno - 1, "a comment; JSON has none"
    before = text[: exc.pos].rstrip()
    if at[:1] in ("}", "]") and before.endswith(","):
        return before.count("\n"), f"a trailing comma before '{at[0]}'; JSON allows none"
    return exc.lineno - 1, exc.msg


def _refuse(
    path: Path, text: str, problem: tuple[str, int | None, str], where: str, offset: int
) -> None:
    """Text with an openapi key that does not parse: one error line saying where and why."""
    if _CLAIMS_OPENAPI.search(text) is None:
        return
    kind, line, reason = problem
    at = "" if line is None else f"line {offset + line + 1}: "
    raise SpecInputError(
        f"{path}: no OpenAPI document found{where} an openapi key but is not valid "
        f"{kind} ({at}{reason})"
    )


def _is_openapi(doc: Any) -> bool:
    # OpenAPI 3.1 allows a document with webhooks and no paths (the docs' webhooks
    # spec), or with components alone (a spec's second block).
    return (
        isinstance(doc, dict)
        and "openapi" in doc
        and any(isinstance(doc.get(key), dict) for key in ("paths", "webhooks", "components"))
    )


def _language(text: str, path: Path, fence_info: str | None) -> str:
    """Best-effort language tag, recorded in the lock file (never used to decide output)."""
    for hint in (fence_info or "", path.as_posix()):
        match = _LANG_IN_PATH.search(hint)
        if match and match["lang"].lower() in _KNOWN_LANGS:
            return match["lang"].lower()
    for part in path.parts:
        if part.lower() in _KNOWN_LANGS:
            return part.lower()
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if re.search(r"[\uac00-\ud7af]", text):
        return "ko"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "und"
