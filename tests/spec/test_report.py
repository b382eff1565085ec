"""The change report: structural differences from the committed spec, BREAKING where it is."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import regenerate
from specsync.report import Change, diff

from tests.spec.specpages import Page, delete_at, get_at, set_at, write_all_pages
from tests.spec.specsupport import CANONICAL, PACKAGE_IN_ROOT, tree_files

ENDPOINT = "/components/schemas/EndpointFeedbackRequest"
SEARCH = "/components/schemas/SearchFeedbackRequest"
FEEDBACK_POST = "/paths/~1feedback/post"


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(CANONICAL.read_text(encoding="utf-8"))
    return spec


def _lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [str(change) for change in diff(old, new)]


def test_an_identical_spec_reports_nothing(committed: dict[str, Any]) -> None:
    """No change, no lines; prose edits are not structure either."""
    assert diff(committed, copy.deepcopy(committed)) == []
    reworded = set_at(committed, f"{ENDPOINT}/properties/note/description", "Another text.")
    assert diff(committed, reworded) == []


def test_a_new_optional_field_is_one_non_breaking_line(committed: dict[str, Any]) -> None:
    """Its own type and maxLength are not reported again as new constraints."""
    new = set_at(committed, f"{SEARCH}/properties/locale", {"type": "string", "maxLength": 10})
    assert diff(committed, new) == [
        Change(f"field added: {SEARCH}/properties/locale", breaking=False)
    ]


def test_a_new_required_field_is_breaking(committed: dict[str, Any]) -> None:
    """Old clients do not send it. One line: its required entry is part of the field added."""
    new = set_at(committed, f"{SEARCH}/properties/locale", {"type": "string"})
    new = set_at(new, f"{SEARCH}/required", ["locale", "rating"])
    assert _lines(committed, new) == [
        f"BREAKING field added: {SEARCH}/properties/locale (required)",
    ]


def test_a_removed_required_field_is_one_line(committed: dict[str, Any]) -> None:
    """Its required entry goes with it: no 'no longer required' line besides the removal."""
    new = delete_at(committed, f"{SEARCH}/properties/rating")
    new = set_at(new, f"{SEARCH}/required", [])
    assert _lines(committed, new) == [f"BREAKING field removed: {SEARCH}/properties/rating"]


def test_an_existing_field_made_required_is_one_breaking_line(committed: dict[str, Any]) -> None:
    """Still reported when the field itself was there before (and the reverse, not breaking)."""
    new = set_at(committed, f"{SEARCH}/required", ["querySuggestions", "rating"])
    assert _lines(committed, new) == [
        f"BREAKING now required at {SEARCH}/required: ['querySuggestions']"
    ]
    assert _lines(new, committed) == [
        f"         no longer required at {SEARCH}/required: ['querySuggestions']"
    ]


def test_a_removed_field_is_breaking(committed: dict[str, Any]) -> None:
    """Clients that send it would be refused."""
    new = delete_at(committed, f"{ENDPOINT}/properties/pageNumbers")
    assert _lines(committed, new) == [f"BREAKING field removed: {ENDPOINT}/properties/pageNumbers"]


@pytest.mark.parametrize(
    ("limit", "value", "breaking"),
    [
        ("/properties/note/maxLength", 3000, True),
        ("/properties/note/maxLength", 8000, False),
        ("/properties/missingContent/maxItems", 20, True),
        ("/properties/pageNumbers/items/minimum", 2, True),
        ("/properties/pageNumbers/items/minimum", 0, False),
    ],
)
def test_a_changed_limit_is_breaking_only_when_it_tightens(
    committed: dict[str, Any], limit: str, value: int, breaking: bool
) -> None:
    """Lower maxima and higher minima refuse what used to pass."""
    before = get_at(committed, ENDPOINT + limit)
    new = set_at(committed, ENDPOINT + limit, value)
    assert diff(committed, new) == [
        Change(f"constraint {ENDPOINT}{limit}: {before} -> {value}", breaking)
    ]


def test_enum_values_removed_are_breaking_added_are_not(committed: dict[str, Any]) -> None:
    """FeedbackEndpoint without map and with crawl: two lines."""
    enum = "/components/schemas/FeedbackEndpoint/enum"
    new = set_at(committed, enum, ["search", "scrape", "parse", "crawl"])
    assert _lines(committed, new) == [
        f"BREAKING enum values removed at {enum}: ['map']",
        f"         enum values added at {enum}: ['crawl']",
    ]


@pytest.mark.parametrize(
    ("field", "key", "value", "breaking"),
    [
        ("origin", "pattern", "^[a-z]+$", True),
        ("issues/items", "pattern", None, False),
        ("jobId", "format", None, False),
        ("url", "format", "uri", True),
        ("note", "type", "integer", True),
    ],
)
def test_pattern_format_and_type_changes(
    committed: dict[str, Any], field: str, key: str, value: str | None, breaking: bool
) -> None:
    """Adding or changing one refuses values; removing one refuses nothing new."""
    ptr = f"{ENDPOINT}/properties/{field}/{key}"
    before = committed
    for token in ptr[1:].split("/")[:-1]:
        before = before[token]
    old_value = before.get(key)
    new = delete_at(committed, ptr) if value is None else set_at(committed, ptr, value)
    assert diff(committed, new) == [
        Change(f"constraint {ptr}: {old_value!r} -> {value!r}", breaking)
    ]


def test_nullable_again_is_not_breaking_and_strict_objects_are(committed: dict[str, Any]) -> None:
    """Allowing null loosens; additionalProperties false tightens."""
    loose = set_at(committed, f"{SEARCH}/properties/integration/nullable", True)
    assert diff(committed, loose) == [
        Change(f"constraint {SEARCH}/properties/integration/nullable: None -> True", False)
    ]
    open_detail = "/components/schemas/FeedbackErrorDetail/additionalProperties"
    strict = set_at(committed, open_detail, False)
    assert diff(committed, strict) == [
        Change(f"constraint {open_detail}: True -> False", breaking=True)
    ]


def test_a_new_operation_is_one_non_breaking_line(committed: dict[str, Any]) -> None:
    """Its required parameters and schemas inside are not listed again."""
    new = set_at(
        committed,
        "/paths/~1feedback~1{feedbackId}",
        {
            "get": {
                "operationId": "getFeedback",
                "parameters": [
                    {
                        "in": "path",
                        "name": "feedbackId",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"id": {"type": "string", "maxLength": 36}},
                                }
                            }
                        },
                    }
                },
            }
        },
    )
    assert _lines(committed, new) == ["         operation added: GET /feedback/{feedbackId}"]


def test_a_removed_operation_and_response_are_breaking(committed: dict[str, Any]) -> None:
    """Clients calling it, or handling that status, lose it."""
    new = delete_at(committed, "/paths/~1search~1{jobId}~1feedback")
    new = delete_at(new, f"{FEEDBACK_POST}/responses/413")
    lines = _lines(committed, new)
    assert lines == [
        "BREAKING operation removed: POST /search/{jobId}/feedback",
        f"BREAKING response removed: {FEEDBACK_POST}/responses/413",
    ]


def test_a_new_response_and_a_new_schema_are_not_breaking(committed: dict[str, Any]) -> None:
    """A documented status or schema more changes nothing for existing calls."""
    new = set_at(committed, f"{FEEDBACK_POST}/responses/502", {"description": "Bad gateway"})
    new = set_at(new, "/components/schemas/Extra", {"type": "object"})
    assert _lines(committed, new) == [
        "         schema added: /components/schemas/Extra",
        f"         response added: {FEEDBACK_POST}/responses/502",
    ]


def _structural_changes(doc: dict[str, Any]) -> dict[str, Any]:
    """Upstream's next version: a new field, a lower limit, one job kind less, a new operation."""
    search_schema = "/components/schemas/SearchFeedbackRequest/properties"
    doc = set_at(doc, f"{search_schema}/locale", {"type": "string"})
    endpoint = "/components/schemas/EndpointFeedbackRequest/allOf/1/properties"
    if "EndpointFeedbackRequest" in doc["components"]["schemas"]:
        doc = set_at(doc, f"{endpoint}/note/maxLength", 3000)
        doc = set_at(doc, f"{endpoint}/endpoint/enum", ["search", "scrape", "parse"])
    else:
        doc = set_at(
            doc,
            "/paths/~1feedback~1{feedbackId}",
            {
                "get": {
                    "tags": ["Feedback"],
                    "operationId": "getFeedback",
                    "parameters": [
                        {
                            "in": "path",
                            "name": "feedbackId",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Gefunden",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/FeedbackResponse"}
                                }
                            },
                        }
                    },
                }
            },
        )
    return doc


