"""--report (Markdown, for a pull request) and --report-json: breaking changes first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import regenerate
from specsync import changelog
from specsync.report import diff

from tests.spec.docscheckout import build_checkout, git_head
from tests.spec.specpages import Page, set_at
from tests.spec.specsupport import CANONICAL, Built, tree_files

ENDPOINT = "/components/schemas/EndpointFeedbackRequest"
SEARCH = "/components/schemas/SearchFeedbackRequest"


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(CANONICAL.read_text(encoding="utf-8"))
    return spec


def test_a_field_added_and_a_limit_lowered_in_markdown(
    committed: dict[str, Any], seed_build: Built
) -> None:
    """The breaking change comes first although diff() found it second; pointers are code."""
    new = set_at(committed, f"{ENDPOINT}/properties/locale", {"type": "string"})
    new = set_at(new, f"{SEARCH}/properties/querySuggestions/maxLength", 1000)
    changes = changelog.ordered(diff(committed, new))
    text = changelog.markdown(changes, changelog.status(committed, new, changes), seed_build[1])
    assert text == (
        "## Feedback API spec sync\n"
        "\n"
        "Compared with the committed `openapi/feedback-api.json`: "
        "**1 breaking change**, 1 other change.\n"
        "\n"
        "### Breaking changes\n"
        "\n"
        f"- constraint `{SEARCH}/properties/querySuggestions/maxLength`: 2000 -> 1000\n"
        "\n"
        "### Other changes\n"
        "\n"
        f"- field added: `{ENDPOINT}/properties/locale`\n"
        "\n"
        "### Sources\n"
        "\n"
        "4 OpenAPI documents, 4 holding the selected operations (fr, ja, zh).\n"
    )


def test_values_are_escaped_outside_the_code_spans(committed: dict[str, Any]) -> None:
    """A pattern's brackets, stars and underscores stay literal text in Markdown."""
    new = set_at(committed, f"{ENDPOINT}/properties/origin/pattern", "^[a-z_]*$")
    (change,) = diff(committed, new)
    lines = changelog.markdown([change], "changed", {"sources": []}).splitlines()
    assert (
        f"- constraint `{ENDPOINT}/properties/origin/pattern`: None -> '^\\[a-z\\_\\]\\*$'" in lines
    )


def test_no_change_says_so(
    tmp_path: Path, seed_build: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sources that give the committed spec: both reports say there is nothing to review."""
    md, js = tmp_path / "pr.md", tmp_path / "pr.json"
    assert regenerate.main(["--check", "--report", str(md), "--report-json", str(js)]) == 0
    capsys.readouterr()
    assert "No change: the sources give the committed `openapi/feedback-api.json`." in (
        md.read_text(encoding="utf-8")
    )
    data = json.loads(js.read_text(encoding="utf-8"))
    assert (data["status"], data["breaking"], data["changes"]) == ("unchanged", 0, [])
    assert data["sources"] == seed_build[1]["sources"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_reports_from_a_changed_docs_checkout(
    tmp_path: Path,
    seed_pages: dict[str, Page],
    project_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every language adds a field and lowers a limit: drift (1), and both reports written."""

    def upstream_change(_: str, v2: dict[str, Any]) -> dict[str, Any]:
        v2 = set_at(v2, f"{ENDPOINT}/allOf/1/properties/locale", {"type": "string"})
        return set_at(v2, f"{SEARCH}/properties/querySuggestions/maxLength", 1000)

    docs = build_checkout(tmp_path / "docs", seed_pages, change=upstream_change)
    md, js = tmp_path / "pr.md", tmp_path / "pr.json"
    before = tree_files(project_copy)
    argv = ["--check", "--source", str(docs), "--out", str(project_copy)]
    status = regenerate.main([*argv, "--report", str(md), "--report-json", str(js)])
    capsys.readouterr()
    assert status == 1
    assert tree_files(project_copy) == before
    limit = "/properties/querySuggestions/maxLength"
    assert md.read_text(encoding="utf-8") == (
        "## Feedback API spec sync\n"
        "\n"
        "Compared with the committed `openapi/feedback-api.json`: "
        "**2 breaking changes**, 1 other change.\n"
        "\n"
        "### Breaking changes\n"
        "\n"
        f"- constraint `{ENDPOINT}{limit}`: 2000 -> 1000\n"
        f"- constraint `{SEARCH}{limit}`: 2000 -> 1000\n"
        "\n"
        "### Other changes\n"
        "\n"
        f"- field added: `{ENDPOINT}/properties/locale`\n"
        "\n"
        "### Sources\n"
        "\n"
        "18 OpenAPI documents, 6 holding the selected operations "
        f"(en, es, fr, ja, pt-BR, zh); docs commit `{git_head(docs)}`.\n"
    )
    data = json.loads(js.read_text(encoding="utf-8"))
    assert (data["status"], data["breaking"]) == ("changed", 2)
    assert [(c["breaking"], c["subject"]) for c in data["changes"]] == [
        (True, f"{ENDPOINT}{limit}"),
        (True, f"{SEARCH}{limit}"),
        (False, f"{ENDPOINT}/properties/locale"),
    ]
    assert len(data["sources"]) == 18
