"""Sources that disagree, files without a spec and broken configuration exit with status 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import regenerate

from tests.spec.specpages import ROOT, Page, delete_at, get_at, set_at, write_all_pages, write_page

ENDPOINT = "/components/schemas/EndpointFeedbackRequest/allOf/1/properties"
SEARCH = "/components/schemas/SearchFeedbackRequest/properties"
RESPONSE = "/components/schemas/FeedbackResponse"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = regenerate.main(argv)
    captured = capsys.readouterr()
    return status, captured.err


def _sources(argv_paths: list[Path]) -> list[str]:
    return [arg for path in argv_paths for arg in ("--source", str(path))]


@pytest.mark.parametrize(
    ("pointer", "new_value", "shown_before", "shown_after"),
    [
        (f"{ENDPOINT}/note/maxLength", 5000, "4000", "5000"),
        (
            f"{ENDPOINT}/endpoint/enum",
            ["search", "scrape", "parse", "crawl"],
            "['search', 'scrape', 'parse', 'map']",
            "['search', 'scrape', 'parse', 'crawl']",
        ),
        (
            f"{RESPONSE}/required",
            ["success", "feedbackId"],
            "'creditsRefunded'",
            "['success', 'feedbackId']",
        ),
        (f"{RESPONSE}/properties/creditsRefunded/type", "integer", "'number'", "'integer'"),
        (f"{SEARCH}/missingContent/maxItems", 25, "20", "25"),
        (f"{ENDPOINT}/pageNumbers/items/minimum", 0, "1", "0"),
    ],
)
def test_one_page_differing_in_one_constraint_fails_naming_it(
    tmp_path: Path,
    seed_pages: dict[str, Page],
    capsys: pytest.CaptureFixture[str],
    pointer: str,
    new_value: Any,
    shown_before: str,
    shown_after: str,
) -> None:
    """Exit 2; the message names the pointer as in the sources, both values, both files."""
    japanese = seed_pages["ja"].document
    changed = write_page(tmp_path, "ja-changed.md", set_at(japanese, pointer, new_value), "de")
    sources = [seed_pages["fr"].path, seed_pages["zh"].path, changed, seed_pages["search"].path]
    status, err = _run(_sources(sources), capsys)
    assert status == 2
    (line,) = err.splitlines()  # one problem, one line
    assert line.startswith("error: sources disagree on structure at 1 place (")
    assert f": {pointer}: " in line
    assert shown_before in line
    assert shown_after in line
    assert str(seed_pages["fr"].path) in line
    assert str(changed) in line
    assert "sources disagree on structure" in err


def test_pointer_and_values_for_the_note_limit_are_exact(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's example, word for word: 4000 in the French page, 5000 in the changed one."""
    pointer = f"{ENDPOINT}/note/maxLength"
    assert get_at(seed_pages["ja"].document, pointer) == 4000
    changed = write_page(tmp_path, "ja.md", set_at(seed_pages["ja"].document, pointer, 5000), "de")
    status, err = _run(_sources([seed_pages["fr"].path, changed]), capsys)
    assert status == 2
    assert f"{pointer}: 4000 in {seed_pages['fr'].path} but 5000 in {changed}" in err


@pytest.mark.parametrize(
    "pointer",
    [f"{SEARCH}/querySuggestions", "/paths/~1feedback/post/responses/409", f"{RESPONSE}/required"],
)
def test_something_missing_in_one_page_fails_naming_it(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str], pointer: str
) -> None:
    """A property, a response or a required list absent from one page: exit 2, both files named."""
    changed = write_page(tmp_path, "ja.md", delete_at(seed_pages["ja"].document, pointer), "de")
    status, err = _run(_sources([seed_pages["fr"].path, changed]), capsys)
    assert status == 2
    assert f"{pointer}: present in {seed_pages['fr'].path}" in err
    assert f"but absent in {changed}" in err


def test_a_property_only_one_page_has_fails(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """An extra property in a later page is a disagreement too, not a silent union."""
    extra = set_at(seed_pages["zh"].document, f"{ENDPOINT}/locale", {"type": "string"})
    changed = write_page(tmp_path, "zh.md", extra, "de")
    status, err = _run(_sources([seed_pages["fr"].path, changed]), capsys)
    assert status == 2
    assert f"{ENDPOINT}/locale: present in {changed}" in err
    assert f"but absent in {seed_pages['fr'].path}" in err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.md", ""),
        ("prose.md", "# Retour\n\nPas de spec ici.\n"),
        ("not-openapi.md", "# Page\n\n```yaml\nname: value\npaths: {}\n```\n"),
        ("broken.md", "# Page\n\n```yaml\nopenapi: 3.0.0\npaths: {a: [\n```\n"),
        ("data.json", '{"paths": {}}'),
    ],
)
def test_a_file_without_a_spec_fails_naming_the_file(
    tmp_path: Path,
    seed_pages: dict[str, Page],
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
) -> None:
    """Exit 2, and the file is named, even next to good sources."""
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    status, err = _run(_sources([seed_pages["fr"].path, bad]), capsys)
    assert status == 2
    assert f"{bad}: no OpenAPI document found" in err


