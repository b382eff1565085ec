"""Find OpenAPI fragments in one file: a rendered docs page or a full OpenAPI document."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from . import yamlload

# A fenced block of three or more backticks (or tildes) whose info string
# starts with yaml/yml/json: Mintlify pages put "yaml <lang>/api-reference/... POST /x".
_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>yaml|yml|json)\b(?P<info>[^\n]*)\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
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
    whole = _parse(text)
    if _is_openapi(whole):
        lang = _language(text, path, None)
        return [Fragment(path, digest, lang, whole)]
    fragments = []
    for match in _FENCE.finditer(text):
        doc = _parse(match["body"])
        if _is_openapi(doc):
            lang = _language(text, path, match["info"])
            fragments.append(Fragment(path, digest, lang, doc))
    return fragments


def _parse(text: str) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except RecursionError:
            return None  # nested deeper than Python's parser goes: no document we can use
        except json.JSONDecodeError:
            pass  # flow-style YAML ({openapi: 3.0.0, ...}) starts with "{" too
    try:
        return yamlload.load(text)
    except YAMLError:
        return None
    except Exception:  # ruamel raises assorted errors on non-YAML prose
        return None


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
