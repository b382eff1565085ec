"""Find OpenAPI fragments in one file: a rendered docs page or a full OpenAPI document."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlload
from .errors import SpecInputError
from .fences import fences

# Text with a top-level openapi key (YAML or JSON) was meant as a spec: if it
# cannot be read, that is an error, not a page without one.
_CLAIMS_OPENAPI = re.compile(r"^['\"]?openapi['\"]?[ \t]*:|\"openapi\"[ \t]*:", re.MULTILINE)
# Files that are one document as a whole; pages (.md, .mdx, .txt) are read for fences.
_DOCUMENT_SUFFIXES = frozenset({".json", ".yaml", ".yml"})
# The docs' spec path names the language folder: "fr/api-reference/v2-openapi.json".
_LANG_IN_PATH = re.compile(r"(?:^|[\s/])(?P<lang>[a-z]{2}(?:-[A-Za-z]{2,4})?)/api-reference/")
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
    """The OpenAPI documents in one file's text (\\n line ends): the file, or its fenced blocks."""
    digest = hashlib.sha256(raw).hexdigest()
    whole, problem = _parse(text)
    if _is_openapi(whole):
        return [Fragment(path, digest, _language(text, path, None), whole)]
    if problem is not None and path.suffix.lower() in _DOCUMENT_SUFFIXES:
        _refuse(path, text, problem, ": the file has", 0)
    fragments = []
    for fence in fences(text):
        if "openapi" not in fence.body:
            continue  # most blocks are shell, code or JSON examples: not parsed at all
        doc, problem = _parse(fence.body)
        if _is_openapi(doc):
            fragments.append(Fragment(path, digest, _language(text, path, fence.info), doc))
        elif problem is not None:
            where = f" in the fenced block at line {fence.line}: it has"
            _refuse(path, fence.body, problem, where, fence.line - 1)
    return fragments


def _parse(text: str) -> tuple[Any, tuple[str, int, str] | None]:
    """(document, None), or (None, (format, 0-based line, reason)) when ``text`` is neither."""
    json_problem = None
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text), None
        except RecursionError:
            return None, ("JSON", 0, "nested too deeply to read")
        except json.JSONDecodeError as exc:
            # Flow-style YAML ({openapi: 3.0.0, ...}) starts with "{" too.
            json_problem = ("JSON", exc.lineno - 1, exc.msg)
    try:
        return yamlload.load(text), None
    except Exception as exc:  # YAMLError, and assorted other errors on non-YAML prose
        return None, json_problem or ("YAML", *yamlload.problem(exc))


def _refuse(path: Path, text: str, problem: tuple[str, int, str], where: str, offset: int) -> None:
    """Text with an openapi key that does not parse: one error line saying where and why."""
    if _CLAIMS_OPENAPI.search(text) is None:
        return
    kind, line, reason = problem
    raise SpecInputError(
        f"{path}: no OpenAPI document found{where} an openapi key but is not valid "
        f"{kind} (line {offset + line + 1}: {reason})"
    )


def _is_openapi(doc: Any) -> bool:
    # OpenAPI 3.1 allows a document with webhooks and no paths (the docs' webhooks spec).
    return (
        isinstance(doc, dict)
        and "openapi" in doc
        and any(isinstance(doc.get(key), dict) for key in ("paths", "webhooks"))
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
