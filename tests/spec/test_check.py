"""--check: the committed tree passes; any hand edit, extra or missing file is drift (exit 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import regenerate

from tests.spec.specpages import ROOT
from tests.spec.specsupport import PACKAGE_IN_ROOT, tree_files

PACKAGE_FILES = sorted(tree_files(ROOT / PACKAGE_IN_ROOT))


def test_the_committed_tree_passes_check(capsys: pytest.CaptureFixture[str]) -> None:
    """Exit 0, says so, and prints how long the check took."""
    assert regenerate.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert "up to date: openapi/feedback-api.json and generated/firecrawl_feedback_api" in out
    assert re.search(r"check took \d+\.\d\d s", out)


def test_a_fresh_regeneration_equals_the_committed_tree(fresh_root: Path) -> None:
    """compare() finds nothing between a regeneration from the seeds and the checkout."""
    assert regenerate.compare(fresh_root, ROOT) == []


def test_check_lists_changed_extra_and_missing_files(
    project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end: a hand edit, a stray file and a deleted file give exit 1 and one line each."""
    package = project_copy / PACKAGE_IN_ROOT
    edited = package / "models" / "feedback_response.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# tweak\n", encoding="utf-8")
    (package / "models" / "stale_model.py").write_text("X = 1\n", encoding="utf-8")
    (package / "types.py").unlink()
    before = tree_files(package)
    status = regenerate.main(["--check", "--out", str(project_copy)])
    out = capsys.readouterr().out
    assert status == 1
    drift = out.split("drift: the committed files differ from a fresh regeneration:\n")[1]
    assert drift.splitlines()[:3] == [
        f"  missing: {PACKAGE_IN_ROOT}/types.py",
        f"  extra: {PACKAGE_IN_ROOT}/models/stale_model.py",
        f"  changed: {PACKAGE_IN_ROOT}/models/feedback_response.py",
    ]
    assert re.search(r"check took \d+\.\d\d s", out)
    assert tree_files(package) == before  # --check writes nothing


@pytest.mark.parametrize("name", PACKAGE_FILES)
def test_a_hand_edit_to_any_generated_file_is_drift(
    fresh_root: Path, project_copy: Path, name: str
) -> None:
    """Whichever generated file is edited (even one byte of whitespace), it is listed as changed."""
    target = project_copy / PACKAGE_IN_ROOT / name
    target.write_bytes(target.read_bytes() + b"\n")
    assert regenerate.compare(fresh_root, project_copy) == [f"changed: {PACKAGE_IN_ROOT}/{name}"]


def test_a_hand_edit_to_the_canonical_spec_is_drift(fresh_root: Path, project_copy: Path) -> None:
    """Editing openapi/feedback-api.json by hand is drift."""
    canonical = project_copy / "openapi" / "feedback-api.json"
    canonical.write_text(canonical.read_text(encoding="utf-8").replace("4000", "4001"))
    assert regenerate.compare(fresh_root, project_copy) == ["changed: openapi/feedback-api.json"]


def test_lock_drift_counts_only_what_the_output_depends_on(
    fresh_root: Path, project_copy: Path
) -> None:
    """Other source files or languages are fine; another generator or selection is drift."""
    lock_file = project_copy / "openapi" / "spec.lock.json"
    lock = json.loads(lock_file.read_text(encoding="utf-8"))
    lock["sources"] = [{"path": "de/feedback.md", "sha256": "0" * 64, "language": "de"}]
    lock_file.write_text(json.dumps(lock), encoding="utf-8")
    assert regenerate.compare(fresh_root, project_copy) == []
    lock["generator"]["version"] = "0.30.0"
    lock["selection"]["operationIds"] = ["submitSearchFeedback"]
    lock_file.write_text(json.dumps(lock), encoding="utf-8")
    assert regenerate.compare(fresh_root, project_copy) == [
        "changed: openapi/spec.lock.json (generator)",
        "changed: openapi/spec.lock.json (selection)",
    ]
    lock_file.unlink()
    assert regenerate.compare(fresh_root, project_copy) == ["missing: openapi/spec.lock.json"]


def test_pycache_folders_are_not_drift(fresh_root: Path, project_copy: Path) -> None:
    """Importing the generated package leaves __pycache__ behind; that is not an extra file."""
    cache = project_copy / PACKAGE_IN_ROOT / "__pycache__"
    cache.mkdir()
    (cache / "client.cpython-311.pyc").write_bytes(b"\0")
    assert regenerate.compare(fresh_root, project_copy) == []
