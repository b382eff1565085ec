"""Regenerate the canonical spec and the generated client from Firecrawl's docs.

    python scripts/regenerate.py                 # from openapi/sources/
    python scripts/regenerate.py --source PATH   # docs pages or full OpenAPI files, any language
    python scripts/regenerate.py --source DOCS   # a checkout of Firecrawl's docs repository
    python scripts/regenerate.py --check         # compare with what is committed

(Maintainers run it as `python3 scripts/dev.py regenerate ARGS`, in the locked environment.)

Exit status: 0 done (or, with --check, up to date); 1 --check found drift;
2 bad input (unreadable source, no spec in a file given by name, a front-matter
reference to a missing file or operation, no selected operation, sources that disagree).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from specsync import (
    agree,
    changelog,
    docsrepo,
    generate,
    overrides,
    prose,
    report,
    sources,
    yamlload,
)
from specsync.errors import SpecInputError
from specsync.extract import Fragment
from specsync.select import HTTP_METHODS, Selection, per_source, select

ROOT = Path(__file__).resolve().parent.parent
CANONICAL = Path("openapi/feedback-api.json")
LOCK = Path("openapi/spec.lock.json")
GENERATED = Path("generated") / generate.PACKAGE


def build(
    paths: list[Path], selection: Selection, project: Path = ROOT, docs_root: Path | None = None
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Sources -> (canonical spec, lock data, warnings). Raises SpecInputError."""
    return build_loaded(sources.load(paths, docs_root), selection, project)


