"""The canonical spec and the client do not depend on the sources' language, order or layout."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import regenerate
from specsync.select import Selection

from tests.spec.specpages import Page, full_document, reorder, translate, write_page
from tests.spec.specsupport import (
    CANONICAL,
    PACKAGE_IN_ROOT,
    SEED_PATHS,
    build,
    spec_text,
    tree_files,
)

FEEDBACK_OP = ("submitEndpointFeedback",)
SEARCH_OP = ("submitSearchFeedback",)


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory, seed_pages: dict[str, Page]) -> Path:
    """Pages of both operations in German, Spanish, Italian and English, in other layouts.

    German: all prose translated, keys and required lists reversed, block YAML.
    English: flow-style YAML. Italian: JSON in a ```json fence. Spanish: one
    full OpenAPI JSON document with unrelated operations and components.
    """
    folder = tmp_path_factory.mktemp("variants")
    feedback, search = seed_pages["ja"].document, seed_pages["search"].document
    for language, style in (("de", "block"), ("en", "flow"), ("it", "json")):
        for name, doc in (("feedback", feedback), ("search", search)):
            variant = translate(reorder(doc) if language == "de" else doc, language)
            write_page(folder / language, f"{name}.md", variant, language, style)
    spanish = full_document([seed_pages["fr"].document, search], "es")
    (folder / "es").mkdir()
    (folder / "es" / "openapi.json").write_text(json.dumps(spanish, indent=2), encoding="utf-8")
    return folder


def _spec(sources: list[Path], operation_ids: tuple[str, ...] = Selection().operation_ids) -> str:
    return spec_text(build(sources, operation_ids=operation_ids)[0])


def test_variant_pages_really_differ_from_the_seeds(variants: Path) -> None:
    """The variants hold no seed prose and (German) reversed keys: they test something."""
    german = (variants / "de" / "feedback.md").read_text(encoding="utf-8")
    assert "Rückmeldung" in german
    assert "送信" not in german
    assert german.index("type: object") < german.index("properties:")
    assert "```json" in (variants / "it" / "search.md").read_text(encoding="utf-8")
    assert "{" in (variants / "en" / "feedback.md").read_text(encoding="utf-8").split("~~~~yaml")[1]


@pytest.mark.parametrize("language", ["fr", "zh", "ja"])
def test_one_seed_page_alone_gives_the_spec_of_its_operation(
    language: str, seed_pages: dict[str, Page], variants: Path
) -> None:
    """Each language's /feedback page alone gives byte-identical output, same as German."""
    alone = _spec([seed_pages[language].path], FEEDBACK_OP)
    assert alone == _spec([variants / "de" / "feedback.md"], FEEDBACK_OP)
    assert alone == _spec([variants / "it" / "feedback.md"], FEEDBACK_OP)


def test_one_page_alone_gives_the_same_operation_as_all_pages(
    seed_pages: dict[str, Page],
) -> None:
    """A single-page spec is the full spec cut down to that page's operation."""
    full = json.loads(CANONICAL.read_text(encoding="utf-8"))
    for page, op, route in (
        (seed_pages["fr"], FEEDBACK_OP, "/feedback"),
        (seed_pages["search"], SEARCH_OP, "/search/{jobId}/feedback"),
    ):
        alone: dict[str, Any] = json.loads(_spec([page.path], op))
        assert list(alone["paths"]) == [route]
        assert alone["paths"][route] == full["paths"][route]
        for name, schema in alone["components"]["schemas"].items():
            assert schema == full["components"]["schemas"][name], name


def test_search_page_alone_is_the_same_in_every_language(
    seed_pages: dict[str, Page], variants: Path
) -> None:
    """The Chinese search page alone equals its German and flow-YAML English versions."""
    alone = _spec([seed_pages["search"].path], SEARCH_OP)
    assert alone == _spec([variants / "de" / "search.md"], SEARCH_OP)
    assert alone == _spec([variants / "en" / "search.md"], SEARCH_OP)


@pytest.mark.parametrize(
    "order", [p for i, p in enumerate(itertools.permutations(range(4))) if i % 5 == 0]
)
def test_all_seed_pages_in_any_order_give_the_committed_spec(order: tuple[int, ...]) -> None:
    """Any order of the four seed pages gives the committed canonical spec, byte for byte."""
    sources = [SEED_PATHS[i] for i in order]
    assert _spec(sources) == CANONICAL.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["de", "en", "it"])
def test_translated_pages_give_the_committed_spec(language: str, variants: Path) -> None:
    """Both pages in another language and layout give the committed spec."""
    pages = sorted((variants / language).iterdir())
    assert _spec(pages) == CANONICAL.read_text(encoding="utf-8")
    assert _spec(pages[::-1]) == CANONICAL.read_text(encoding="utf-8")


def test_mixed_languages_and_a_full_document_give_the_committed_spec(variants: Path) -> None:
    """Seeds, translated pages and a full Spanish document together, in both orders."""
    spanish = variants / "es" / "openapi.json"
    mixed = [*SEED_PATHS, variants / "de", variants / "it" / "feedback.md", spanish]
    committed = CANONICAL.read_text(encoding="utf-8")
    assert _spec(mixed) == committed
    assert _spec(mixed[::-1]) == committed
    assert _spec([spanish]) == committed


