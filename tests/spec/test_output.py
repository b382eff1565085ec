"""What a regeneration writes: headers, determinism, a clean folder, the lock, valid English."""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import regenerate
from openapi_spec_validator import validate

from tests.spec.specpages import (
    FEEDBACK_SEEDS,
    ROOT,
    SEARCH_SEED,
    Page,
    get_at,
    prose_strings,
    set_at,
    write_all_pages,
)
from tests.spec.specsupport import (
    CANONICAL,
    HEADER,
    LOCK,
    PACKAGE,
    PACKAGE_IN_ROOT,
    SEED_PATHS,
    Built,
    build,
    spec_text,
    tree_files,
)

# Hiragana, katakana, CJK ideographs (and extension A), Hangul, full-width forms.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
FRENCH_WORDS = re.compile(r"\b(?:pour|une|tâche|équipe|retour|requête|incluez|être)\b", re.I)


@pytest.mark.parametrize("where", ["committed", "fresh"])
def test_every_generated_file_starts_with_the_header(fresh_root: Path, where: str) -> None:
    """Each file names the command that wrote it."""
    package = PACKAGE if where == "committed" else fresh_root / PACKAGE_IN_ROOT
    files = tree_files(package)
    assert len(files) >= 15
    for name, content in files.items():
        assert content.decode("utf-8").startswith(HEADER), name