def build_loaded(
    loaded: sources.Loaded, selection: Selection, project: Path = ROOT
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    fragments = loaded.fragments
    # Only sources holding selected operations take part, and only in what those reach.
    merged = agree.merge_fragments(per_source(fragments, selection))
    # Every merged operation was selected (their tags are the canonical ones now): check that
    # every $ref resolves.
    chosen = select(merged, None)
    dropped: list[str] = []
    bare = prose.strip(chosen, found=dropped)
    skipped: list[str] = []
    patched = overrides.apply(bare, _yaml(project / "openapi/overrides.yaml") or [], skipped)
    english = _yaml(project / "openapi/descriptions.yaml") or {}
    result = prose.apply_english(patched, english, dropped)
    spec = _sorted(result.document)
    warnings = [
        f"no English text for {ptr}; dropped (add it to openapi/descriptions.yaml)"
        for ptr in result.untranslated
    ]
    warnings += [f"{where}: skipped, it is about an unselected operation" for where in skipped]
    if result.unused:
        warnings.append(
            f"{len(result.unused)} entries of openapi/descriptions.yaml are about "
            "unselected operations or components; not used"
        )
    commits = {root: docsrepo.commit(root) for root in loaded.docs_roots()}
    lock = {
        "canonical_sha256": hashlib.sha256(_dump(spec).encode()).hexdigest(),
        "generator": {"name": "openapi-python-client", "version": generate.generator_version()},
        "selection": selection.as_dict(),
        "sources": [_lock_entry(f, selection, project, commits) for f in fragments],
    }
    return spec, lock, warnings


def _lock_entry(
    fragment: Fragment,
    selection: Selection,
    project: Path,
    commits: dict[Path, str | None],
) -> dict[str, Any]:
    root = fragment.docs_root
    entry: dict[str, Any] = {
        "path": _relative(fragment.path, root or project),
        "sha256": fragment.sha256,
        "language": fragment.language,
        "operations": sorted(
            f"{m.upper()} {p}"
            for p, item in fragment.document.get("paths", {}).items()
            if isinstance(item, dict)
            for m, op in item.items()
            if m in HTTP_METHODS and isinstance(op, dict) and selection.wants(op)
        ),
    }
    commit = commits.get(root) if root is not None else None
    if commit is not None:
        entry["docs_commit"] = commit
    return entry


def write(spec: dict[str, Any], lock: dict[str, Any], out: Path, project: Path = ROOT) -> None:
    # The client first: if the generator refuses the spec, the canonical spec
    # and the lock are left as they were, consistent with the client on disk.
    generate.generate(
        spec,
        config=project / "openapi/generator.yaml",
        ruff_config=project / "generated/ruff.toml",
        templates=project / "openapi/templates",
        out_dir=out / GENERATED.parent,
    )
    (out / CANONICAL).parent.mkdir(parents=True, exist_ok=True)
    (out / CANONICAL).write_text(_dump(spec), encoding="utf-8")
    (out / LOCK).write_text(_dump(lock), encoding="utf-8")


def compare(fresh: Path, committed: Path) -> list[str]:
    """Differences between two output trees: 'missing', 'extra' and 'changed' files."""
    problems: list[str] = []
    for name in (CANONICAL,):
        if not (committed / name).exists():
            problems.append(f"missing: {name}")
        elif not filecmp.cmp(fresh / name, committed / name, shallow=False):
            problems.append(f"changed: {name}")
    old_lock = _load_json(committed / LOCK)
    new_lock = _load_json(fresh / LOCK) or {}
    # Source paths, hashes and languages may differ (another language's pages);
    # what the output depends on may not.
    if old_lock is None:
        problems.append(f"missing: {LOCK}")
    else:
        problems += [
            f"changed: {LOCK} ({key})"
            for key in ("canonical_sha256", "generator", "selection")
            if old_lock.get(key) != new_lock.get(key)
        ]
    want = _tree(fresh / GENERATED)
    have = _tree(committed / GENERATED)
    problems += [f"missing: {GENERATED / p}" for p in sorted(want - have)]
    problems += [f"extra: {GENERATED / p}" for p in sorted(have - want)]
    problems += [
        f"changed: {GENERATED / p}"
        for p in sorted(want & have)
        if (fresh / GENERATED / p).read_bytes() != (committed / GENERATED / p).read_bytes()
    ]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source",
        action="append",
        type=Path,
        metavar="PATH",
        help="docs page, OpenAPI file or folder (repeatable; default: openapi/sources/)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and compare with the committed "
        "files; exit 1 on drift",
    )
    parser.add_argument(
        "--tag",
        action="append",
        metavar="TAG",
        help="select operations with this tag (repeatable; default: Feedback)",
    )
    parser.add_argument(
        "--operation-id",
        action="append",
        metavar="ID",
        help="also select this operationId (repeatable; default without --tag: "
        f"{', '.join(Selection().operation_ids)})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT,
        metavar="DIR",
        help="project root to write into, or to compare with under --check "
        "(default: this checkout)",
    )
    parser.add_argument(
        "--docs-root",
        type=Path,
        metavar="DIR",
        help="the docs checkout that front-matter spec paths start from "
        f"(default: the nearest folder holding {docsrepo.MARKER})",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="list the files skipped in folders, and why"
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the change report as Markdown (a pull request description)",
    )
    parser.add_argument(
        "--report-json", type=Path, metavar="FILE", help="write the change report as JSON"
    )
    args = parser.parse_args(argv)
    paths = args.source or [ROOT / "openapi/sources"]
    # The default ids stand in for the Feedback tag where a language translates it: --tag
    # alone selects by tag alone.
    default = Selection()
    ids = args.operation_id or (() if args.tag else default.operation_ids)
    selection = Selection(tuple(args.tag or default.tags), tuple(ids))
    started = time.perf_counter()
    if args.docs_root is not None and not args.docs_root.is_dir():
        print(f"error: --docs-root {args.docs_root}: no such folder", file=sys.stderr)
        return SpecInputError.exit_code
    try:
        loaded = sources.load(paths, args.docs_root)
        _print_skipped(loaded, args.verbose)
        spec, lock, warnings = build_loaded(loaded, selection)
    except SpecInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except RecursionError:
        # Every step walks the documents recursively; no real spec nests this deep.
        print("error: the OpenAPI documents are nested too deeply to process", file=sys.stderr)
        return SpecInputError.exit_code
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _print_sources(lock)
    try:
        _report_changes(args, spec, lock)
        if args.check:
            return _check(spec, lock, args.out, started)
        write(spec, lock, args.out)
    except (SpecInputError, OSError) as exc:
        if isinstance(exc, OSError):  # --out, --report or --report-json cannot be written
            message = f"cannot write {exc.filename}: {exc.strerror}"
        else:  # the generator's: about the spec the sources gave
            paths = [source["path"] for source in lock["sources"]]
            more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
            message = f"{paths[0]}{more}: {exc}"
        print(f"error: {message}", file=sys.stderr)
        return SpecInputError.exit_code
    elapsed = time.perf_counter() - started
    files = len(_tree(args.out / GENERATED))
    print(
        f"wrote {CANONICAL}, {LOCK} and {files} files in {GENERATED}/ "
        f"(regeneration took {elapsed:.2f} s)"
    )
    return 0


