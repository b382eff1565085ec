"""Spec references in docs pages' front matter.

The docs repository's own pages (``.mdx``) do not carry the spec inline: their
front matter names the spec file (from the docs root) and the operation, as in
``openapi: '/fr/api-reference/v2-openapi.json POST /feedback'``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlload
from .errors import SpecInputError
from .select import HTTP_METHODS

PAGE_SUFFIXES = frozenset({".md", ".mdx"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)^---[ \t]*$", re.MULTILINE | re.DOTALL)
# Mintlify's forms: "<file> <METHOD> <path>" and "<file> webhook <name>".
_OPENAPI_KEY = re.compile(r"^['\"]?openapi['\"]?[ \t]*:", re.MULTILINE)
_REFERENCE = re.compile(r"^(?:(?P<spec>\S+)\s+)?(?P<method>[A-Za-z]+)\s+(?P<target>\S+)$")
_WEBHOOK = "webhook"


@dataclass(frozen=True)
class Reference:
    """One page's pointer to an operation of a spec file."""

    page: Path
    spec: str  # as written, relative to the docs root ("/fr/api-reference/v2-openapi.json")
    method: str  # lower case HTTP method, or "webhook"
    target: str  # the path ("/feedback") or the webhook's name

    @property
    def operation(self) -> str:
        return f"{self.method.upper()} {self.target}"

    def found_in(self, document: dict[str, Any]) -> bool:
        if self.method == _WEBHOOK:
            return self.target in (document.get("webhooks") or {})
        item = (document.get("paths") or {}).get(self.target)
        return isinstance(item, dict) and isinstance(item.get(self.method), dict)


@dataclass(frozen=True)
class NoSpecFile:
    """A reference that cannot be followed here; the page is skipped, saying why."""

    reason: str


def reference(page: Path, text: str) -> Reference | NoSpecFile | None:
    """The page's front-matter spec reference (``text`` has \\n line ends); None if none."""
    value = _front_matter(page, text).get("openapi")
    if value is None:
        return None
    parsed = _REFERENCE.match(str(value).strip())
    if parsed is None or parsed["method"].lower() not in (*HTTP_METHODS, _WEBHOOK):
        raise SpecInputError(
            f"{page}: front matter openapi: {value!r} is not '<spec file> <METHOD> <path>'"
        )
    spec = parsed["spec"]
    if spec is None:
        return NoSpecFile(f"front matter names {parsed[0]} but no spec file")
    if "://" in spec:
        return NoSpecFile(f"front matter names a remote spec ({spec}), not fetched")
    return Reference(page, spec, parsed["method"].lower(), parsed["target"])


def _front_matter(page: Path, text: str) -> dict[str, Any]:
    if page.suffix.lower() not in PAGE_SUFFIXES:
        return {}
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}
    try:
        data = yamlload.load(match["body"])
    except Exception as exc:  # YAMLError, and assorted other errors on broken front matter
        if _OPENAPI_KEY.search(match["body"]) is None:
            return {}  # a page the spec sync has no business with
        line, reason = yamlload.problem(exc, match["body"])
        raise SpecInputError(
            f"{page}: front matter with an openapi key is not valid YAML "
            f"(line {line + 2}: {reason})"
        ) from None
    return data if isinstance(data, dict) else {}