def test_unreadable_and_missing_sources_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A non-UTF-8 file and a path that does not exist: exit 2 naming them."""
    latin = tmp_path / "latin1.md"
    latin.write_bytes("# Retour érroné\n".encode("latin-1"))
    status, err = _run(_sources([latin]), capsys)
    assert (status, f"{latin}: not UTF-8 text" in err) == (2, True)
    missing = tmp_path / "nowhere.md"
    status, err = _run(_sources([missing]), capsys)
    assert (status, f"{missing}: no such file or folder" in err) == (2, True)


@pytest.mark.parametrize("encoding", ["cp1252", "shift_jis"])
def test_a_page_in_another_encoding_in_a_folder_is_an_error_not_skipped(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    """Saved as Windows' "ANSI" or Shift_JIS: skipped as binary, it lost its operations
    without a word (the search page alone regenerated a client without POST /feedback)."""
    language = "fr" if encoding == "cp1252" else "ja"
    text = seed_pages[language].path.read_text(encoding="utf-8")
    page = tmp_path / "docs" / "feedback.md"
    page.parent.mkdir()
    page.write_bytes(text.encode(encoding, errors="replace"))
    shutil.copy(seed_pages["search"].path, page.parent / "search.md")
    first_bad = next(n for n, line in enumerate(text.split("\n"), 1) if not line.isascii())
    status, err = _run([*_sources([page.parent]), "--out", str(tmp_path / "out")], capsys)
    assert status == 2
    assert err.startswith(f"error: {page}: not UTF-8 text (line {first_bad}: ")
    assert err.endswith("; save it as UTF-8\n") and len(err.splitlines()) == 1


def test_a_selection_that_matches_nothing_fails(
    seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """--tag with no operation: exit 2, saying which selection."""
    status, err = _run([*_sources([seed_pages["fr"].path]), "--tag", "Crawling"], capsys)
    assert status == 2
    assert "no operation matches the selection" in err


def test_an_override_that_no_longer_applies_fails(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """Upstream drops nullable from integration everywhere: the override says so, exit 2."""

    def fixed_upstream(doc: dict[str, Any]) -> dict[str, Any]:
        return delete_at(doc, f"{SEARCH}/integration/nullable")

    pages = [seed_pages[k] for k in ("fr", "zh", "ja", "search")]
    sources = write_all_pages(tmp_path, pages, "de", fixed_upstream)
    status, err = _run(_sources(sources), capsys)
    assert status == 2
    assert "openapi/overrides.yaml entry 0 (remove" in err
    assert "upstream fixed it?" in err


@pytest.fixture
def script_copy(tmp_path: Path) -> Path:
    """scripts/ and openapi/ copied elsewhere, so their configuration can be broken."""
    root = tmp_path / "checkout"
    shutil.copytree(
        ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "openapi", root / "openapi")
    return root


@pytest.mark.parametrize(
    ("config", "content", "expected"),
    [
        ("overrides.yaml", "- op: remove\n  path: [unclosed\n", "overrides.yaml: not valid YAML"),
        ("overrides.yaml", "op: remove\npath: /x\n", "overrides.yaml: expected a list"),
        ("descriptions.yaml", "/info/title: 'unclosed\n", "descriptions.yaml: not valid YAML"),
        ("descriptions.yaml", "- /info/title\n", "descriptions.yaml: expected a mapping"),
    ],
)
def test_broken_configuration_exits_2(
    script_copy: Path, config: str, content: str, expected: str
) -> None:
    """Bad YAML or the wrong shape in overrides.yaml or descriptions.yaml: exit 2, no traceback."""
    (script_copy / "openapi" / config).write_text(content, encoding="utf-8")
    # The copied script reads the copied configuration (its ROOT is the copy).
    result = subprocess.run(
        [sys.executable, str(script_copy / "scripts" / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_a_schema_the_generator_cannot_handle_exits_2(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """The generator's refusal is bad input (2), not drift (1) nor a traceback; nothing written."""
    broken = set_at(seed_pages["fr"].document, f"{RESPONSE}/properties/warning/type", "strin")
    page = write_page(tmp_path, "fr.md", broken, "de")
    out = tmp_path / "out"
    status = regenerate.main(["--source", str(page), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert "openapi-python-client cannot generate a client from the canonical spec" in err
    assert not (out / "generated").exists()
    assert not (out / "openapi").exists()


def test_a_schema_the_generator_crashes_on_is_one_line_without_its_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A body schema that is only a $ref to itself crashes the generator: one error line."""
    source = tmp_path / "loop.yaml"
    source.write_text(
        "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    post:\n"
        "      tags: [Feedback]\n      operationId: x\n      requestBody: {content: "
        "{application/json: {schema: {$ref: '#/components/schemas/A'}}}}\n"
        "      responses: {'200': {description: ok}}\n"
        "components: {schemas: {A: {$ref: '#/components/schemas/A'}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status = regenerate.main(["--source", str(source), "--out", str(out)])
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert status == 2
    assert len(errors) == 1
    assert "openapi-python-client crashed on the canonical spec (" in errors[0]
    assert "Error: " in errors[0]  # the exception's name and text
    assert not (out / "generated").exists()


@pytest.mark.parametrize("depth", [950, 100_000])
def test_sources_nested_too_deeply_exit_2_in_one_line(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    """Nesting past Python's recursion limit, in prose or anywhere: exit 2, no traceback."""
    document = set_at(seed_pages["fr"].document, "/paths/~1feedback/post/x-deep", "DEEP")
    text = json.dumps(document).replace('"DEEP"', "[" * depth + "]" * depth)
    source = tmp_path / "v2-openapi.json"
    source.write_text(text, encoding="utf-8")
    status, err = _run(["--source", str(source), "--check"], capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("label", ["2.0", "'4.0.0'", "'3'", "null"])
def test_a_source_that_is_not_openapi_3_fails_naming_it(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str], label: str
) -> None:
    """Its label is replaced in the output (3.0.0), so only OpenAPI 3 documents are read."""
    text = seed_pages["fr"].path.read_text(encoding="utf-8")
    page = tmp_path / "fr.md"
    page.write_text(text.replace("\nopenapi: 3.0.0\n", f"\nopenapi: {label}\n"), encoding="utf-8")
    status, err = _run(["--source", str(page), "--out", str(tmp_path / "out")], capsys)
    assert status == 2
    shown = {"2.0": "2.0", "'4.0.0'": "'4.0.0'", "'3'": "'3'", "null": "None"}[label]
    assert err == f"error: {page}: openapi: {shown} is not an OpenAPI 3 version\n"


@pytest.mark.parametrize("first", ["fr", "changed"])
def test_a_required_property_one_page_lacks_is_reported_once(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str], first: str
) -> None:
    """jobId missing from one page, with its required entry: one problem, the property."""
    without = delete_at(seed_pages["ja"].document, f"{ENDPOINT}/jobId")
    without = set_at(without, f"{ENDPOINT.rsplit('/', 1)[0]}/required", ["endpoint"])
    changed = write_page(tmp_path, "ja.md", without, "de")
    pages = [seed_pages["fr"].path, changed]
    status, err = _run(_sources(pages if first == "fr" else pages[::-1]), capsys)
    assert status == 2
    (line,) = err.splitlines()
    assert "at 1 place" in line
    assert f"not): {ENDPOINT}/jobId: present in " in line


def test_a_required_list_that_differs_alone_is_still_reported(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """The property is in both pages; only one requires it."""
    required = f"{ENDPOINT.rsplit('/', 1)[0]}/required"
    changed = write_page(tmp_path, "ja.md", set_at(seed_pages["ja"].document, required, []), "de")
    status, err = _run(_sources([seed_pages["fr"].path, changed]), capsys)
    assert status == 2
    assert (
        f"{required}: ['endpoint', 'jobId'] in {seed_pages['fr'].path} but [] in {changed}" in err
    )


def test_the_generators_refusal_is_one_line_naming_the_source(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """What it could not read and where, without its banner lines or a blank line."""
    broken = set_at(seed_pages["fr"].document, "/info/version", 2)
    page = write_page(tmp_path, "fr.md", broken, "de")
    status = regenerate.main(["--source", str(page), "--out", str(tmp_path / "out")])
    errors = capsys.readouterr().err.splitlines()
    assert status == 2
    assert errors[-1] == (
        "error: fr.md: openapi-python-client cannot generate a client from the canonical spec: "
        "Failed to parse OpenAPI document; 1 validation error for OpenAPI; info.version; "
        "Input should be a valid string [type=string_type, input_value=2, input_type=int]"
    )
    assert [line for line in errors if not line.startswith("warning: ")] == errors[-1:]


def test_an_unsupported_ref_names_the_source(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    pointer = "/paths/~1feedback/post/responses/200/content/application~1json/schema/$ref"
    broken = set_at(seed_pages["fr"].document, pointer, "responses.yaml#/FeedbackResponse")
    page = write_page(tmp_path, "fr.md", broken, "de")
    status, err = _run(["--source", str(page), "--out", str(tmp_path / "out")], capsys)
    assert status == 2
    assert err == (
        f"error: {page}: unsupported $ref 'responses.yaml#/FeedbackResponse' "
        "(only #/components/<kind>/<name>)\n"
    )


@pytest.mark.parametrize("option", ["--out", "--report"])
def test_an_output_that_cannot_be_written_is_one_error_line(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str], option: str
) -> None:
    """--out a file, or a report in a missing folder: exit 2, the path and why, no traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    target = blocker if option == "--out" else tmp_path / "missing" / "report.md"
    argv = ["--source", str(seed_pages["fr"].path), option, str(target)]
    if option == "--report":
        argv += ["--out", str(tmp_path / "out")]
    status, err = _run(argv, capsys)
    assert status == 2
    shown = blocker / "generated" if option == "--out" else target
    reason = "Not a directory" if option == "--out" else "No such file or directory"
    assert err.splitlines()[-1] == f"error: cannot write {shown}: {reason}"
    assert "Traceback" not in err
