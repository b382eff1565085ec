"""A synthetic checkout of Firecrawl's docs repository, in its layout (August 2026).

English at the root and translations under es/, fr/, ja/, pt-BR/, zh/; each
with api-reference/v2-openapi.json (the full v2 spec: the feedback operations
of the seed pages, so the schemas are exactly Firecrawl's, among about forty
unrelated operations), v1-openapi.json and webhooks-openapi.json (other APIs
whose schema names clash with v2's), endpoint pages whose front matter names
the spec and the operation, prose pages, docs.json and binary files.
Translations differ only in prose.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.spec.specpages import Page, translate

LANGUAGES = ("en", "es", "fr", "ja", "pt-BR", "zh")
V2 = "api-reference/v2-openapi.json"
V1 = "api-reference/v1-openapi.json"
WEBHOOKS = "api-reference/webhooks-openapi.json"
FEEDBACK_OPS = ["POST /feedback", "POST /search/{jobId}/feedback"]
# Unrelated v2 operations: (method, route, tag, schema name stem).
_V2_OTHERS = [
    (method, route, tag, stem)
    for stem, tag, routes in (
        ("Scrape", "Scraping", ["/scrape", "/scrape/{id}"]),
        (
            "BatchScrape",
            "Scraping",
            ["/batch/scrape", "/batch/scrape/{id}", "/batch/scrape/{id}/errors"],
        ),
        (
            "Crawl",
            "Crawling",
            [
                "/crawl",
                "/crawl/{id}",
                "/crawl/{id}/errors",
                "/crawl/active",
                "/crawl/params-preview",
            ],
        ),
        ("Map", "Mapping", ["/map"]),
        ("Search", "Search", ["/search", "/search/{jobId}"]),
        ("Extract", "Extraction", ["/extract", "/extract/{id}"]),
        ("Agent", "Agent", ["/agent", "/agent/{id}"]),
        ("Browser", "Browser", ["/browser", "/browser/{id}", "/browser/{id}/execute"]),
        ("Parse", "Parsing", ["/parse"]),
        ("Usage", "Billing", ["/team/credit-usage", "/team/token-usage", "/team/queue-status"]),
        ("History", "Billing", ["/team/credit-usage/historical", "/team/token-usage/historical"]),
        (
            "Research",
            "Research",
            ["/deep-research", "/deep-research/{id}", "/llmstxt", "/llmstxt/{id}"],
        ),
        ("Ongoing", "Crawling", ["/crawl/ongoing", "/scrape/{id}/actions", "/agent/{id}/cancel"]),
    )
    for route in routes
    for method in (("get", "delete") if "{" in route else ("post",))
]
BINARY_FILES = {
    "images/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "images/feedback-flow.gif": b"GIF89a\x10\x00\x10\x00\x80\x00\x00" + b"\xff" * 64,
    "favicon.ico": b"\x00\x00\x01\x00\x01\x00" + b"\x20" * 32,
    # No NUL byte but not UTF-8 either (a Latin-1 text): binary for the scan.
    "legacy/notes-latin1.txt": "Retour érroné, voir l'openapi\n".encode("latin-1"),
}


def feedback_fragment(pages: dict[str, Page]) -> dict[str, Any]:
    """The two feedback operations and their components, from the seed pages."""
    doc = copy.deepcopy(pages["fr"].document)
    search = pages["search"].document
    doc["paths"].update(copy.deepcopy(search["paths"]))
    for kind, named in search["components"].items():
        doc["components"].setdefault(kind, {}).update(copy.deepcopy(named))
    return doc


def v2_spec(feedback: dict[str, Any]) -> dict[str, Any]:
    """The full v2 spec: the feedback operations among unrelated ones, like Firecrawl's."""
    doc = copy.deepcopy(feedback)
    doc["info"]["title"] = "Firecrawl API"
    doc["tags"] = [
        {"name": tag, "description": tag} for tag in sorted({t for *_, t, _ in _V2_OTHERS})
    ]
    schemas = doc["components"]["schemas"]
    schemas["ErrorResponse"] = {
        "type": "object",
        "properties": {"success": {"type": "boolean"}, "error": {"type": "string"}},
    }
    for method, route, tag, stem in _V2_OTHERS:
        schemas.setdefault(
            f"{stem}Response",
            {
                "type": "object",
                "description": f"{stem} result",
                "properties": {"success": {"type": "boolean"}, "data": {"type": "object"}},
            },
        )
        operation: dict[str, Any] = {
            "tags": [tag],
            "summary": f"{method} {route}",
            "operationId": f"{method}{route.replace('/', '_').replace('{', '').replace('}', '')}",
            "responses": {
                "200": _json_response("OK", f"{stem}Response"),
                "402": _json_response("Payment required", "ErrorResponse"),
            },
            "security": [{"bearerAuth": []}],
        }
        if method == "post":
            schemas.setdefault(
                f"{stem}Request",
                {
                    "type": "object",
                    "properties": {"url": {"type": "string", "format": "uri"}},
                },
            )
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(f"{stem}Request")}},
            }
        doc["paths"].setdefault(route, {})[method] = operation
    # Another method on /feedback, for another tag: not part of the client.
    doc["paths"]["/feedback"]["get"] = {
        "tags": ["Internal"],
        "operationId": "listFeedback",
        "responses": {"200": _json_response("Listing", "ErrorResponse")},
    }
    return doc


