"""The whole copy in memory: which files it holds, rewritten, and checked for omitted parts."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import VendorError
from .names import (
    ALWAYS_OMITTED,
    GENERATED,
    GENERATED_SUBPACKAGE,
    STAMP_FILE,
    TESTING,
    WRAPPER,
    Renaming,
)
from .rewrite import rewrite_python

_PYTHON_SUFFIXES = frozenset({".py", ".pyi"})
_SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})
#: A string that is nothing but a module path, maybe with ``:attribute`` (entry points).
_MODULE_STRING = re.compile(r"[A-Za-z_][\w.]*(:[\w.]+)?")


@dataclass(frozen=True)
class Options:
    """What the copy looks like; recorded in the stamp so ``--check`` can compare."""

    package: str
    with_testing: bool = False
    #: None keeps the original logger name rewritten like a module path: the package's name.
    logger_name: str | None = None
    #: None keeps the original product token (``firecrawl-feedback-python``).
    user_agent_product: str | None = None

    @property
    def omitted(self) -> tuple[str, ...]:
        return ALWAYS_OMITTED if self.with_testing else (*ALWAYS_OMITTED, TESTING)


@dataclass
class Rendered:
    files: dict[str, bytes]  # posix path inside the copy -> content (the stamp excluded)
    changed_lines: dict[str, int] = field(default_factory=dict)  # rewritten files only
    warnings: list[str] = field(default_factory=list)

    @property
    def total_changed_lines(self) -> int:
        return sum(self.changed_lines.values())


def source_packages(source_root: Path) -> tuple[Path, Path]:
    """The wrapper's and the generated client's folders in a checkout of this project."""
    wrapper = source_root / "wrapper" / WRAPPER
    generated = source_root / "generated" / GENERATED
    for folder in (wrapper, generated):
        if not (folder / "__init__.py").is_file():
            raise VendorError(f"--source-root {source_root}: no package at {folder}")
    return wrapper, generated


def render(source_root: Path, options: Options) -> Rendered:
    """Every file of the copy, rewritten for ``options.package``."""
    wrapper, generated = source_packages(source_root)
    if (wrapper / GENERATED_SUBPACKAGE).exists() or (
        wrapper / f"{GENERATED_SUBPACKAGE}.py"
    ).exists():
        raise VendorError(f"{wrapper} has its own {GENERATED_SUBPACKAGE}; the layout would clash")
    renaming = Renaming(options.package)
    rendered = Rendered(files={})
    sources = [
        (path, PurePosixPath(rel)) for path, rel in _package_files(wrapper, omitted=options.omitted)
    ] + [
        (path, PurePosixPath(GENERATED_SUBPACKAGE, rel))
        for path, rel in _package_files(generated, omitted=())
    ]
    for path, rel in sources:
        rendered.files[str(rel)] = _render_file(path, rel, renaming, options, rendered)
    _check_omitted(rendered, options)
    return rendered


def _package_files(root: Path, omitted: tuple[str, ...]) -> list[tuple[Path, str]]:
    """Files of a package, sorted; caches, compiled files and omitted subpackages left out."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.parts[0] in omitted or path.suffix in _SKIPPED_SUFFIXES:
            continue
        if any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
            continue
        if rel.as_posix() == STAMP_FILE:
            raise VendorError(f"{path}: the source already holds a vendoring stamp")
        found.append((path, rel.as_posix()))
    return found


def _render_file(
    path: Path, rel: PurePosixPath, renaming: Renaming, options: Options, rendered: Rendered
) -> bytes:
    data = path.read_bytes()
    if rel.suffix not in _PYTHON_SUFFIXES:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data  # binary data holds no import paths
        return renaming.in_text(text).encode("utf-8")
    parts = (options.package, *rel.parent.parts)
    rewritten = rewrite_python(
        data.decode("utf-8"),
        package=".".join(parts),
        renaming=renaming,
        constants=_constants(options) if str(rel) == "_defaults.py" else None,
        where=str(path),
    )
    if rewritten.changed_lines:
        rendered.changed_lines[str(rel)] = rewritten.changed_lines
    return rewritten.text.encode("utf-8")


def _constants(options: Options) -> dict[str, str]:
    constants = {}
    if options.logger_name is not None:
        constants["LOGGER_NAME"] = options.logger_name
    if options.user_agent_product is not None:
        constants["USER_AGENT_PRODUCT"] = options.user_agent_product
    return constants


def _check_omitted(rendered: Rendered, options: Options) -> None:
    """Fail when the copy imports a left-out part; warn when its text only mentions one."""
    left_out = {f"{options.package}.{name}" for name in options.omitted}
    mention = re.compile(
        rf"(?<![\w.]){re.escape(options.package)}\.({'|'.join(options.omitted)})(?!\w)"
    )
    problems = []
    for rel, data in rendered.files.items():
        if not rel.endswith((".py", ".pyi")):
            continue
        if not any(name.encode() in data for name in options.omitted):
            continue  # any reference to a left-out part spells its name
        package = ".".join((options.package, *PurePosixPath(rel).parent.parts))
        for node in ast.walk(ast.parse(data)):
            for module, line in _imported(node, package):
                if _inside(module, left_out):
                    problems.append(f"{rel}:{line} imports {module}, which is left out")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for match in mention.finditer(node.value):
                    line = node.lineno + node.value.count("\n", 0, match.start())
                    if _MODULE_STRING.fullmatch(node.value.strip()):
                        problems.append(
                            f"{rel}:{line} refers to {match.group(0)} "
                            f"({node.value.strip()!r}), which is left out"
                        )
                    else:
                        rendered.warnings.append(
                            f"{rel}:{line}: text mentions {match.group(0)}, "
                            "which is left out of this copy"
                        )
    if problems:
        raise VendorError(
            "the copy would reference parts it leaves out:\n  " + "\n  ".join(problems)
        )


def _imported(node: ast.AST, package: str) -> list[tuple[str, int]]:
    """Absolute module paths an import statement may load (``from m import x`` -> m, m.x)."""
    if isinstance(node, ast.Import):
        return [(alias.name, node.lineno) for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = package.split(".")
    if node.level:
        base = base[: len(base) - node.level + 1]
        module = ".".join([*base, node.module] if node.module else base)
    else:
        module = node.module or ""
    return [(module, node.lineno)] + [(f"{module}.{a.name}", node.lineno) for a in node.names]


def _inside(module: str, packages: set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)