def test_the_report_is_printed_end_to_end(
    tmp_path: Path,
    seed_pages: dict[str, Page],
    project_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--check --out a copy of the project, with changed German pages: report, drift, exit 1."""
    pages = [seed_pages[k] for k in ("fr", "zh", "ja", "search")]
    sources = write_all_pages(tmp_path / "de", pages, "de", _structural_changes)
    before = tree_files(project_copy)
    argv = ["--check", "--out", str(project_copy)]
    status = regenerate.main([*argv, *(a for p in sources for a in ("--source", str(p)))])
    captured = capsys.readouterr()
    assert status == 1
    report = captured.out.split("changes against the committed openapi/feedback-api.json:\n")[1]
    report_lines = report.split("drift:")[0].splitlines()
    assert report_lines == [
        "           operation added: GET /feedback/{feedbackId}",
        # EndpointFeedbackRequest extends the search schema, so it gains locale too.
        f"           field added: {ENDPOINT}/properties/locale",
        f"  BREAKING constraint {ENDPOINT}/properties/note/maxLength: 4000 -> 3000",
        "  BREAKING enum values removed at /components/schemas/FeedbackEndpoint/enum: ['map']",
        f"           field added: {SEARCH}/properties/locale",
    ]
    assert f"  missing: {PACKAGE_IN_ROOT}/api/feedback/get_feedback.py" in captured.out
    assert f"no English text for {FEEDBACK_POST[:-5]}~1{{feedbackId}}/get" in captured.err
    assert tree_files(project_copy) == before


def test_a_renamed_operation_id_is_breaking(committed: dict[str, Any]) -> None:
    """The generated module and the wrapper's tables are named by it; it is not prose."""
    new = set_at(committed, f"{FEEDBACK_POST}/operationId", "createFeedback")
    assert _lines(committed, new) == [
        f"BREAKING operationId renamed at {FEEDBACK_POST}/operationId: "
        "'submitEndpointFeedback' -> 'createFeedback'"
    ]
