"""A docs page as the browser gives it (HTML, saved as .html or .htm) gives the same spec.

A browser shows the page's fenced blocks as <pre><code>, their text escaped
(&quot; &lt; &amp; &#x27;) and cut into highlighting <span>s; it shows the
docs' plain-text .md page as one <pre>. Every page here is built from the
seeds, and the four together must regenerate the committed output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import regenerate

from tests.spec.specsupport import SEED_PATHS, build, spec_text

_FENCE = re.compile(r"^(`{3,})(\w*)[^\n]*\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def _entities(text: str) -> str:
    """Escaped as React escapes text: &amp; &lt; &gt; &quot; &#x27;."""
    return html.escape(text)


def _shiki(body: str, between: str = "\n") -> str:
    """Each line a <span class="line">, each word a coloured <span> (as Shiki renders)."""
    return between.join(
        '<span class="line">'
        + "".join(
            f'<span style="color:#F97583">{_entities(word)}</span>'
            for word in re.split(r"(\s+|:)", line)
            if word
        )
        + "</span>"
        for line in body.split("\n")
    )


def _numbered(body: str) -> str:
    """Lines with their numbers in the gutter (left out when the block is copied)."""
    return "\n".join(
        f'<span class="line"><span class="line-number" aria-hidden="true">{n}</span>'
        f"{_entities(line)}</span>"
        for n, line in enumerate(body.split("\n"), 1)
    )


def _divs(body: str) -> str:
    """Each line a <div> (as Prism's React renderer does), no line break between them."""
    return "".join(f'<div class="token-line">{_entities(line)}</div>' for line in body.split("\n"))


def _nbsp(body: str) -> str:
    """Lines split by <br>, indented with &nbsp;."""
    return "<br>".join(
        re.sub(r"^ +", lambda m: "&nbsp;" * len(m[0]), _entities(line)) for line in body.split("\n")
    )


def _rendered(page: str, code: Callable[[str, str], str], document: bool = True) -> str:
    """The page as a browser renders it: prose in <p>, each fenced block as ``code`` gives it."""
    parts, at = [], 0
    for fence in _FENCE.finditer(page):
        parts += [f"<p>{_entities(page[at : fence.start()])}</p>", code(fence[2], fence[3])]
        at = fence.end()
    body = "\n".join([*parts, f"<p>{_entities(page[at:])}</p>"])
    if not document:
        return body
    head = '<!DOCTYPE html>\n<html lang="fr">\n<head><meta charset="utf-8"></head>\n<body>'
    return f"{head}\n{body}\n</body>\n</html>\n"


def _code(inner: Callable[[str], str]) -> Callable[[str, str], str]:
    return lambda language, body: (
        f'<pre class="shiki"><code class="language-{language}">{inner(body)}</code></pre>'
    )


# How a browser (or a person saving from one) may give the docs page: (file name, text).
HTML_FORMS: dict[str, tuple[str, Callable[[str], str]]] = {
    "escaped text": ("page.html", lambda p: _rendered(p, _code(_entities))),
    "saved as .htm": ("page.htm", lambda p: _rendered(p, _code(_entities))),
    "highlighted lines": ("page.html", lambda p: _rendered(p, _code(_shiki))),
    "highlighted lines without line breaks": (
        "page.html",
        lambda p: _rendered(p, _code(lambda b: _shiki(b, between=""))),
    ),
    "a <div> a line": ("page.html", lambda p: _rendered(p, _code(_divs))),
    "<br> and &nbsp;": ("page.html", lambda p: _rendered(p, _code(_nbsp))),
    "numeric entities": (
        "page.html",
        lambda p: _rendered(
            p, _code(lambda b: "".join(f"&#{ord(c)};" if c in "\"'<>&: " else c for c in b))
        ),
    ),
    "line numbers": ("page.html", lambda p: _rendered(p, _code(_numbered))),
    "upper-case tags": (
        "page.html",
        lambda p: _rendered(
            p, lambda lang, b: f'<PRE><CODE CLASS="language-{lang}">{_entities(b)}</CODE></PRE>'
        ),
    ),
    "a fragment, no <html>": (
        "page.html",
        lambda p: _rendered(p, _code(_entities), document=False),
    ),
    "the browser's view of the .md page": (
        "page.html",
        lambda p: (
            f'<html><body><pre style="white-space: pre-wrap;">{_entities(p)}</pre></body></html>'
        ),
    ),
    "HTML saved as .txt": ("page.txt", lambda p: _rendered(p, _code(_entities))),
    "Markdown saved as .html": ("page.html", lambda p: p),
}


def _write_all(folder: Path, form: str, crlf: bool = False) -> list[Path]:
    """The four seed pages in ``form``, one folder each."""
    name, render = HTML_FORMS[form]
    paths = []
    for index, seed in enumerate(SEED_PATHS):
        path = folder / str(index) / name
        path.parent.mkdir(parents=True)
        text = render(seed.read_text(encoding="utf-8"))
        path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode())
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def seed_spec() -> str:
    return spec_text(build(SEED_PATHS)[0])


@pytest.mark.parametrize("form", list(HTML_FORMS))
def test_a_page_as_the_browser_gives_it_gives_the_same_spec(
    tmp_path: Path, seed_spec: str, form: str
) -> None:
    pages = _write_all(tmp_path, form)
    assert "&#" in pages[0].read_text() or form == "Markdown saved as .html"
    assert spec_text(build(pages)[0]) == seed_spec


def test_html_pages_in_a_folder_with_windows_line_ends_pass_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check against the committed files: the spec and generated/ are byte for byte the same."""
    _write_all(tmp_path, "highlighted lines", crlf=True)
    status = regenerate.main(["--check", "--source", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "up to date" in out


def test_a_spec_block_that_does_not_parse_in_html_is_one_line_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = (
        SEED_PATHS[0]
        .read_text(encoding="utf-8")
        .replace("maxLength: 4000\n", "maxLength: 4000\n  bad: [\n", 1)
    )
    path = tmp_path / "page.html"
    path.write_text(_rendered(page, _code(_entities)), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    pre = next(n for n, line in enumerate(lines, 1) if "<pre" in line and "language-yaml" in line)
    status = regenerate.main(["--source", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(
        f"error: {path}: no OpenAPI document found in the <pre> block at line {pre}: it has an "
        "openapi key but is not valid YAML (line "
    )
    assert len(err.splitlines()) == 1 and "Traceback" not in err
