"""Build source variants for the spec tests: translated, reordered, re-dumped, corrupted.

The seeds are Firecrawl's docs pages in French, Chinese and Japanese. These
helpers make other languages and layouts of the same pages (and full OpenAPI
documents assembled from them) so the tests do not only replay the seeds.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "openapi" / "sources"
# Seed page per language for POST /feedback, and the (Chinese) search page.
FEEDBACK_SEEDS = {
    "fr": SEEDS / "000_439fdc48ada2f09e.txt",
    "zh": SEEDS / "001_5cdf0e429fa56e4b.txt",
    "ja": SEEDS / "002_b387f562703247c7.txt",
}
SEARCH_SEED = SEEDS / "003_db8c1259a921c46a.txt"

_FENCE = re.compile(r"^(`{3,})yaml[^\n]*\n(?P<body>.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CURL_BODY = re.compile(r"-d '(?P<body>\{.*?\})'", re.DOTALL)
_PROSE_KEYS = ("description", "summary", "title")

# A sentence per language; each prose string becomes "<sentence> (n)".
SENTENCES = {
    "de": "Rückmeldung zu einem abgeschlossenen Auftrag übermitteln",
    "es": "Enviar comentarios sobre un trabajo terminado",
    "en": "Send feedback about a finished job",
    "it": "Inviare un riscontro su un lavoro concluso",
    "fr": "Envoyer un retour sur une tâche terminée",
    "ja": "完了したジョブについてフィードバックを送信する",
    "pt-BR": "Enviar feedback sobre um trabalho concluído",
    "zh": "提交已完成任务的反馈",
}
PAGE_TITLES = {
    "de": "Rückmeldung zum Endpunkt",
    "es": "Comentarios del endpoint",
    "en": "Endpoint feedback",
    "it": "Riscontro sull'endpoint",
}


@dataclass(frozen=True)
class Page:
    """One seed page: its OpenAPI fragment, its operation and its curl example body."""

    path: Path
    document: dict[str, Any]
    operation: str
    body: dict[str, Any]


def read_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    fence = _FENCE.search(text)
    curl = _CURL_BODY.search(text)
    assert fence and curl, f"{path} is not a docs page with a yaml block and a curl example"
    document = YAML(typ="safe", pure=True).load(io.StringIO(fence["body"]))
    (route,) = document["paths"]
    (method,) = document["paths"][route]
    return Page(path, document, f"{method.upper()} {route}", json.loads(curl["body"]))


def prose_strings(document: dict[str, Any]) -> list[str]:
    """Every description, summary and title string in an OpenAPI fragment."""
    return [value for _, key, value in _prose_slots(document)]


def translate(document: dict[str, Any], language: str) -> dict[str, Any]:
    """A copy with every prose string (and the localized contact name) in ``language``."""
    out = copy.deepcopy(document)
    sentence = SENTENCES[language]
    for index, (holder, key, _) in enumerate(list(_prose_slots(out))):
        holder[key] = f"{sentence} ({index})"
    contact = out.get("info", {}).get("contact")
    if isinstance(contact, dict):
        contact["name"] = f"Firecrawl ({language})"
    return out


def reorder(node: Any) -> Any:
    """Every mapping's keys and every required list in reverse order."""
    if isinstance(node, dict):
        return {key: _reorder_value(key, node[key]) for key in reversed(list(node))}
    if isinstance(node, list):
        return [reorder(v) for v in node]
    return node


def _reorder_value(key: str, value: Any) -> Any:
    if key == "required" and isinstance(value, list):
        return list(reversed(value))
    return reorder(value)


def set_at(document: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """A copy with ``value`` at ``pointer`` (JSON pointer, ~1 for /)."""
    out = copy.deepcopy(document)
    holder, key = _locate(out, pointer)
    holder[key] = value
    return out


def delete_at(document: dict[str, Any], pointer: str) -> dict[str, Any]:
    out = copy.deepcopy(document)
    holder, key = _locate(out, pointer)
    del holder[key]
    return out


def get_at(document: dict[str, Any], pointer: str) -> Any:
    holder, key = _locate(document, pointer)
    return holder[key]


def _locate(document: Any, pointer: str) -> tuple[Any, Any]:
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]
    node = document
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last: Any = int(tokens[-1]) if isinstance(node, list) else tokens[-1]
    return node, last