def test_regeneration_is_deterministic_and_wipes_the_target(
    tmp_path: Path, fresh_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second regeneration (through main, into a folder holding a stale file) is identical."""
    stale = tmp_path / PACKAGE_IN_ROOT / "models" / "removed_model.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("class RemovedModel: ...\n", encoding="utf-8")
    assert regenerate.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert not stale.exists()
    assert tree_files(tmp_path / PACKAGE_IN_ROOT) == tree_files(fresh_root / PACKAGE_IN_ROOT)
    for name in ("feedback-api.json", "spec.lock.json"):
        assert (tmp_path / "openapi" / name).read_bytes() == (
            fresh_root / "openapi" / name
        ).read_bytes()
    assert re.search(r"\(regeneration took \d+\.\d\d s\)", out)


def test_the_fresh_canonical_spec_and_lock_are_the_committed_ones(fresh_root: Path) -> None:
    """Regenerating from the seeds reproduces the committed spec and lock byte for byte."""
    assert (fresh_root / "openapi" / "feedback-api.json").read_bytes() == CANONICAL.read_bytes()
    assert (fresh_root / "openapi" / "spec.lock.json").read_bytes() == LOCK.read_bytes()


def test_the_lock_records_sources_generator_and_selection(seed_build: Built) -> None:
    """Each source's sha256 and language, openapi-python-client 0.29.1, the selection."""
    _, lock, _ = seed_build
    assert lock["generator"] == {"name": "openapi-python-client", "version": "0.29.1"}
    assert lock["selection"] == {
        "operationIds": ["submitEndpointFeedback", "submitSearchFeedback"],
        "tags": ["Feedback"],
    }
    assert [s["language"] for s in lock["sources"]] == ["fr", "zh", "ja", "zh"]
    for source, path in zip(lock["sources"], SEED_PATHS, strict=True):
        assert source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source["path"] == path.relative_to(ROOT).as_posix()
    assert [s["operations"] for s in lock["sources"]] == [
        ["POST /feedback"],
        ["POST /feedback"],
        ["POST /feedback"],
        ["POST /search/{jobId}/feedback"],
    ]
    assert lock["canonical_sha256"] == hashlib.sha256(CANONICAL.read_bytes()).hexdigest()
    assert json.loads(LOCK.read_text(encoding="utf-8")) == lock


def test_the_lock_records_a_narrower_selection() -> None:
    """--operation-id is recorded, so --check notices a client built from fewer operations."""
    _, lock, _ = build([FEEDBACK_SEEDS["ja"]], operation_ids=("submitEndpointFeedback",))
    assert lock["selection"] == {"operationIds": ["submitEndpointFeedback"], "tags": ["Feedback"]}
    assert [s["language"] for s in lock["sources"]] == ["ja"]


def test_a_single_page_warns_about_the_overrides_it_skips() -> None:
    """Overrides about the other operation are skipped, each named; none in a full run."""
    _, _, warnings = build([SEARCH_SEED], operation_ids=("submitSearchFeedback",))
    skipped = [w for w in warnings if w.endswith("skipped, it is about an unselected operation")]
    assert any("(merge-allof /components/schemas/EndpointFeedbackRequest)" in w for w in skipped)
    assert any("(add /paths/~1feedback/post/responses/401)" in w for w in skipped)
    assert build(SEED_PATHS)[2] == []


@pytest.mark.parametrize(
    ("sources", "operation_ids"),
    [
        (SEED_PATHS, ()),
        ([FEEDBACK_SEEDS["fr"]], ("submitEndpointFeedback",)),
        ([SEARCH_SEED], ("submitSearchFeedback",)),
    ],
)
def test_the_canonical_spec_is_valid_openapi(
    sources: list[Path], operation_ids: tuple[str, ...]
) -> None:
    """openapi-spec-validator accepts the full spec and each single-operation one."""
    spec, _, _ = build(sources, operation_ids=operation_ids)
    validate(json.loads(spec_text(spec)))


def test_the_committed_canonical_spec_is_valid_openapi() -> None:
    """openapi-spec-validator accepts openapi/feedback-api.json as committed."""
    validate(json.loads(CANONICAL.read_text(encoding="utf-8")))


def test_responses_without_english_text_get_an_english_description(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """default, 4XX and unregistered codes (localized text dropped) still validate."""
    error = {
        "description": "Erreur",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/FeedbackErrorResponse"}}
        },
    }
    responses = "/paths/~1feedback/post/responses"

    def more_responses(doc: dict[str, Any]) -> dict[str, Any]:
        for status in ("default", "4XX", "499"):
            doc = set_at(doc, f"{responses}/{status}", error)
        return doc

    pages = write_all_pages(tmp_path, [seed_pages["fr"]], "it", more_responses)
    spec, _, warnings = build(pages, operation_ids=("submitEndpointFeedback",))
    described = {
        status: get_at(spec, f"{responses}/{status}/description")
        for status in ("default", "4XX", "499", "404")
    }
    assert described == {
        "default": "Any other status",
        "4XX": "Any 4XX status",
        "499": "Status 499",
        "404": "No such job for this team.",
    }
    assert f"no English text for {responses}/4XX/description; dropped" in " ".join(warnings)
    validate(json.loads(spec_text(spec)))


def _docstrings(source: str) -> list[str]:
    """Module, class and function docstrings, and the attribute docstrings (bare strings)."""
    return [
        node.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


def _french_prose(pages: dict[str, Page]) -> list[str]:
    texts = [" ".join(t.split()) for t in prose_strings(pages["fr"].document)]
    return [t for t in texts if t not in ("Firecrawl API",)]


@pytest.mark.parametrize("where", ["committed", "fresh"])
def test_spec_and_docstrings_are_english(
    seed_pages: dict[str, Page], fresh_root: Path, where: str
) -> None:
    """No CJK or kana, and none of the French page's prose, in the spec or any docstring."""
    root = ROOT if where == "committed" else fresh_root
    texts = {"feedback-api.json": (root / "openapi" / "feedback-api.json").read_text("utf-8")}
    for name, content in tree_files(root / PACKAGE_IN_ROOT).items():
        texts[name] = content.decode("utf-8")
        if name.endswith(".py"):
            texts[f"{name} docstrings"] = "\n".join(_docstrings(texts[name]))
    # Compare with whitespace (line breaks, no-break spaces) normalized.
    texts = {name: " ".join(text.split()) for name, text in texts.items()}
    french = _french_prose(seed_pages)
    assert len(french) >= 10
    # The detectors do detect: the seeds themselves are caught.
    assert FRENCH_WORDS.search(" ".join(french))
    assert CJK.search(seed_pages["ja"].path.read_text(encoding="utf-8"))
    for name, text in texts.items():
        assert not CJK.search(text), (name, CJK.findall(text)[:5])
        assert not FRENCH_WORDS.search(text), (name, FRENCH_WORDS.findall(text)[:5])
        for sentence in french:
            assert sentence not in text, (name, sentence)
    assert any("Rate the output of a finished" in t for t in texts.values())


def test_a_field_added_inside_the_allof_asks_for_its_english_text(
    tmp_path: Path, seed_pages: dict[str, Page]
) -> None:
    """POST /feedback's body is an allOf the overrides flatten: a new field's prose is still named.

    Its pointer is the flattened one, where openapi/descriptions.yaml takes the English text;
    before, the dropped description was taken for one an override removed, and not reported.
    """
    member = "/components/schemas/EndpointFeedbackRequest/allOf/1/properties/reviewer"

    def new_field(doc: dict[str, Any]) -> dict[str, Any]:
        if "EndpointFeedbackRequest" not in doc["components"]["schemas"]:
            return doc
        return set_at(doc, member, {"type": "string", "description": "Wer prüfte"})

    pages = write_all_pages(tmp_path, [seed_pages["fr"]], "de", new_field)
    spec, _, warnings = build(pages, operation_ids=("submitEndpointFeedback",))
    field = "/components/schemas/EndpointFeedbackRequest/properties/reviewer"
    assert get_at(spec, field) == {"type": "string"}
    assert f"no English text for {field}/description; dropped" in " ".join(warnings)
    assert not [w for w in warnings if "allOf" in w]
