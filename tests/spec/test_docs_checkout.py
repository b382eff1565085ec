"""--source DOCS: a checkout of Firecrawl's docs repository gives the committed tree."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import regenerate
from specsync import agree, docsrepo, extract, sources
from specsync.errors import SpecInputError
from specsync.select import Selection

from tests.spec.docscheckout import (
    BINARY_FILES,
    FEEDBACK_OPS,
    LANGUAGES,
    V1,
    V2,
    WEBHOOKS,
    build_checkout,
    git_head,
)
from tests.spec.specpages import ROOT, Page, delete_at, set_at
from tests.spec.specsupport import CANONICAL, PACKAGE_IN_ROOT, tree_files

NOTE_LIMIT = "/components/schemas/EndpointFeedbackRequest/allOf/1/properties/note/maxLength"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory, seed_pages: dict[str, Page]) -> Path:
    """The synthetic checkout, committed in a temporary git repository."""
    return build_checkout(tmp_path_factory.mktemp("docs") / "firecrawl-docs", seed_pages)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory, docs: Path) -> tuple[Path, int, str]:
    """(output root, exit status, stdout) of `regenerate.py --source DOCS --out TMP`."""
    out = tmp_path_factory.mktemp("out")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = regenerate.main(["--source", str(docs), "--out", str(out)])
    return out, status, stdout.getvalue()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = regenerate.main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_checkout_has_the_docs_layout(docs: Path) -> None:
    """Six languages with three specs each, front-matter pages, binaries, hundreds of pages."""
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"{language}/"
        for spec in (V2, V1, WEBHOOKS):
            assert (docs / prefix / spec).is_file()
        page = (docs / prefix / "api-reference/endpoint/feedback.mdx").read_text(encoding="utf-8")
        assert f"openapi: '/{prefix}{V2} POST /feedback'" in page
    v2 = json.loads((docs / "fr" / V2).read_text(encoding="utf-8"))
    assert len(v2["paths"]) >= 35
    assert len(list(docs.rglob("*.mdx"))) > 200
    assert (docs / "docs.json").is_file()
    assert (docs / ".git").is_dir()


def test_a_docs_checkout_regenerates_the_committed_tree(regenerated: tuple[Path, int, str]) -> None:
    """Canonical spec and generated/ are byte for byte the committed ones."""
    out, status, stdout = regenerated
    assert status == 0, stdout
    assert (out / "openapi/feedback-api.json").read_bytes() == CANONICAL.read_bytes()
    assert tree_files(out / PACKAGE_IN_ROOT) == tree_files(ROOT / PACKAGE_IN_ROOT)
    assert regenerate.compare(out, ROOT) == []


def test_check_with_the_docs_checkout_passes(
    docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check --source DOCS against this checkout: exit 0, up to date."""
    status, out, err = _run(["--check", "--source", str(docs)], capsys)
    assert status == 0, out + err
    assert "up to date" in out


def test_the_lock_records_paths_languages_operations_and_the_commit(
    docs: Path, regenerated: tuple[Path, int, str]
) -> None:
    """Paths from the docs root, the language from the folder, the docs repository's HEAD."""
    lock = json.loads((regenerated[0] / "openapi/spec.lock.json").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in lock["sources"]}
    head = git_head(docs)
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"{language}/"
        v2 = entries[prefix + V2]
        assert (v2["language"], v2["operations"], v2["docs_commit"]) == (
            language,
            FEEDBACK_OPS,
            head,
        )
        assert entries[prefix + V1]["operations"] == []
        assert entries[prefix + WEBHOOKS]["operations"] == []
    # Each spec once, however many pages name it; nothing else is a source.
    assert len(lock["sources"]) == len(entries) == 3 * len(LANGUAGES)