def render_page(document: dict[str, Any], language: str, style: str = "block") -> str:
    """A docs page around ``document``: block YAML, flow YAML or JSON in its fence."""
    # The fence names the page's operation: the first one if there are more.
    route = next(iter(document["paths"]))
    method = next(iter(document["paths"][route]))
    info = f"{language}/api-reference/v2-openapi.json {method.upper()} {route}"
    if style == "json":
        block = f"```json {info}\n{json.dumps(document, indent=1, ensure_ascii=True)}\n```"
    else:
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = style == "flow"
        yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # keep reorder()'s order
        yaml.width = 60
        stream = io.StringIO()
        yaml.dump(document, stream)
        block = f"~~~~yaml {info}\n{stream.getvalue()}~~~~"
    return (
        f"# {PAGE_TITLES[language]}\n\n> {SENTENCES[language]}.\n\n"
        '```bash\ncurl -X POST "https://api.firecrawl.dev/v2/feedback" \\\n'
        '  -d \'{"rating": "good"}\'\n```\n\n## OpenAPI\n\n' + block + "\n"
    )


def write_page(
    folder: Path, name: str, document: dict[str, Any], language: str, style: str = "block"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(render_page(document, language, style), encoding="utf-8")
    return path


def full_document(fragments: list[dict[str, Any]], language: str) -> dict[str, Any]:
    """One full OpenAPI document: the fragments' operations plus unrelated ones.

    The unrelated parts are things the client must not depend on: another
    method on /feedback, a crawl operation whose schemas use an external
    $ref and a JSON-Schema-2020 type list (openapi-python-client cannot
    generate those), extra tags, parameters, responses and security schemes.
    """
    doc: dict[str, Any] = {
        "openapi": "3.0.0",
        "info": {"title": "Firecrawl API", "version": "v2", "license": {"name": "AGPL-3.0"}},
        "servers": [{"url": "https://api.firecrawl.dev/v2", "description": "Production"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "Feedback", "description": "Feedback"}, {"name": "Crawling"}],
        "externalDocs": {"url": "https://docs.firecrawl.dev", "description": "Docs"},
        "x-mint": {"metadata": {"title": "Firecrawl"}},
        "paths": {},
        "components": {},
    }
    for fragment in fragments:
        for route, item in fragment["paths"].items():
            doc["paths"].setdefault(route, {}).update(copy.deepcopy(item))
        for kind, named in fragment.get("components", {}).items():
            doc["components"].setdefault(kind, {}).update(copy.deepcopy(named))
    doc["paths"].setdefault("/feedback", {})["get"] = {
        "tags": ["Internal"],
        "operationId": "listFeedback",
        "summary": "List feedback",
        "responses": {"200": {"$ref": "#/components/responses/Listing"}},
    }
    doc["paths"]["/crawl/{id}"] = {
        "parameters": [{"$ref": "#/components/parameters/CrawlId"}],
        "get": {
            "tags": ["Crawling"],
            "operationId": "getCrawlStatus",
            "summary": "Crawl status",
            "responses": {
                "200": {
                    "description": "Status",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CrawlStatusResponse"}
                        }
                    },
                }
            },
        },
    }
    doc["components"]["schemas"].update(
        {
            "CrawlStatusResponse": {
                "type": "object",
                "properties": {
                    "status": {"type": ["string", "null"]},
                    "data": {"$ref": "crawl-data.yaml#/CrawlData"},
                    "next": {"not": {}},
                },
            },
            "Unused": {"oneOf": [{"type": "integer"}, {"type": "array"}]},
        }
    )
    doc["components"]["parameters"] = {
        "CrawlId": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    }
    doc["components"]["responses"] = {"Listing": {"description": "Listing"}}
    doc["components"]["securitySchemes"]["apiKeyHeader"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
    }
    return translate(doc, language)


def _prose_slots(node: Any) -> Iterator[tuple[dict[str, Any], str, str]]:
    # Only string values are prose: a property *named* description (as in
    # missingContent items) holds a schema and is left alone.
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _PROSE_KEYS and isinstance(value, str):
                yield node, key, value
            else:
                yield from _prose_slots(value)
    elif isinstance(node, list):
        for value in node:
            yield from _prose_slots(value)


def write_all_pages(
    folder: Path,
    pages: list[Page],
    language: str = "de",
    change: Callable[[dict[str, Any]], dict[str, Any]] = lambda doc: doc,
) -> list[Path]:
    """Every page translated to ``language`` with ``change`` applied to each fragment."""
    return [
        write_page(folder, f"{index}.md", translate(change(page.document), language), language)
        for index, page in enumerate(pages)
    ]
