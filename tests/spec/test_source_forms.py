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
import regenerate
from ruamel.yaml.error import YAMLError
from specsync import yamlload

from tests.spec.specpages import Page, render_page
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


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: >-\t\n  x\n  y\n", {"a": "x y"}),
        ("a: |2\t# note\n   x\n", {"a": " x\n"}),
        ("a: >\t \t\n  x\n", {"a": "x\n"}),
    ],
)
def test_tabs_after_a_block_scalar_header_are_white_space(text: str, value: object) -> None:
    """YAML 1.2 separates the header (">-", "|2") from a comment or the line end by tabs too."""
    assert yamlload.load(text) == value


def test_a_page_with_tabs_at_its_line_ends_gives_the_same_spec(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A tab at every line's end (an editor, a terminal copy): `description: >-<TAB>` too."""
    text = "".join(line + "\t\n" for line in _french(seed_pages).split("\n"))
    assert "description: >-\t\n" in text
    page = _write(tmp_path, "fr-tabs.md", text)
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_a_tab_in_the_indentation_of_a_page_is_one_line_saying_so(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """An editor's spaces-to-tabs: refused (no guess at a tab's width), in words that say why."""
    text, line = _json_line(_french(seed_pages), "\n    email:", "\n\temail:")
    page = _write(tmp_path, "fr.md", text)
    err = _one_error(["--source", str(page)], capsys, tmp_path)
    assert err.endswith(
        f"is not valid YAML (line {line + 1}: a tab in the indentation; YAML indents with "
        "spaces only)\n"
    )


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


def _block(text: str) -> tuple[str, str, str]:
    """(page before the spec block, its body, the page after it) of a seed page."""
    head, rest = text.split("````yaml ", 1)
    info, rest = rest.split("\n", 1)
    body, tail = rest.rsplit("````", 1)
    assert info.endswith("POST /feedback")
    return head, body, tail


def _indent(body: str, prefix: str) -> str:
    return "".join(prefix + line if line.strip() else line for line in body.splitlines(True))


# How else a page may hold its spec block, as CommonMark and MDX read fences.
FENCE_FORMS = {
    "upper-case info": lambda b: f"````YAML fr/api-reference/v2-openapi.json\n{b}````\n",
    "openapi info": lambda b: f"```openapi\n{b}```\n",
    "no info string": lambda b: f"~~~\n{b}~~~\n",
    "in a component": lambda b: (
        f"<RequestExample>\n  ````yaml\n{_indent(b, '  ')}  ````\n</RequestExample>\n"
    ),
    "in a list item": lambda b: f"1. La spec :\n\n   ```yaml\n{_indent(b, '   ')}   ```\n",
    "in a blockquote": lambda b: f"> ```yaml\n{_indent(b, '> ')}> ```\n",
    "closed by a longer fence": lambda b: f"```yaml\n{b}`````\n",
    # MDX has no indented code: a fence indented by 4 or more is still a fence.
    "in tabs, indented by 4": lambda b: (
        f'<Tabs>\n  <Tab title="YAML">\n    ````yaml\n{_indent(b, "    ")}    ````\n'
        "  </Tab>\n</Tabs>\n"
    ),
    "in a code group, indented by a tab": lambda b: (
        f"<CodeGroup>\n\t````yaml spec\n{_indent(b, chr(9))}\t````\n</CodeGroup>\n"
    ),
    "after a tag on two lines": lambda b: (
        f'<Tab\n  title="a > b">\n    ```yaml\n{_indent(b, "    ")}    ```\n</Tab>\n'
    ),
    "right after a line of text in a tab": lambda b: (
        f'<Tab title="YAML">\n    La spec :\n    ```yaml\n{_indent(b, "    ")}    ```\n</Tab>\n'
    ),
    "after an expression": lambda b: f"{{/* spec */}}\n    ```yaml\n{_indent(b, '    ')}    ```\n",
    "indented by 4 after a blank line": lambda b: f"\n    ```yaml\n{_indent(b, '    ')}    ```\n",
    "in a list item, indented by 6": lambda b: (
        f"- La spec :\n\n      ```yaml\n{_indent(b, '      ')}      ```\n"
    ),
}


@pytest.mark.parametrize("form", list(FENCE_FORMS))
def test_the_spec_block_in_other_markdown_forms_is_found(
    tmp_path: Path, seed_pages: dict[str, Page], form: str
) -> None:
    head, body, tail = _block(_french(seed_pages))
    page = _write(tmp_path, "fr.mdx", head + FENCE_FORMS[form](body) + tail)
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_a_spec_block_left_open_runs_to_the_end_of_the_page(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A page cut after its spec (no closing fence): CommonMark ends the block at the end."""
    head, body, _ = _block(_french(seed_pages))
    page = _write(tmp_path, "fr.md", f"{head}````yaml\n{body}")
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def _one_error(argv: list[str], capsys: pytest.CaptureFixture[str], out: Path) -> str:
    """Exit 2 with one error line (a run that goes through writes under ``out`` only)."""
    status = regenerate.main([*argv, "--out", str(out / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


def test_a_spec_block_that_does_not_parse_is_an_error_not_a_page_without_spec(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """Next to a good spec block too: dropping it would silently lose its operations."""
    head, body, tail = _block(_french(seed_pages))
    broken = body.replace("openapi: 3.0.0\n", "openapi: 3.0.0\nopenapi: 3.0.1\n")
    search = seed_pages["search"].path.read_text(encoding="utf-8")
    page = _write(tmp_path, "two.md", f"{search}\n{head}````yaml\n{broken}````\n{tail}")
    err = _one_error(["--source", str(page)], capsys, tmp_path)
    line = search.count("\n") + 1 + head.count("\n") + 2
    assert f"error: {page}: no OpenAPI document found in the fenced block at line {line}" in err
    duplicate = 'while constructing a mapping, found duplicate key "openapi"'
    assert f"is not valid YAML (line {line + 1}: {duplicate}" in err


def test_a_spec_file_that_does_not_parse_says_where(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """A truncated JSON spec (and a folder holding it): the JSON error and its line."""
    text = json.dumps(seed_pages["fr"].document, indent=2)
    spec = _write(tmp_path / "docs", "v2-openapi.json", text[: len(text) // 2])
    for source in (spec, spec.parent):
        err = _one_error(["--source", str(source)], capsys, tmp_path)
        assert f"{spec}: no OpenAPI document found: the file has an openapi key" in err
        assert f"is not valid JSON (line {text[: len(text) // 2].count(chr(10)) + 1}:" in err


def test_front_matter_naming_a_spec_that_does_not_parse_is_an_error(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """Its reference would be lost; front matter without an openapi key is none of our business."""
    text = f"---\ntitle: Retour: point\nopenapi: '/{SPEC_FILE} POST /feedback'\n---\n"
    docs = tmp_path / "docs"
    page = _docs_page(docs, seed_pages, text.encode())
    _write(docs, "fr/other.mdx", "---\ntitle: Autre: page\n---\nopenapi\n")
    for source in (page, docs):
        err = _one_error(["--source", str(source)], capsys, tmp_path)
        assert f"{page}: front matter with an openapi key is not valid YAML (line 2: " in err


def _json_line(text: str, old: str, new: str) -> tuple[str, int]:
    """``text`` with the first ``old`` replaced, and the 1-based line of the change."""
    assert old in text
    return text.replace(old, new, 1), text[: text.index(old)].count("\n") + 1


# What Python's json (or YAML, reading a JSON look-alike) takes and JSON has not.
NOT_JSON = {
    "NaN": ('"minimum": 1,', '"minimum": NaN,', "NaN is not a JSON value"),
    "-Infinity": ('"minimum": 1,', '"minimum": -Infinity,', "-Infinity is not a JSON value"),
    "a number past float's range": (
        '"maxLength": 4000,',
        '"maxLength": 4e999,',
        "4e999 is too large for a number (JSON has no infinity)",
    ),
    "a trailing comma": (
        '"type": "integer"\n',
        '"type": "integer",\n',
        "a trailing comma before '}'; JSON allows none",
    ),
    "a line comment": ('"minimum": 1,', '"minimum": 1, // at least 1', "a comment; JSON has none"),
    "a block comment": ('"minimum": 1,', '/* min */ "minimum": 1,', "a comment; JSON has none"),
    "a number too long to read": (
        '"maxLength": 4000,',
        f'"maxLength": {"9" * 5000},',
        "a number of 5000 digits is too long to read",
    ),
}


@pytest.mark.parametrize("form", list(NOT_JSON))
@pytest.mark.parametrize("where", ["file", "json block", "unnamed block"])
def test_json_with_what_json_does_not_allow_is_refused_naming_the_source_and_line(
    tmp_path: Path,
    seed_pages: dict[str, Page],
    capsys: pytest.CaptureFixture[str],
    form: str,
    where: str,
) -> None:
    """Python's json reads NaN and Infinity, and YAML a trailing comma: JSON has none of them.

    A spec with them is not silently taken (the canonical spec would hold NaN,
    which no JSON reader takes back); the error says what and where.
    """
    old, new, reason = NOT_JSON[form]
    text, line = _json_line(json.dumps(seed_pages["fr"].document, indent=2), old, new)
    if where == "file":
        source = _write(tmp_path, "v2-openapi.json", text)
        at = "the file has"
    else:
        head, _, _ = _block(_french(seed_pages))
        info = "json" if where == "json block" else ""
        source = _write(tmp_path, "fr.md", f"{head}```{info}\n{text}\n```\n")
        line += head.count("\n") + 1
        at = f"the fenced block at line {head.count(chr(10)) + 2}: it has"
    err = _one_error(["--source", str(source)], capsys, tmp_path)
    assert err == (
        f"error: {source}: no OpenAPI document found{' in' if where != 'file' else ':'} "
        f"{at} an openapi key but is not valid JSON (line {line}: {reason})\n"
    )


def test_a_key_twice_in_a_json_object_is_refused(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's json keeps the last one; YAML refuses a repeated key, and JSON is read alike."""
    text = json.dumps(seed_pages["fr"].document, indent=2)
    text = text.replace('"openapi": "3.0.0",', '"openapi": "3.0.0", "openapi": "3.1.0",', 1)
    source = _write(tmp_path, "v2-openapi.json", text)
    err = _one_error(["--source", str(source)], capsys, tmp_path)
    assert err == (
        f"error: {source}: no OpenAPI document found: the file has an openapi key but is not "
        'valid JSON (key "openapi" twice in one object)\n'
    )


@pytest.mark.parametrize("value", [".nan", ".NaN", "-.inf", "1e999"])
def test_yaml_numbers_json_has_not_are_refused(
    tmp_path: Path,
    seed_pages: dict[str, Page],
    capsys: pytest.CaptureFixture[str],
    value: str,
) -> None:
    """YAML's .nan and .inf (and a float past range) would dump to the spec as NaN/Infinity."""
    text, line = _json_line(_french(seed_pages), "minimum: 1\n", f"minimum: {value}\n")
    page = _write(tmp_path, "fr.md", text)
    err = _one_error(["--source", str(page)], capsys, tmp_path)
    assert f"is not valid YAML (line {line}: {value} is not a JSON number" in err


def test_flow_style_yaml_is_still_read_as_yaml(tmp_path: Path, seed_pages: dict[str, Page]) -> None:
    """Only JSON by name or look ({"...) is held to JSON: {openapi: 3.0.0, ...,} is YAML 1.2."""
    page = render_page(seed_pages["fr"].document, "en", "flow")
    head, body = page.split("~~~~yaml", 1)
    assert body.split("\n", 1)[1].startswith("{openapi: ")
    body = body.replace("}\n~~~~", ",}\n~~~~", 1)
    assert ",}\n~~~~" in body
    flow = _write(tmp_path, "en.md", f"{head}~~~~yaml{body}")
    assert _spec([flow]) == _spec([seed_pages["fr"].path])


_ERROR_RESPONSE = """          content:
            application/json:
              schema:
                $ref: '#/components/schemas/FeedbackErrorResponse'
"""
_MISSING_CONTENT_ITEM = (
    "properties:\n  description:\n    maxLength: 2000\n    type: string\n  topic:\n"
    "    maxLength: 200\n    minLength: 1\n    type: string\nrequired:\n  - topic\ntype: object\n"
)


def test_yaml_anchors_aliases_and_merge_keys_give_the_same_spec(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A spec that writes shared parts once (&anchor, *alias, <<: merge) is the same spec.

    The two missingContent item schemas become one object, aliased: the override
    that sets one's maxItems, and the English text put back, must not reach the other.
    """
    text = _french(seed_pages)
    responses = re.findall(r"        '(\d{3})':\n" + re.escape(_ERROR_RESPONSE), text)
    assert responses == ["400", "403", "404", "409", "500"]
    text = text.replace(
        "        '400':\n" + _ERROR_RESPONSE, "        '400': &error\n" + _ERROR_RESPONSE
    )
    for status in responses[1:]:
        text = text.replace(
            f"        '{status}':\n" + _ERROR_RESPONSE,
            f"        '{status}':\n          <<: *error\n",
        )
    deep, shallow = (
        _indent(_MISSING_CONTENT_ITEM, " " * 16),
        _indent(_MISSING_CONTENT_ITEM, " " * 12),
    )
    assert text.count(deep) == 1 and text.count(shallow) == 1
    text = text.replace("              items:\n" + deep, "              items: &topic\n" + deep)
    text = text.replace("          items:\n" + shallow, "          items: *topic\n")
    page = _write(tmp_path, "fr-anchors.md", text)
    assert text.count("*error") == 4 and "*topic" in text
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def _coloured(text: str) -> str:
    """Text as a highlighter prints it to a terminal: each word in a colour, then reset."""
    words = re.sub(r"([^\s:]+)", "\x1b[38;5;124m\\1\x1b[39m", text)
    return f"\x1b]0;page.md\x07\x1b[1m{words}\x1b[0m"


def test_a_page_captured_from_a_terminal_with_its_colours_gives_the_same_spec(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A pager's or highlighter's output saved to a file (ESC [ ... m around every word)."""
    text = _coloured(_french(seed_pages))
    assert "\x1b[38;5;124mopenapi\x1b[39m: \x1b[38;5;124m3.0.0" in text
    folder = tmp_path / "pages"
    page = _write(folder, "fr.md", text)
    assert _spec([page]) == _spec([seed_pages["fr"].path])
    assert _spec([folder]) == _spec([seed_pages["fr"].path])


# Typography a language's pages may hold in the spec block, as (text, replacement).
TYPOGRAPHY = {
    "no-break space before a colon (French)": ("type: string", "type\u00a0: string"),
    "narrow no-break space before a colon": ("type: string", "type\u202f: string"),
    "no-break space after a colon": ("type: string", "type:\u00a0string"),
    "ideographic space after a colon": ("maxLength: 4000", "maxLength:\u30004000"),
    "zero-width space after a value": ("type: string", "type: string\u200b"),
    "right-to-left mark after a value (Arabic)": ("- good", "- good\u200f"),
    "byte order mark inside the page": ("openapi: 3.0.0", "\ufeffopenapi: 3.0.0"),
}


@pytest.mark.parametrize("form", list(TYPOGRAPHY))
def test_typography_in_the_spec_block_gives_the_same_spec(
    tmp_path: Path, seed_pages: dict[str, Page], form: str
) -> None:
    """Spaces and invisible marks a translation adds change no key or value of the spec."""
    old, new = TYPOGRAPHY[form]
    text = _french(seed_pages)
    assert old in text
    page = _write(tmp_path, "fr.md", text.replace(old, new))
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def _split(seed_pages: dict[str, Page]) -> tuple[str, str, str]:
    """(page head, the spec up to its components, its components) of the French page."""
    head, body, _ = _block(_french(seed_pages))
    paths, components = body.split("components:\n", 1)
    return head, paths, "components:\n" + components


def test_a_spec_split_over_two_blocks_of_a_page_is_joined(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """Its paths in one block, its components in the next (OpenAPI 3.1 allows a document of
    components alone): the same spec as the page with one block, in either order."""
    head, paths, components = _split(seed_pages)
    blocks = [f"````yaml\n{paths}````\n", f"````yaml\nopenapi: 3.1.0\n{components}````\n"]
    for order in (blocks, blocks[::-1]):
        page = _write(tmp_path, "fr.md", head + "\n".join(order))
        assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_a_spec_split_over_two_files_is_joined(tmp_path: Path, seed_pages: dict[str, Page]) -> None:
    head, paths, components = _split(seed_pages)
    page = _write(tmp_path, "fr.md", f"{head}````yaml\n{paths}````\n")
    shared = _write(tmp_path, "components.yaml", f"openapi: 3.0.0\n{components}")
    assert _spec([page, shared]) == _spec([seed_pages["fr"].path])
    assert _spec([shared, page]) == _spec([seed_pages["fr"].path])


def test_a_component_no_source_defines_is_an_error_naming_the_page(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """Components in a block without the openapi key are not a spec: the $ref is unresolved."""
    head, paths, components = _split(seed_pages)
    page = _write(tmp_path, "fr.md", f"{head}````yaml\n{paths}````\n\n````yaml\n{components}````\n")
    err = _one_error(["--source", str(page)], capsys, tmp_path)
    assert err == (
        f"error: {page}: $ref #/components/schemas/EndpointFeedbackRequest is defined in no "
        "source of the selected operations\n"
    )


def test_a_component_only_another_apis_spec_defines_is_not_taken_from_it(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """v1's spec may use the same names for other things: the error names where it is."""
    head, paths, _ = _split(seed_pages)
    page = _write(tmp_path, "fr.md", f"{head}````yaml\n{paths}````\n")
    v1 = dict(seed_pages["fr"].document, paths={"/v1": {"get": {"responses": {}}}})
    other = _write(tmp_path, "v1-openapi.json", json.dumps(v1))
    err = _one_error(["--source", str(page), "--source", str(other)], capsys, tmp_path)
    assert err == (
        f"error: {page}: $ref #/components/schemas/EndpointFeedbackRequest is defined in no "
        f"source of the selected operations (only in {other}, another API's spec)\n"
    )


def test_yaml_in_a_block_named_json_is_read_as_yaml(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """Only braces are held to JSON: a mislabelled YAML block is still the page's spec."""
    head, body, tail = _block(_french(seed_pages))
    page = _write(tmp_path, "fr.md", f"{head}```json\n{body}```\n{tail}")
    assert _spec([page]) == _spec([seed_pages["fr"].path])


def test_a_json_file_opening_with_a_comment_is_refused_as_json(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    text = "// Firecrawl API\n" + json.dumps(seed_pages["fr"].document, indent=2)
    source = _write(tmp_path, "v2-openapi.json", text)
    err = _one_error(["--source", str(source)], capsys, tmp_path)
    assert err.endswith("is not valid JSON (line 1: a comment; JSON has none)\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_page_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, seed_pages: dict[str, Page], encoding: str
) -> None:
    """Windows' "Unicode" (UTF-16 with its mark) and UTF-8 with one, by name and in a folder."""
    text = "\ufeff" + _french(seed_pages) if encoding == "utf-16-be" else _french(seed_pages)
    page = tmp_path / "pages" / "fr.md"
    page.parent.mkdir()
    page.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert page.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb")
    assert _spec([page]) == _spec([seed_pages["fr"].path])
    assert _spec([page.parent]) == _spec([seed_pages["fr"].path])


def test_components_the_operations_do_not_reach_need_not_resolve(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A shared components file may hold schemas for other pages, naming ones not given here."""
    head, paths, components = _split(seed_pages)
    page = _write(tmp_path, "fr.md", f"{head}````yaml\n{paths}````\n")
    other = "    Other:\n      $ref: '#/components/schemas/Elsewhere'\n"
    components = components.replace("  schemas:\n", "  schemas:\n" + other, 1)
    shared = _write(tmp_path, "components.yaml", f"openapi: 3.0.0\n{components}")
    assert _spec([page, shared]) == _spec([seed_pages["fr"].path])


def test_a_control_character_in_the_spec_block_is_an_error_on_its_line(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML allows no control character: the error names its line, not the block's first."""
    text, line = _json_line(_french(seed_pages), "type: string\n", "type: string\x07\n")
    page = _write(tmp_path, "fr.md", text)
    err = _one_error(["--source", str(page)], capsys, tmp_path)
    assert err.endswith(
        f"is not valid YAML (line {line}: character U+0007 is not allowed in YAML)\n"
    )