def test_each_spec_file_is_read_once(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight pages per language name the specs; each file is parsed once."""
    calls: list[Path] = []
    real = extract.find_fragments

    def counting(path: Path, raw: bytes, text: str) -> Any:
        calls.append(path)
        return real(path, raw, text)

    monkeypatch.setattr(sources, "find_fragments", counting)
    loaded = sources.load([docs])
    specs = [p for p in calls if p.suffix == ".json" and p.name != "docs.json"]
    assert len(specs) == len(set(specs)) == 3 * len(LANGUAGES)
    assert len(loaded.references) == 8 * len(LANGUAGES)


def test_other_apis_schema_names_clash_but_take_no_part(docs: Path) -> None:
    """v1 and webhook specs name schemas like v2's: merged as a whole they disagree."""
    loaded = sources.load([docs])
    with pytest.raises(SpecInputError, match="/components/schemas/FeedbackResponse"):
        agree.merge_fragments(loaded.fragments)
    assert regenerate.build([docs], Selection())[0] == json.loads(
        CANONICAL.read_text(encoding="utf-8")
    )


def test_skipped_files_are_counted_and_listed_only_with_verbose(
    docs: Path, regenerated: tuple[Path, int, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """One line without --verbose; with it, every skipped file and why (hidden ones never)."""
    skipped = [line for line in regenerated[2].splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1
    assert skipped[0].endswith(f"({len(BINARY_FILES)} binary); --verbose lists them")
    status, out, _ = _run(["--check", "--source", str(docs), "--verbose"], capsys)
    assert status == 0
    for name in BINARY_FILES:
        assert f"skipped {docs / name}: binary" in out
    assert f"skipped {docs / 'docs.json'}: no spec" in out
    assert f"skipped {docs / 'empty.md'}: no spec" in out
    assert f"skipped {docs / 'fr/features/page-07.mdx'}: no spec" in out
    assert f"page {docs / 'pt-BR/api-reference/endpoint/feedback.mdx'}: " in out
    assert ".github" not in out


def test_one_language_with_a_changed_constraint_exits_2(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """Japanese says note may be 5000 long: exit 2 naming the pointer and both files."""

    def japanese_differs(language: str, v2: dict[str, Any]) -> dict[str, Any]:
        return set_at(v2, NOTE_LIMIT, 5000) if language == "ja" else v2

    docs = build_checkout(tmp_path / "docs", seed_pages, change=japanese_differs, git=False)
    status, _, err = _run(["--check", "--source", str(docs)], capsys)
    assert status == 2
    assert f"{NOTE_LIMIT}: 4000 in {docs / V2} but 5000 in {docs / 'ja' / V2}" in err


def test_a_checkout_without_feedback_operations_exits_2(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """No selected operation in any spec: exit 2, saying what was looked for and in how much."""

    def no_feedback(_: str, v2: dict[str, Any]) -> dict[str, Any]:
        v2 = delete_at(v2, "/paths/~1search~1{jobId}~1feedback")
        return delete_at(v2, "/paths/~1feedback/post")

    docs = build_checkout(
        tmp_path / "docs", seed_pages, change=no_feedback, feedback_pages=False, git=False
    )
    status, _, err = _run(["--check", "--source", str(docs)], capsys)
    assert status == 2
    assert (
        "error: no operation matches the selection (with tag Feedback or operationId "
        "submitEndpointFeedback, submitSearchFeedback) in the 18 OpenAPI documents found" in err
    )


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("/fr/api-reference/v3-openapi.json POST /feedback", "which is not a file under"),
        ("/fr/api-reference/v2-openapi.json POST /feedbacks", "has no operation POST /feedbacks"),
        ("/fr/api-reference/v2-openapi.json PUT /feedback", "has no operation PUT /feedback"),
        ("/docs.json POST /feedback", "which holds no OpenAPI document"),
        ("/../outside.json POST /feedback", "which is not a file under"),
        ("feedback please", "is not '<spec file> <METHOD> <path>'"),
    ],
)
def test_a_page_naming_a_missing_file_or_operation_exits_2(
    tmp_path: Path,
    docs: Path,
    capsys: pytest.CaptureFixture[str],
    reference: str,
    expected: str,
) -> None:
    """The page is named, and what is wrong with its reference."""
    copy = tmp_path / "docs"
    shutil.copytree(docs, copy, ignore=shutil.ignore_patterns(".git"))
    (tmp_path / "outside.json").write_text('{"openapi": "3.0.0", "paths": {}}', encoding="utf-8")
    page = copy / "fr/api-reference/endpoint/broken.mdx"
    page.write_text(f"---\nopenapi: '{reference}'\n---\n", encoding="utf-8")
    status, _, err = _run(["--check", "--source", str(copy)], capsys)
    assert status == 2
    assert f"error: {page}: " in err
    assert expected in err


def test_a_pages_folder_resolves_against_the_docs_root(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """French endpoint pages alone: their specs are found from docs.json, or --docs-root."""
    pages = docs / "fr/api-reference/endpoint"
    status, out, err = _run(["--check", "--source", str(pages)], capsys)
    assert status == 0, out + err
    assert "fr/api-reference/v2-openapi.json [fr] POST /feedback" in out
    copy = tmp_path / "docs"
    shutil.copytree(docs, copy, ignore=shutil.ignore_patterns(".git", "docs.json"))
    pages = copy / "fr/api-reference/endpoint"
    status, _, err = _run(["--check", "--source", str(pages)], capsys)
    assert status == 2
    assert "no docs root (a folder holding docs.json)" in err
    assert "pass --docs-root" in err
    status, out, err = _run(["--check", "--source", str(pages), "--docs-root", str(copy)], capsys)
    assert status == 0, out + err


def test_a_page_given_by_name_is_followed_to_its_spec(
    docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--source one .mdx page: its front matter's spec is the source."""
    page = docs / "zh/api-reference/endpoint/search-feedback.mdx"
    status, out, err = _run(["--check", "--source", str(page)], capsys)
    assert status == 0, out + err
    assert "zh/api-reference/v2-openapi.json [zh]" in out


def test_binary_detection_never_crashes(tmp_path: Path) -> None:
    """NUL bytes, Latin-1, a late NUL, an empty file and a BOM: skipped or read, no error."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "nul.bin").write_bytes(b"openapi\x00" * 10)
    (folder / "latin1.md").write_bytes("openapi: é".encode("latin-1"))
    (folder / "late-nul.txt").write_bytes(b"openapi " * 2000 + b"\x00")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bom.md").write_bytes(b"\xef\xbb\xbf# openapi\n")
    with pytest.raises(SpecInputError, match=r"no OpenAPI document found in .*5 files skipped"):
        sources.load([folder])


def test_the_docs_commit_is_absent_outside_git_or_without_git(
    tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HEAD inside a work tree; None in a plain folder, and None when git is not installed."""
    assert docsrepo.commit(docs) == git_head(docs)
    assert docsrepo.commit(tmp_path) is None
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert docsrepo.commit(docs) is None


@pytest.mark.parametrize(
    ("relative", "language"),
    [
        ("api-reference/v2-openapi.json", "en"),
        ("fr/api-reference/v2-openapi.json", "fr"),
        ("pt-BR/api-reference/endpoint/feedback.mdx", "pt-BR"),
        ("pt-br/x.md", "pt-BR"),
        ("ai/overview.mdx", "en"),
        ("fr", "en"),
    ],
)
def test_the_language_is_the_first_folder(relative: str, language: str) -> None:
    """A known language folder, else English (the docs root)."""
    assert docsrepo.language(Path("/docs") / relative, Path("/docs")) == language


def test_references_that_cannot_be_followed_are_skipped_in_folders(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No spec file, or a remote one: skipped with the reason in a folder, an error by name."""
    copy = tmp_path / "docs"
    shutil.copytree(docs, copy, ignore=shutil.ignore_patterns(".git"))
    bare = copy / "fr/api-reference/endpoint/bare.mdx"
    bare.write_text("---\nopenapi: POST /feedback\n---\n", encoding="utf-8")
    remote = copy / "fr/api-reference/endpoint/remote.mdx"
    remote.write_text("---\nopenapi: https://x.invalid/v2.json POST /feedback\n---\n")
    status, out, _ = _run(["--check", "--source", str(copy), "--verbose"], capsys)
    assert status == 0
    assert f"skipped {bare}: front matter names POST /feedback but no spec file" in out
    assert f"skipped {remote}: front matter names a remote spec (https://x.invalid/v2.json)" in out
    status, _, err = _run(["--check", "--source", str(bare)], capsys)
    assert status == 2
    assert f"{bare}: no OpenAPI document found" in err
    assert "(front matter names POST /feedback but no spec file)" in err


def test_a_docs_root_that_does_not_exist_exits_2(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--docs-root must be a folder."""
    missing = tmp_path / "nowhere"
    status, _, err = _run(["--source", str(docs), "--docs-root", str(missing)], capsys)
    assert status == 2
    assert f"--docs-root {missing}: no such folder" in err


def test_an_unreadable_file_in_a_folder_is_skipped(
    tmp_path: Path, seed_pages: dict[str, Page], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the scan cannot open is listed as unreadable, not a traceback."""
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(seed_pages["fr"].path, folder / "fr.md")
    (folder / "locked.md").write_text("openapi", encoding="utf-8")
    real = sources._read_text_bytes

    def refuse(path: Path) -> bytes | None:
        if path.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(sources, "_read_text_bytes", refuse)
    loaded = sources.load([folder])
    assert [(s.path.name, s.reason) for s in loaded.skipped] == [
        ("locked.md", "unreadable (Permission denied)")
    ]
    assert [f.path.name for f in loaded.fragments] == ["fr.md"]
