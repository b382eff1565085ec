"""The stamp file of a copy: where it came from, how it was made, and a hash of its content."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import VendorError
from .names import GENERATED_SUBPACKAGE, STAMP_FILE
from .render import Options, Rendered

#: Marks a folder as a copy this script made (and may therefore replace).
MARKER = "firecrawl-feedback vendored copy"
#: Fields --check does not compare: the command is informative, and the rest
#: follow from the files, whose differences are listed one by one instead.
NOT_COMPARED = frozenset({"command", "content_sha256", "files", "rewritten_lines"})


def content_sha256(files: Mapping[str, bytes]) -> str:
    """One hash over every file's path and bytes, in path order."""
    digest = hashlib.sha256()
    for path in sorted(files):
        data = files[path]
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def make(source_root: Path, options: Options, rendered: Rendered, command: str) -> dict[str, Any]:
    lock = _json(source_root / "openapi" / "spec.lock.json")
    return {
        "vendored": MARKER,
        "project_version": _project_version(source_root),
        # The copy imports these; the vendoring package must declare them itself.
        "dependencies": _project_dependencies(source_root),
        "spec_sha256": lock.get("canonical_sha256"),
        "generator": lock.get("generator"),
        "package": options.package,
        "layout": {"generated_client": GENERATED_SUBPACKAGE, "left_out": list(options.omitted)},
        "options": {
            "with_testing": options.with_testing,
            "logger_name": options.logger_name,
            "user_agent_product": options.user_agent_product,
        },
        "command": command,
        "rewritten_lines": rendered.total_changed_lines,
        "files": len(rendered.files),
        "content_sha256": content_sha256(rendered.files),
    }


def dump(stamp: Mapping[str, Any]) -> bytes:
    return (json.dumps(stamp, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read(folder: Path) -> dict[str, Any] | None:
    """The stamp of a previous copy in ``folder``; None when the folder is not one."""
    path = folder / STAMP_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("vendored") != MARKER:
        return None
    return data


def _project_version(source_root: Path) -> str:
    return str(_project_table(source_root, "version"))


def _project_dependencies(source_root: Path) -> list[str]:
    return [str(requirement) for requirement in _project_table(source_root, "dependencies")]


def _project_table(source_root: Path, key: str) -> Any:
    try:
        with (source_root / "pyproject.toml").open("rb") as file:
            return tomllib.load(file)["project"][key]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise VendorError(f"{source_root}/pyproject.toml: no project {key} ({exc})") from None


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VendorError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise VendorError(f"{path}: not a JSON object")
    return data
