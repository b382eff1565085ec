"""The change report as files: Markdown for a pull request description, JSON for tools.

Breaking changes come first in both, in the order ``report.diff`` found them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .report import Change

CANONICAL = "openapi/feedback-api.json"
# Characters GitHub's Markdown could read as formatting inside a list item's text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<~])")


def ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: not c.breaking)


def status(old: dict[str, Any] | None, new: dict[str, Any], changes: list[Change]) -> str:
    """'new' (nothing committed), 'unchanged', 'prose' (no structural change) or 'changed'."""
    if old is None:
        return "new"
    if old == new:
        return "unchanged"
    return "changed" if changes else "prose"


def markdown(changes: list[Change], state: str, lock: dict[str, Any]) -> str:
    breaking = [c for c in changes if c.breaking]
    other = [c for c in changes if not c.breaking]
    lines = ["## Feedback API spec sync", ""]
    if state == "new":
        lines.append(f"No committed `{CANONICAL}` to compare with.")
    elif state == "unchanged":
        lines.append(f"No change: the sources give the committed `{CANONICAL}`.")
    elif state == "prose":
        lines.append(f"Compared with the committed `{CANONICAL}`: prose or layout only.")
    else:
        lines.append(
            f"Compared with the committed `{CANONICAL}`: "
            f"**{_count(len(breaking), 'breaking change')}**, "
            f"{_count(len(other), 'other change')}."
        )
    for title, group in (("Breaking changes", breaking), ("Other changes", other)):
        if group:
            lines += ["", f"### {title}", "", *(f"- {_item(c)}" for c in group)]
    lines += ["", "### Sources", "", _sources_line(lock)]
    return "\n".join(lines) + "\n"


def as_json(changes: list[Change], state: str, lock: dict[str, Any]) -> str:
    data = {
        "compared_with": CANONICAL,
        "status": state,
        "breaking": sum(c.breaking for c in changes),
        "changes": [
            {"breaking": c.breaking, "subject": c.subject, "text": c.text} for c in changes
        ],
        "sources": lock["sources"],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _item(change: Change) -> str:
    """The change's text with its pointer or operation as code, the rest escaped."""
    head, found, tail = change.text.partition(change.subject) if change.subject else ("", "", "")
    if not found:
        return _escape(change.text)
    return f"{_escape(head)}`{change.subject}`{_escape(tail)}"


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _sources_line(lock: dict[str, Any]) -> str:
    sources = lock["sources"]
    used = [s for s in sources if s["operations"]]
    languages = sorted({s["language"] for s in used})
    line = (
        f"{_count(len(sources), 'OpenAPI document')}, "
        f"{len(used)} holding the selected operations ({', '.join(languages)})"
    )
    commits = sorted({s["docs_commit"] for s in sources if "docs_commit" in s})
    if commits:
        line += "; docs commit " + ", ".join(f"`{c}`" for c in commits)
    return line + "."