def v1_spec() -> dict[str, Any]:
    """The v1 API: other operations, and schemas named like v2's that say other things."""
    return {
        "openapi": "3.0.0",
        "info": {"title": "Firecrawl API", "version": "v1"},
        "servers": [{"url": "https://api.firecrawl.dev/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/scrape": {
                "post": {
                    "tags": ["Scraping"],
                    "operationId": "scrapeV1",
                    "responses": {"200": _json_response("OK", "FeedbackResponse")},
                }
            },
            "/crawl/{id}": {
                "get": {
                    "tags": ["Crawling"],
                    "operationId": "crawlStatusV1",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": _json_response("OK", "FeedbackErrorResponse")},
                }
            },
        },
        "components": {
            "schemas": {
                "FeedbackResponse": {"type": "object", "properties": {"ok": {"type": "integer"}}},
                "FeedbackErrorResponse": {"type": "string", "maxLength": 10},
            },
            "securitySchemes": {
                "bearerAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
    }


def webhooks_spec() -> dict[str, Any]:
    """The webhook events (OpenAPI 3.1, no paths), again with clashing schema names."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Firecrawl webhooks", "version": "v2"},
        "webhooks": {
            "crawl.started": {
                "post": {
                    "operationId": "crawlStarted",
                    "requestBody": {
                        "content": {"application/json": {"schema": _ref("SearchFeedbackRequest")}}
                    },
                    "responses": {"200": {"description": "Received"}},
                }
            },
        },
        "components": {
            "schemas": {
                "SearchFeedbackRequest": {
                    "type": "object",
                    "required": ["event"],
                    "properties": {"event": {"type": "string"}},
                },
                "FeedbackResponse": {"type": "array", "items": {"type": "string"}},
            }
        },
    }


def build_checkout(
    root: Path,
    pages: dict[str, Page],
    *,
    change: Callable[[str, dict[str, Any]], dict[str, Any]] = lambda _lang, doc: doc,
    feedback_pages: bool = True,
    docs_json: bool = True,
    git: bool = True,
) -> Path:
    """Write the checkout under ``root``; ``change(language, v2)`` alters one language's spec."""
    feedback = feedback_fragment(pages)
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"{language}/"
        v2 = change(language, translate(v2_spec(feedback), language))
        _write_json(root / prefix / V2, v2)
        _write_json(root / prefix / V1, translate(v1_spec(), language))
        _write_json(root / prefix / WEBHOOKS, translate(webhooks_spec(), language))
        endpoint = root / prefix / "api-reference" / "endpoint"
        refs = {
            "scrape.mdx": f"/{prefix}{V2} POST /scrape",
            "crawl-get.mdx": f"/{prefix}{V2} GET /crawl/{{id}}",
            "crawl-delete.mdx": f"/{prefix}{V2} DELETE /crawl/{{id}}",
            "map.mdx": f"/{prefix}{V2} POST /map",
            "v1/scrape.mdx": f"/{prefix}{V1} POST /scrape",
            "webhooks/crawl-started.mdx": f"/{prefix}{WEBHOOKS} webhook crawl.started",
        }
        if feedback_pages:
            refs["feedback.mdx"] = f"/{prefix}{V2} POST /feedback"
            refs["search-feedback.mdx"] = f"/{prefix}{V2} POST /search/{{jobId}}/feedback"
        for name, ref in refs.items():
            _write(
                endpoint / name,
                f"---\ntitle: '{name}'\nopenapi: '{ref}'\n---\n\n{_prose(language)}\n",
            )
        for index in range(30):
            _write(root / prefix / "features" / f"page-{index:02}.mdx", _page(language, index))
    _write(
        root / "snippets" / "openapi-note.mdx",
        "---\ntitle: Note\n---\n\nThe openapi files live in api-reference/.\n\n"
        "```yaml\nopenapi: see below\n```\n",
    )
    _write(root / "README.md", "# Firecrawl docs\n\nRun `mint dev`.\n")
    _write(root / "empty.md", "")
    _write(root / ".github" / "workflows" / "ci.yml", "on: push\n# openapi: not a spec\n")
    for name, data in BINARY_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    if docs_json:
        navigation = [
            {"language": language, "openapi": f"/{'' if language == 'en' else language + '/'}{V2}"}
            for language in LANGUAGES
        ]
        _write_json(
            root / "docs.json", {"name": "Firecrawl", "navigation": {"languages": navigation}}
        )
    if git:
        _git_commit(root)
    return root


def git_head(root: Path) -> str:
    return _git(root, "rev-parse", "HEAD").strip()


def _git_commit(root: Path) -> None:
    _git(root, "init", "--quiet")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--no-gpg-sign", "--message", "docs")


def _git(root: Path, *args: str) -> str:
    git = shutil.which("git")
    assert git is not None, "git is needed to build the docs checkout"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Docs",
        "GIT_AUTHOR_EMAIL": "docs@example.invalid",
        "GIT_COMMITTER_NAME": "Docs",
        "GIT_COMMITTER_EMAIL": "docs@example.invalid",
    }
    result = subprocess.run(
        [git, "-C", str(root), *args], capture_output=True, text=True, check=True, env=env
    )
    return result.stdout


def _prose(language: str) -> str:
    text: str = translate({"description": "x"}, language)["description"]
    return text


def _page(language: str, index: int) -> str:
    # Some pages mention OpenAPI or carry a yaml block, as feature pages do.
    extra = "\n```yaml\nname: example\nopenapi: false\n```\n" if index % 7 == 0 else ""
    return f"---\ntitle: 'Feature {index}'\n---\n\n{_prose(language)}\n{extra}"


def _json_response(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_json(path: Path, data: Any) -> None:
    _write(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
