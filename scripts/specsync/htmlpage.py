"""The code blocks of an HTML page: a docs page saved from the browser (.html, .htm).

A browser shows a fenced block as ``<pre><code class="language-yaml">``, its text
escaped (``&quot; &lt; &amp; &#x27;``) and often cut into highlighting ``<span>``s,
one ``<span class="line">`` a line (with or without a line break between them);
it shows a plain-text page (the docs' ``.md``) as one ``<pre>``. Each block is
its text as the reader saw it: tags dropped, entities decoded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .fences import Fence

_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# A page saved under another name (.txt, .md) still opens like HTML.
_OPENS_LIKE_HTML = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
_PRE = re.compile(r"<pre[\s>]", re.I)
# Highlighters name a block's language as a class (language-yaml, lang-json) or attribute.
_LANGUAGE_CLASS = re.compile(r"^(?:language|lang)-(.+)$")
_LANGUAGE_ATTRIBUTES = ("language", "data-language", "data-lang")
# Highlighters put each line in an element of its own, not always with a line break between.
_LINE_TAGS = frozenset({"div", "p", "li", "tr"})
_VOID = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link", "col", "source"})
# Line numbers are drawn beside the code, not part of it (a copy leaves them out).
_LINE_NUMBER = re.compile(r"line-?numbers?|linenos?|gutter")


def is_html(path: Path, text: str) -> bool:
    # A Markdown page saved under an HTML name (curl -o page.html) is still read as Markdown.
    if path.suffix.lower() in _SUFFIXES and _PRE.search(text):
        return True
    return _OPENS_LIKE_HTML.match(text) is not None


def blocks(text: str) -> list[Fence]:
    """Every outermost ``<pre>``: its language as the info string, its line, its text."""
    parser = _Blocks()
    parser.feed(text)
    parser.close()
    return parser.found


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Fence] = []
        # The elements open inside the outermost <pre> (itself first), and whether each
        # hides its text (line numbers).
        self._open: list[tuple[str, bool]] = []
        self._text: list[str] = []
        self._info = ""
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._open:
            if tag != "pre":
                return
            self._text, self._info, self._line = [], "", self.getpos()[0]
        named = dict(attrs)
        classes = (named.get("class") or "").lower().split()
        starts_line = tag == "br" or tag in _LINE_TAGS or "line" in classes
        if starts_line and self._text and self._text[-1][-1:] != "\n":
            self._text.append("\n")  # a line of its own, where no line break separates it
        if tag in _VOID:
            return
        hidden = named.get("aria-hidden") == "true" or any(map(_LINE_NUMBER.search, classes))
        self._open.append((tag, hidden or (self._open[-1][1] if self._open else False)))
        languages = [m[1] for m in map(_LANGUAGE_CLASS.match, classes) if m]
        languages += [named.get(name) or "" for name in _LANGUAGE_ATTRIBUTES]
        self._info = self._info or next(filter(None, languages), "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in (name for name, _ in self._open):
            return  # a stray end tag
        while self._open.pop()[0] != tag:
            pass  # it closes the elements left open inside it too
        if not self._open:
            body = "".join(self._text)
            # HTML drops the line break right after <pre>: the text starts on the next line.
            line = self._line + body.startswith("\n")
            self.found.append(Fence(self._info, line, body.removeprefix("\n")))

    def handle_data(self, data: str) -> None:
        if self._open and not self._open[-1][1] and data:
            self._text.append(data)
