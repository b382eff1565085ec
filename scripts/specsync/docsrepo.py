"""Facts about a checkout of Firecrawl's docs repository: its root, languages, commit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# The file that marks the docs root (Mintlify's site configuration).
MARKER = "docs.json"
# Translation folders at the docs root; anything else at the root is English.
# A closed list: a folder such as "ai/" or "v2/" must not pass for a language.
LANGUAGES = frozenset(
    {
        *("ar", "bg", "cs", "da", "de", "el", "es", "fi", "fr", "he", "hi", "hu", "id", "it"),
        *("ja", "ko", "nl", "no", "pl", "pt", "pt-BR", "pt-PT", "ro", "ru", "sv", "th", "tr"),
        *("uk", "vi", "zh", "zh-CN", "zh-Hans", "zh-Hant", "zh-TW"),
    }
)
_BY_LOWER = {tag.lower(): tag for tag in LANGUAGES}
ROOT_LANGUAGE = "en"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding docs.json.

    The search stops at the first repository boundary (a folder with .git), so
    a stray docs.json somewhere above a project checkout is never picked up.
    """
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / MARKER).is_file():
            return candidate
        if (candidate / ".git").exists():
            return None
    return None


def language(path: Path, root: Path) -> str:
    """The language a file under ``root`` is written in, from its first folder."""
    parts = path.relative_to(root).parts
    if len(parts) > 1:
        tag = _BY_LOWER.get(parts[0].lower())
        if tag is not None:
            return tag
    return ROOT_LANGUAGE


def commit(root: Path) -> str | None:
    """HEAD of the git work tree ``root`` is in; None when it is not one (or git is missing)."""
    git = shutil.which("git")
    if git is None:
        return None
    # Variables set by a calling git (hooks, rebase --exec) would point at another repository.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        result = subprocess.run(
            [git, "-C", str(root), "rev-parse", "--is-inside-work-tree", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.split()
    if result.returncode != 0 or len(lines) != 2 or lines[0] != "true":
        return None
    return lines[1]