def _check(spec: dict[str, Any], lock: dict[str, Any], out: Path, started: float) -> int:
    with tempfile.TemporaryDirectory(prefix="regenerate-check-") as tmp:
        write(spec, lock, Path(tmp))
        problems = compare(Path(tmp), out)
    elapsed = time.perf_counter() - started
    if problems:
        print("drift: the committed files differ from a fresh regeneration:")
        for problem in problems:
            print(f"  {problem}")
        print(f"check took {elapsed:.2f} s")
        return 1
    print(
        f"up to date: {CANONICAL} and {GENERATED}/ match the sources (check took {elapsed:.2f} s)"
    )
    return 0


def _print_sources(lock: dict[str, Any]) -> None:
    print(f"sources ({len(lock['sources'])} fragments):")
    for source in lock["sources"]:
        ops = ", ".join(source["operations"]) or "no selected operation"
        print(f"  {source['path']} [{source['language']}] {ops}")


def _print_skipped(loaded: sources.Loaded, verbose: bool) -> None:
    if verbose:
        for ref in loaded.references:
            print(f"page {ref.page}: {ref.spec} {ref.operation}")
        for skipped in loaded.skipped:
            print(f"skipped {skipped.path}: {skipped.reason}")
    elif loaded.skipped:
        binary = sum(s.reason == "binary" for s in loaded.skipped)
        print(
            f"skipped {len(loaded.skipped)} files with no spec ({binary} binary); "
            "--verbose lists them"
        )


def _report_changes(args: argparse.Namespace, spec: dict[str, Any], lock: dict[str, Any]) -> None:
    """Print what changed against the committed spec; write the report files asked for."""
    old = _load_json(args.out / CANONICAL)
    changes = report.diff(old or {}, spec)
    if old is not None and old != spec:
        print(f"changes against the committed {CANONICAL}:")
        for line in [str(c) for c in changes] or ["(prose or layout only)"]:
            print(f"  {line}")
    state = changelog.status(old, spec, changes)
    ordered = changelog.ordered(changes)
    if args.report is not None:
        args.report.write_text(changelog.markdown(ordered, state, lock), encoding="utf-8")
    if args.report_json is not None:
        args.report_json.write_text(changelog.as_json(ordered, state, lock), encoding="utf-8")


def _tree(root: Path) -> set[Path]:
    if not root.exists():
        return set()
    return {
        p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }


def _sorted(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _sorted(node[k], k) for k in sorted(node)}
    if isinstance(node, list):
        # A schema's required list is a set (the sources may list it in any
        # order); without sorting, the first source's order would leak out.
        if key == "required" and all(isinstance(v, str) for v in node):
            return sorted(node)
        return [_sorted(v) for v in node]
    return node


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return yamlload.load(text)
    except YAMLError as exc:
        line, reason = yamlload.problem(exc, text)
        raise SpecInputError(f"{path}: not valid YAML (line {line + 1}: {reason})") from None


def _load_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


if __name__ == "__main__":
    raise SystemExit(main())
