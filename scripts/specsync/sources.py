"""Gather the OpenAPI fragments from the ``--source`` paths: files, folders, docs checkouts.

A file given by name must hold a spec, or name one in its front matter. A
folder is scanned: binary files and files with neither are skipped, and pages
whose front matter names a spec are resolved against the docs root. Every
spec file is read once, however many pages name it.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import docsrepo, frontmatter
from .errors import SpecInputError
from .extract import TYPOGRAPHY, Fragment, find_fragments

# Enough to recognise images, archives and fonts: a NUL byte never occurs in text.
_SNIFF_BYTES = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# ECMA-48 control sequences (colours: ESC [ 38;5;124 m), operating system commands (a
# title or a link: ESC ] ... BEL or ESC \) and two-character escapes.
_TERMINAL_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])"
)
_NO_SPEC = (
    "no OpenAPI document found (expected a JSON/YAML OpenAPI file "
    "or a page with a fenced yaml/json block holding one)"
)


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


@dataclass
class Loaded:
    """The fragments in the order first met, the pages' references, the files skipped."""

    fragments: list[Fragment] = field(default_factory=list)
    references: list[frontmatter.Reference] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Every file already read, by resolved path, with the fragments it holds.
    read: dict[Path, list[Fragment]] = field(default_factory=dict)

    def docs_roots(self) -> list[Path]:
        return sorted({f.docs_root for f in self.fragments if f.docs_root is not None})


def load(paths: list[Path], docs_root: Path | None = None) -> Loaded:
    """Every fragment under ``paths``; ``docs_root`` replaces the search for docs.json."""
    loaded = Loaded()
    for path in paths:
        if path.is_dir():
            root = docs_root or docsrepo.find_root(path)
            for file in _files(path):
                _scan_file(loaded, file, root)
        elif path.is_file():
            _named_file(loaded, path, docs_root or docsrepo.find_root(path))
        else:
            raise SpecInputError(f"{path}: no such file or folder")
    if not loaded.fragments:
        raise SpecInputError(
            f"no OpenAPI document found in {', '.join(map(str, paths))} "
            f"({len(loaded.skipped)} files skipped: binary, or no spec)"
        )
    return loaded


