"""The docs in other written forms give the same spec: tabs, YAML keys and values, fences.

test_language_independence covers other languages, layouts and line endings;
these are forms of the same text that a person or a tool may produce when
saving or converting a page, and that the reader must take as YAML 1.2 and
OpenAPI define them (or refuse in one clear line).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ruamel.yaml.error import YAMLError
from specsync import yamlload

from tests.spec.specpages import Page
from tests.spec.specsupport import build, spec_text

FEEDBACK_OP = ("submitEndpointFeedback",)


def _spec(sources: list[Path]) -> str:
    return spec_text(build(sources, operation_ids=FEEDBACK_OP)[0])


def _french(seed_pages: dict[str, Page]) -> str:
    return seed_pages["fr"].path.read_text(encoding="utf-8")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SPEC_FILE = "fr/api-reference/v2-openapi.json"


def _docs_page(root: Path, seed_pages: dict[str, Page], page: bytes) -> Path:
    """A docs root holding the French spec file and one .mdx page (its raw bytes)."""
    _write(root, "docs.json", "{}")
    _write(root, SPEC_FILE, json.dumps(seed_pages["fr"].document))
    path = root / "fr/api-reference/endpoint/feedback.mdx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page)
    return path


@pytest.mark.parametrize(
    "value", [f"'/{SPEC_FILE} POST /feedback'", f"/{SPEC_FILE}\tPOST\t/feedback"]
)
def test_a_tab_after_openapi_in_front_matter_is_read(
    tmp_path: Path, seed_pages: dict[str, Page], value: str
) -> None:
    """`openapi:<TAB>'<spec> POST /feedback'` in an .mdx page names its spec (YAML allows it)."""
    text = f"---\ntitle:\t'Retour'\nopenapi:\t{value}\n---\n\nRetour.\n"
    page = _docs_page(tmp_path, seed_pages, text.encode())
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_front_matter_with_old_mac_line_endings_is_read(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A page saved with lone CRs: its front matter is found like the fenced blocks are."""
    text = f"---\rtitle: 'Retour'\ropenapi: '/{SPEC_FILE} POST /feedback'\r---\r\rRetour.\r"
    page = _docs_page(tmp_path, seed_pages, text.encode())
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_tabs_between_tokens_in_an_embedded_spec_are_white_space(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """Tabs after colons, at line ends and on blank lines: the same spec as the seed."""
    text = _french(seed_pages)
    text = text.replace("type: string", "type:\tstring").replace("required:\n", "required:\t\n")
    text = text.replace("\ncomponents:", "\n\t\ncomponents:\t# schemas")
    page = _write(tmp_path, "fr-tabs.md", text)
    assert "\t" in page.read_text(encoding="utf-8")
    assert _spec([page]) == _spec([seed_pages["fr"].path])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: x\ty\n", {"a": "x\ty"}),  # inside a plain scalar: its text
        ("a: 'x'\t\nb:\t[c\t, d]\n", {"a": "x", "b": ["c", "d"]}),
        ("- \tx\n", ["x"]),
        ("a:\n  b: 1\n\t\n  c: 2\n", {"a": {"b": 1, "c": 2}}),
    ],
)
def test_tabs_follow_yaml_1_2(text: str, value: object) -> None:
    assert yamlload.load(text) == value


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "a:\n  \tb: 1\n", "a:\n  b: x\n \tc: 1\n"])
def test_a_tab_in_indentation_is_still_an_error(text: str) -> None:
    """YAML never allows tabs as indentation: no guess at what they meant."""
    with pytest.raises(YAMLError, match="'\\\\t'"):
        yamlload.load(text)


def test_unquoted_status_codes_in_a_yaml_file_are_the_same_responses(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """`200:` is the response "200" (OpenAPI: YAML keys are strings), not the number 200."""
    text = re.sub(r"'(\d{3})':", r"\1:", _french(seed_pages))
    assert "\n        200:\n" in text
    page = _write(tmp_path, "fr-codes.md", text)
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_a_date_in_yaml_stays_the_string_written(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """YAML timestamps are not JSON values: the text is kept, and the spec still dumps."""
    text = _french(seed_pages).replace("default: api", "default: 2025-01-31")
    spec = json.loads(_spec([_write(tmp_path, "fr-date.md", text)]))
    origin = spec["components"]["schemas"]["SearchFeedbackRequest"]["properties"]["origin"]
    assert origin["default"] == "2025-01-31"
