"""What differs between a copy on disk and a fresh render (``--check``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import stamp
from .names import STAMP_FILE


def differences(
    target: Path, expected: Mapping[str, bytes], expected_stamp: Mapping[str, Any]
) -> list[str]:
    """Human-readable differences; empty when the copy is current."""
    if not target.is_dir():
        return [f"missing: no copy at {target}"]
    recorded = stamp.read(target)
    if recorded is None:
        return [f"not a vendored copy: {target} holds no {STAMP_FILE} stamp"]
    actual = _files_on_disk(target)
    problems = []
    if stamp.content_sha256(actual) != recorded.get("content_sha256"):
        problems.append("edited: the files no longer match the content hash in the stamp")
    problems += [
        f"stamp {key}: {_show(recorded.get(key))} in the copy, {_show(expected_stamp.get(key))} now"
        for key in sorted(set(recorded) | set(expected_stamp))
        if key not in stamp.NOT_COMPARED and recorded.get(key) != expected_stamp.get(key)
    ]
    problems += [f"missing: {path}" for path in sorted(expected.keys() - actual.keys())]
    problems += [f"extra: {path}" for path in sorted(actual.keys() - expected.keys())]
    problems += [
        f"changed: {path}"
        for path in sorted(expected.keys() & actual.keys())
        if expected[path] != actual[path]
    ]
    return problems


def _files_on_disk(target: Path) -> dict[str, bytes]:
    """Every file of the copy but its stamp; bytecode caches are Python's, not the copy's."""
    return {
        path.relative_to(target).as_posix(): path.read_bytes()
        for path in sorted(target.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.relative_to(target).parts
        and path.relative_to(target).as_posix() != STAMP_FILE
    }


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
