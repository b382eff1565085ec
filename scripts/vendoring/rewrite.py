"""Rewrite one Python file's references to the original packages, token by token.

Positions come from ``ast`` (which statements are imports) and ``tokenize``
(exactly where each name, string and comment is), so code that merely looks
like an import inside a string is handled as text and nothing outside a
reference moves. Three kinds of edit:

- ``from firecrawl_feedback_api.x import ...`` becomes a relative import
  (``from ._generated.x import ...``): the copy keeps working under any name.
- every other code reference (``import firecrawl_feedback.x``, the names it
  binds) becomes the copy's absolute dotted name.
- strings and comments (docstring examples, ``"firecrawl_feedback._cli:main"``,
  ``importlib.import_module(...)`` arguments) get the absolute dotted name,
  except strings that end on a line carrying a ``# vendoring: keep`` comment:
  names that only look like module paths (an agent tool called
  ``firecrawl_feedback`` is Firecrawl's name, not a module, in every copy).
"""

from __future__ import annotations

import ast
import io
import itertools
import json
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import VendorError
from .names import ORIGINALS, Renaming

Position = tuple[int, int]  # (1-based line, character column), as tokenize reports
_TEXT_TOKENS = frozenset(
    t
    for t in (tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", None))
    if t is not None
)
_SKIPPED_BACKWARDS = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT})
KEEP_PRAGMA = "# vendoring: keep"


@dataclass(frozen=True)
class Rewritten:
    text: str
    changed_lines: int


@dataclass(frozen=True)
class _Edit:
    start: Position
    end: Position
    text: str


def rewrite_python(
    source: str,
    *,
    package: str,
    renaming: Renaming,
    constants: Mapping[str, str] | None = None,
    where: str = "<source>",
) -> Rewritten:
    """``source`` as it reads in the copy; ``package`` is the file's ``__package__`` there.

    ``constants`` replaces the string value of module-level assignments by name
    (``LOGGER_NAME``); each one must exist.
    """
    if not constants and not any(name in source for name in ORIGINALS):
        return Rewritten(source, 0)  # every reference spells a name out; none here
    lines = io.StringIO(source).readlines()
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError) as exc:
        raise VendorError(f"{where}: cannot be parsed: {exc}") from None
    index = {tok.start: i for i, tok in enumerate(tokens)}
    edits: list[_Edit] = []
    handled: set[int] = set()

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _names_original(node):
            first, last = _from_module_tokens(tokens, index[_pos(lines, node)], where)
            target = renaming.module(node.module or "")
            edits.append(_Edit(tokens[first].start, tokens[last].end, _relative(target, package)))
            handled.update(range(first, last + 1))
    for name, value in (constants or {}).items():
        value_node = _constant_value(tree, name, where)
        start = _pos(lines, value_node)
        end = _char_position(lines, value_node.end_lineno or 0, value_node.end_col_offset or 0)
        edits.append(_Edit(start, end, json.dumps(value)))
        handled.update(i for i, tok in enumerate(tokens) if start <= tok.start < end)

    kept_lines = {
        tok.start[0]
        for tok in tokens
        if tok.type == tokenize.COMMENT and tok.string.startswith(KEEP_PRAGMA)
    }
    for i, tok in enumerate(tokens):
        if i in handled:
            continue
        if tok.type == tokenize.NAME and tok.string in ORIGINALS and not _after_dot(tokens, i):
            edits.append(_Edit(tok.start, tok.end, renaming.top_level(tok.string)))
        elif tok.type in _TEXT_TOKENS and tok.end[0] not in kept_lines:
            new = renaming.in_text(tok.string)
            if new != tok.string:
                edits.append(_Edit(tok.start, tok.end, new))

    text = _apply(lines, edits)
    new_lines = io.StringIO(text).readlines()
    if len(new_lines) != len(lines):  # no edit adds or removes a line break
        raise VendorError(f"{where}: rewrite changed the number of lines (internal error)")
    _verify(text, where)
    return Rewritten(text, sum(a != b for a, b in zip(lines, new_lines, strict=True)))


def code_references(source: str) -> list[int]:
    """Lines where code (not text) still names an original package: imports or bound names."""
    found: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and _names_original(node):
            found.add(node.lineno)
        elif isinstance(node, ast.Import):
            found.update(node.lineno for a in node.names if a.name.partition(".")[0] in ORIGINALS)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    found.update(
        tok.start[0]
        for i, tok in enumerate(tokens)
        if tok.type == tokenize.NAME and tok.string in ORIGINALS and not _after_dot(tokens, i)
    )
    return sorted(found)


def _names_original(node: ast.ImportFrom) -> bool:
    """``from firecrawl_feedback... import``: absolute, from one of the original packages."""
    return node.level == 0 and (node.module or "").partition(".")[0] in ORIGINALS


def _verify(text: str, where: str) -> None:
    try:
        left = code_references(text)
    except SyntaxError as exc:
        raise VendorError(f"{where}: the rewritten file does not parse: {exc}") from None
    if left:
        raise VendorError(f"{where}: original package names left on lines {left}")


def _relative(target: str, package: str) -> str:
    """``from <target> import`` relative to a module whose ``__package__`` is ``package``."""
    wanted, here = target.split("."), package.split(".")
    common = 0
    while common < min(len(wanted), len(here)) and wanted[common] == here[common]:
        common += 1
    return "." * (len(here) - common + 1) + ".".join(wanted[common:])


def _from_module_tokens(tokens: list[tokenize.TokenInfo], at: int, where: str) -> tuple[int, int]:
    """Indices of the first and last token of the module name after ``from``."""
    if tokens[at].string != "from":
        raise VendorError(f"{where}:{tokens[at].start[0]}: expected 'from' (internal error)")
    last = at + 1
    while tokens[last + 1].string != "import":
        last += 1
    return at + 1, last


def _constant_value(tree: ast.Module, name: str, where: str) -> ast.expr:
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        value = getattr(node, "value", None)
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value
            raise VendorError(f"{where}: {name} is not a plain string; cannot override it")
    raise VendorError(f"{where}: no module-level {name} to override")


def _after_dot(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """Whether token ``i`` is an attribute (``x.firecrawl_feedback``), not a top-level name."""
    j = i - 1
    while j >= 0 and tokens[j].type in _SKIPPED_BACKWARDS:
        j -= 1
    return j >= 0 and tokens[j].type == tokenize.OP and tokens[j].string == "."


def _pos(lines: list[str], node: ast.expr | ast.stmt) -> Position:
    return _char_position(lines, node.lineno, node.col_offset)


def _char_position(lines: list[str], line: int, byte_col: int) -> Position:
    """ast counts columns in UTF-8 bytes, tokenize in characters."""
    return line, len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8"))


def _apply(lines: list[str], edits: list[_Edit]) -> str:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    source = "".join(lines)

    def offset(pos: Position) -> int:
        return starts[pos[0] - 1] + pos[1]

    ordered = sorted(edits, key=lambda e: e.start)
    for before, after in itertools.pairwise(ordered):
        if offset(after.start) < offset(before.end):
            raise VendorError(f"overlapping rewrites at {before.start} and {after.start}")
    for edit in reversed(ordered):
        source = source[: offset(edit.start)] + edit.text + source[offset(edit.end) :]
    return source
