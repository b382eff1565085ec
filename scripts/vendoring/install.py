"""Writing a copy to disk: parent packages, and replacing only a previous copy, all at once."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import stamp
from .errors import VendorError
from .names import STAMP_FILE


@dataclass(frozen=True)
class Installed:
    target: Path
    created_inits: list[Path]
    replaced: bool


def target_folder(into: Path, package: str) -> Path:
    return into.joinpath(*package.split("."))


def enclosing_copy(into: Path, package: str) -> Path | None:
    """A previous copy that ``package`` would sit inside (its next vendoring would delete it)."""
    parts = package.split(".")
    for n in range(1, len(parts)):
        folder = target_folder(into, ".".join(parts[:n]))
        if stamp.read(folder) is not None:
            return folder
    return None


def install(into: Path, package: str, files: Mapping[str, bytes], stamp_data: bytes) -> Installed:
    """Write the copy at ``into/<package path>``; if refused, VendorError before any change."""
    target = target_folder(into, package)
    replaced = _may_replace(target)
    parents = [
        target_folder(into, ".".join(package.split(".")[:n]))
        for n in range(1, len(package.split(".")))
    ]
    for folder in parents:
        if folder.exists() and not folder.is_dir():
            raise VendorError(f"{folder} exists and is not a folder; cannot hold a package")
    created = [init for folder in parents if (init := _ensure_init(folder)) is not None]
    staging = target.parent / f".{target.name}.vendoring-{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / STAMP_FILE).write_bytes(stamp_data)
        if replaced:
            # Swap by renames so an interrupted run never leaves half a copy in place.
            old = target.parent / f".{target.name}.replaced-{secrets.token_hex(4)}"
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old)
        else:
            if target.is_dir():
                target.rmdir()  # empty (see _may_replace); a rename onto it is not portable
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Installed(target, created, replaced)


def _may_replace(target: Path) -> bool:
    """True when ``target`` is a previous copy; False when free or empty; else VendorError."""
    if not target.exists() and not target.is_symlink():
        return False
    if target.is_symlink() or not target.is_dir():
        raise VendorError(f"refusing to replace {target}: it is not a folder")
    if not any(target.iterdir()):
        return False  # a folder made ready for the copy holds nothing to lose
    if stamp.read(target) is None:
        raise VendorError(
            f"refusing to replace {target}: it holds no {STAMP_FILE} stamp, so it is not a "
            "copy made by scripts/vendor.py; move it away or choose another --package"
        )
    return True


def _ensure_init(folder: Path) -> Path | None:
    """Create ``folder/__init__.py`` when missing (never overwrite); the path when created."""
    folder.mkdir(exist_ok=True)
    init = folder / "__init__.py"
    try:
        with init.open("x", encoding="utf-8"):
            pass
    except FileExistsError:
        return None
    return init
