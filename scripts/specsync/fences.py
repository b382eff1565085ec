"""The fenced code blocks of a Markdown or MDX page, as CommonMark reads them.

markdown-it finds fences however a page writes them: indented inside a list
or a component, inside a blockquote, closed by a longer fence or left open at
the end of the page, with any info string (``yaml``, ``YAML``, ``openapi``,
none). Raw HTML is read as text, as MDX reads its components: a block right
after ``<RequestExample>`` is still a fence, not part of an HTML block.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark").disable(["html_block", "html_inline"])


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