def _files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` in sorted order, hidden files and folders left out.

    Hidden folders (.git, .github) hold no docs; they are not even entered.
    """
    found: list[Path] = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [Path(parent, name) for name in files if not name.startswith(".")]
    yield from (file for file in sorted(found) if file.is_file())


def _named_file(loaded: Loaded, path: Path, root: Path | None) -> None:
    """A file given by name: it holds a spec or names one, or the run stops."""
    if path.resolve() in loaded.read:
        return
    raw = _read_bytes(path, str(path))
    try:
        text = _text(raw)
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, raw, exc) from None
    ref = frontmatter.reference(path, text)
    if isinstance(ref, frontmatter.Reference):
        _follow(loaded, ref, root)
    if not _register(loaded, path, raw, text, root) and not isinstance(ref, frontmatter.Reference):
        why = f" ({ref.reason})" if isinstance(ref, frontmatter.NoSpecFile) else ""
        raise SpecInputError(f"{path}: {_NO_SPEC}{why}")


def _scan_file(loaded: Loaded, path: Path, root: Path | None) -> None:
    """A file met in a folder: whatever is neither a spec nor a reference is skipped."""
    if path.resolve() in loaded.read:
        return  # a spec some page named earlier
    try:
        raw = _read_text_bytes(path)
    except OSError as exc:
        loaded.skipped.append(Skipped(path, f"unreadable ({exc.strerror})"))
        return
    if raw is None:
        loaded.skipped.append(Skipped(path, "binary"))
        return
    try:
        text = _text(raw)
    except UnicodeDecodeError as exc:
        # Text in another encoding (Windows' "ANSI", Shift_JIS) that holds a spec, once its
        # bad bytes are replaced: skipping it would drop its operations without a word.
        if _holds_spec(path, raw):
            raise _not_utf8(path, raw, exc) from None
        loaded.skipped.append(Skipped(path, "binary"))
        return
    # A cheap filter first: every spec, fenced block and reference says "openapi".
    if "openapi" not in text:
        loaded.skipped.append(Skipped(path, "no spec"))
        return
    ref = frontmatter.reference(path, text)
    if isinstance(ref, frontmatter.Reference):
        _follow(loaded, ref, root)
    if not _register(loaded, path, raw, text, root) and not isinstance(ref, frontmatter.Reference):
        reason = ref.reason if isinstance(ref, frontmatter.NoSpecFile) else "no spec"
        loaded.skipped.append(Skipped(path, reason))


def _follow(loaded: Loaded, ref: frontmatter.Reference, root: Path | None) -> None:
    """Read the spec a page names (once) and check that it holds the page's operation."""
    named = f"{ref.page}: front matter names {ref.spec}"
    if root is None:
        raise SpecInputError(
            f"{named}, but no docs root (a folder holding {docsrepo.MARKER}) is above "
            "the page; pass --docs-root"
        )
    spec = root / ref.spec.lstrip("/")
    if not spec.resolve().is_relative_to(root.resolve()) or not spec.is_file():
        raise SpecInputError(f"{named}, which is not a file under the docs root {root}")
    fragments = loaded.read.get(spec.resolve())
    if fragments is None:
        raw = _read_bytes(spec, named)
        text = _decode(raw)
        fragments = [] if text is None else _register(loaded, spec, raw, text, root)
    if not fragments:
        raise SpecInputError(f"{named}, which holds no OpenAPI document")
    if not any(ref.found_in(f.document) for f in fragments):
        raise SpecInputError(f"{named}, which has no operation {ref.operation}")
    loaded.references.append(ref)


def _register(
    loaded: Loaded, path: Path, raw: bytes, text: str, root: Path | None
) -> list[Fragment]:
    fragments = find_fragments(path, raw, text)
    if root is not None and path.resolve().is_relative_to(root.resolve()):
        # In a docs checkout the folder says the language: fr/..., pt-BR/..., English at the root.
        language = docsrepo.language(path.resolve(), root.resolve())
        fragments = [dataclasses.replace(f, language=language, docs_root=root) for f in fragments]
    loaded.read[path.resolve()] = fragments
    loaded.fragments.extend(fragments)
    return fragments


def _read_bytes(path: Path, who: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SpecInputError(f"{who}: cannot read {path} ({exc.strerror})") from None


def _read_text_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when its start holds a NUL (an image, an archive)."""
    with path.open("rb") as stream:
        head = stream.read(_SNIFF_BYTES)
        if b"\0" in head and not head.startswith(_UTF16_BOMS):
            return None
        return head + stream.read()


def _holds_spec(path: Path, raw: bytes) -> bool:
    try:
        return bool(find_fragments(path, raw, _text(raw, errors="replace")))
    except SpecInputError:
        return True  # an openapi key, but not a document: the encoding may be why


def _not_utf8(path: Path, raw: bytes, exc: UnicodeDecodeError) -> SpecInputError:
    line = raw.count(b"\n", 0, exc.start) + 1
    return SpecInputError(f"{path}: not UTF-8 text (line {line}: {exc.reason}); save it as UTF-8")


def _decode(raw: bytes) -> str | None:
    try:
        return _text(raw)
    except UnicodeDecodeError:
        return None


def _text(raw: bytes, errors: str = "strict") -> str:
    """The file as text with \\n line ends, whatever it was saved with (CRLF, or old Mac's CR).

    Front matter, fences and YAML are then read line by line the same way. Typography
    some languages' pages add is undone: a no-break space before a colon (French
    "type\u00a0: string" made the key "type\u00a0"), an ideographic space after one, a
    zero-width or direction mark (Arabic, Hebrew) at a value's end. Only the structure
    they would change is read from the text: its prose is replaced by English text.
    A page captured from a terminal (a pager's or highlighter's output) keeps its colours
    as escape sequences; no text format has them, and they are dropped.
    """
    # A page saved as "Unicode" on Windows is UTF-16, after its byte order mark.
    encoding = "utf-16" if raw.startswith(_UTF16_BOMS) else "utf-8-sig"
    text = raw.decode(encoding, errors).replace("\r\n", "\n").replace("\r", "\n")
    return _TERMINAL_ESCAPES.sub("", text).translate(TYPOGRAPHY)