def test_prose_without_english_text_is_dropped_with_a_warning(variants: Path) -> None:
    """The Spanish server description has no English entry: dropped, and said so."""
    spec, _, warnings = build([variants / "es" / "openapi.json"])
    assert "description" not in spec["servers"][0]
    assert warnings == [
        "no English text for /servers/0/description; dropped (add it to openapi/descriptions.yaml)"
    ]


def test_full_document_keeps_its_unrelated_operations_out(variants: Path) -> None:
    """The Spanish document's other methods, paths and components stay out of the spec."""
    spec, lock, _ = build([variants / "es" / "openapi.json"])
    assert sorted(spec["paths"]) == ["/feedback", "/search/{jobId}/feedback"]
    assert list(spec["paths"]["/feedback"]) == ["post"]
    assert "CrawlStatusResponse" not in spec["components"]["schemas"]
    assert set(spec["components"]) == {"schemas", "securitySchemes"}
    assert lock["sources"][0]["language"] == "es"
    assert lock["sources"][0]["operations"] == [
        "POST /feedback",
        "POST /search/{jobId}/feedback",
    ]


def test_generated_code_is_the_same_from_each_language_alone(
    tmp_path: Path, seed_pages: dict[str, Page], capsys: pytest.CaptureFixture[str]
) -> None:
    """The French page alone and the Japanese page alone generate identical clients."""
    trees = []
    for language in ("fr", "ja"):
        out = tmp_path / language
        argv = ["--source", str(seed_pages[language].path), "--out", str(out)]
        assert regenerate.main([*argv, "--operation-id", "submitEndpointFeedback"]) == 0
        trees.append(tree_files(out / PACKAGE_IN_ROOT))
        assert (out / "openapi" / "feedback-api.json").read_bytes() == (
            tmp_path / "fr" / "openapi" / "feedback-api.json"
        ).read_bytes()
    assert trees[0] == trees[1]
    assert "api/feedback/submit_endpoint_feedback.py" in trees[0]
    assert "api/feedback/submit_search_feedback.py" not in trees[0]
    assert "regeneration took" in capsys.readouterr().out


def test_check_passes_with_sources_in_another_language(
    variants: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check against the committed files passes with the German pages alone.

    (The other variants give the same canonical spec, above; the client is a
    function of that spec, see test_output's determinism test.)
    """
    status = regenerate.main(["--check", "--source", str(variants / "de")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.count("[de]") == 2
    assert "up to date" in out


def test_pages_with_windows_line_endings_give_the_same_spec(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A page saved with CRLF (and text after its yaml block) is read like the original."""
    crlf = tmp_path / "fr-crlf.md"
    raw = seed_pages["fr"].path.read_bytes() + b"\n\nVoir aussi.\n"
    crlf.write_bytes(raw.replace(b"\n", b"\r\n"))
    assert _spec([crlf], FEEDBACK_OP) == _spec([seed_pages["fr"].path], FEEDBACK_OP)


def test_pages_with_old_mac_line_endings_give_the_same_spec(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """A lone CR ends a line too (YAML reads it as a line break), so such a page has a spec."""
    cr = tmp_path / "fr-cr.md"
    cr.write_bytes(seed_pages["fr"].path.read_bytes().replace(b"\n", b"\r"))
    assert _spec([cr], FEEDBACK_OP) == _spec([seed_pages["fr"].path], FEEDBACK_OP)


@pytest.mark.parametrize(
    "labels", [("3.1.0", "3.0.0"), ("3.0.3", "3.1.1"), ("3.1.0", "3.1.0"), ("3.1", "'3.0'")]
)
def test_the_openapi_label_of_the_sources_does_not_reach_the_spec(
    tmp_path: Path, labels: tuple[str, str]
) -> None:
    """The docs' format label drifts between languages (3.0.0 here, 3.1.0 there) over the
    same schemas: any mix, in either order, gives the committed spec (labelled 3.0.0)."""
    relabelled = []
    for index, seed in enumerate(SEED_PATHS):
        text = seed.read_text(encoding="utf-8")
        assert "\nopenapi: 3.0.0\n" in text
        label = labels[index % 2]
        relabelled.append(tmp_path / seed.name)
        relabelled[-1].write_text(text.replace("\nopenapi: 3.0.0\n", f"\nopenapi: {label}\n"))
    committed = CANONICAL.read_text(encoding="utf-8")
    assert json.loads(committed)["openapi"] == "3.0.0"
    assert _spec(relabelled) == committed
    assert _spec(relabelled[::-1]) == committed


@pytest.mark.parametrize("tags", [["Retour"], ["Recherche", "Retour"], []])
def test_translated_tags_give_the_committed_spec(
    tmp_path: Path, seed_pages: dict[str, Page], tags: list[str]
) -> None:
    """A language that translates the Feedback tag (or drops it): its pages are still read
    (by operationId), agree with the others and give the same spec and module layout."""
    translated = []
    for name in ("fr", "search"):
        document = copy.deepcopy(seed_pages[name].document)
        for item in document["paths"].values():
            for operation in item.values():
                operation["tags"] = tags
        translated.append(write_page(tmp_path, f"{name}.md", document, "de"))
    committed = CANONICAL.read_text(encoding="utf-8")
    assert _spec(translated) == committed
    assert _spec([*SEED_PATHS, *translated]) == committed
    assert _spec([*translated[::-1], *SEED_PATHS]) == committed
    _, lock, _ = build(translated)
    assert [s["operations"] for s in lock["sources"]] == [
        ["POST /feedback"],
        ["POST /search/{jobId}/feedback"],
    ]
