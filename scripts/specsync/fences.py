"""The fenced code blocks of a Markdown or MDX page, as MDX reads them.

markdown-it finds fences however a page writes them: indented inside a list
or a component, inside a blockquote, closed by a longer fence or left open at
the end of the page, with any info string (``yaml``, ``YAML``, ``openapi``,
none). Two changes from CommonMark make it read blocks as MDX does (the docs
are MDX, and their rendered pages keep its layout):

- there is no indented code, so a fence indented by 4 or more spaces (or a
  tab), as inside ``<Tabs><Tab>``, is still a fence, and it ends a paragraph;
- a line holding only component tags (``<Tab title="YAML">``, ``</CodeGroup>``)
  is a block of its own, not text: the fence on the next line starts a block
  instead of continuing a paragraph. Other raw HTML is read as text, so a
  block right after ``<RequestExample>`` is never swallowed by an HTML block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock, fence, paragraph

# Lines holding only JSX tags (<Tab title="a > b">, </Tab>, <Note/>, <>; one tag may span
# lines) and one-line expressions ({/* a comment */}).
_ATTRIBUTE = r"""[^\s"'<>/={}]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^{}]*\}|[^\s"'<>]+))?"""
_TAG = rf"<\s*/?\s*(?:[A-Za-z][\w.:-]*(?:\s+{_ATTRIBUTE})*\s*/?\s*)?>"
_COMPONENT = re.compile(rf"[ \t]*(?:(?:{_TAG}|\{{[^{{}}\n]*\}})[ \t]*)+(?:\n|\Z)")


def _component(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    found = _COMPONENT.match(state.src, state.bMarks[start] + state.tShift[start])
    if found is None:
        return False
    if not silent:
        state.line = start + found[0].rstrip("\n").count("\n") + 1
        state.push("component", "", 0).map = [start, state.line]
    return True


def _paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A paragraph that a fence ends however far it is indented, as in MDX.

    CommonMark reads a line indented 4 more than the paragraph as part of its text.
    """
    line = start + 1
    while line < end and not state.isEmpty(line) and not fence(state, line, end, True):
        line += 1
    saved, state.lineMax = state.lineMax, line
    try:
        return paragraph(state, start, line, silent)
    finally:
        state.lineMax = saved


_MARKDOWN = MarkdownIt("commonmark").disable(["html_block", "html_inline", "code"])
_MARKDOWN.block.ruler.at("paragraph", _paragraph)
_MARKDOWN.block.ruler.before(
    "paragraph", "component", _component, {"alt": ["paragraph", "blockquote", "list"]}
)


@dataclass(frozen=True)
class Fence:
    info: str  # the info string: "yaml fr/api-reference/v2-openapi.json POST /feedback"
    line: int  # 1-based line of the block's first content line in the page
    body: str  # the content, the fence's indentation (and any "> ") taken off


def fences(text: str) -> list[Fence]:
    return [
        Fence(token.info.strip(), token.map[0] + 2, token.content)
        for token in _MARKDOWN.parse(text)
        if token.type == "fence" and token.map is not None
    ]
