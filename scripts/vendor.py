"""Vendor the client into another package: a renamed, self-contained copy with no import clash.

    python3 scripts/vendor.py --into src --package acme_sdk._vendor.firecrawl_feedback
    python3 scripts/vendor.py --into src --package acme_sdk._vendor.firecrawl_feedback --check

writes src/acme_sdk/_vendor/firecrawl_feedback/: the wrapper (without its CLI
and, unless --with-testing, without the reference server), the generated
client as its _generated/ subpackage, py.typed, and a _vendored.json stamp.
Every reference to firecrawl_feedback and firecrawl_feedback_api is rewritten.

Exit status: 0 written (with --check: the copy is current); 1 --check found
the copy missing or stale; 2 bad arguments, or a target that is not a
previous copy (it is never deleted).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vendoring import compare, install, stamp
from vendoring.errors import VendorError
from vendoring.names import GENERATED_SUBPACKAGE, validate_package
from vendoring.render import Options, Rendered, render, source_packages

ROOT = Path(__file__).resolve().parent.parent
_LOGGER_NAME = re.compile(r"[A-Za-z_][\w.-]*")
_PRODUCT_TOKEN = re.compile(r"[A-Za-z0-9!#$%&*+.^_|~-]+")  # RFC 9110 token, quotes excluded


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(args_list)
    try:
        options = _options(args)
        source_root = args.source_root.resolve()
        _check_target(args.into, options.package, source_root)
        rendered = render(source_root, options)
        command = shlex.join(
            ["python3", "scripts/vendor.py", *(a for a in args_list if a != "--check")]
        )
        stamp_data = stamp.make(source_root, options, rendered, command)
        target = install.target_folder(args.into, options.package)
        if args.check:
            return _report_check(target, rendered, stamp_data)
        installed = install.install(
            args.into, options.package, rendered.files, stamp.dump(stamp_data)
        )
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    _report_written(installed, rendered, stamp_data, options)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="See the module docstring for exit statuses."
    )
    parser.add_argument(
        "--into",
        type=Path,
        required=True,
        metavar="DIR",
        help="existing folder the package path starts from (for example src)",
    )
    parser.add_argument(
        "--package",
        required=True,
        metavar="DOTTED.NAME",
        help="the copy's import name (for example acme_sdk._vendor.firecrawl_feedback)",
    )
    parser.add_argument(
        "--with-testing",
        action="store_true",
        help="also copy the reference server (the copy's .testing subpackage)",
    )
    parser.add_argument(
        "--logger-name",
        metavar="NAME",
        help="logger the copy logs to (default: the --package name, under your package's logger)",
    )
    parser.add_argument(
        "--user-agent-product",
        metavar="TOKEN",
        help="product token of the User-Agent header (default: firecrawl-feedback-python)",
    )
    parser.add_argument(
        "--source-root",
        type=Path,
        default=ROOT,
        metavar="DIR",
        help="checkout of this project to copy from (default: this one)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 0 if the copy is current, 1 (listing what differs) if not",
    )
    return parser


def _options(args: argparse.Namespace) -> Options:
    if args.logger_name is not None and not _LOGGER_NAME.fullmatch(args.logger_name):
        raise VendorError(f"--logger-name {args.logger_name!r}: use letters, digits, _ . -")
    if args.user_agent_product is not None and not _PRODUCT_TOKEN.fullmatch(
        args.user_agent_product
    ):
        raise VendorError(
            f"--user-agent-product {args.user_agent_product!r}: not an HTTP token "
            "(no spaces, slashes or quotes; the version is appended as /VERSION)"
        )
    return Options(
        package=validate_package(args.package),
        with_testing=args.with_testing,
        logger_name=args.logger_name,
        user_agent_product=args.user_agent_product,
    )


def _check_target(into: Path, package: str, source_root: Path) -> None:
    if not into.is_dir():
        raise VendorError(f"--into {into}: no such folder")
    enclosing = install.enclosing_copy(into, package)
    if enclosing is not None:
        raise VendorError(
            f"--package {package}: inside the vendored copy at {enclosing}, which its next "
            "vendoring replaces whole; choose a package outside it"
        )
    target = install.target_folder(into, package).resolve()
    for source in source_packages(source_root):
        if target.is_relative_to(source) or source.is_relative_to(target):
            raise VendorError(f"--into/--package: the copy would overlap its source {source}")


def _report_check(target: Path, rendered: Rendered, stamp_data: dict[str, object]) -> int:
    problems = compare.differences(target, rendered.files, stamp_data)
    if not problems:
        print(f"current: {target} matches a fresh copy ({len(rendered.files)} files)")
        return 0
    print(f"stale: {target} differs from a fresh copy; re-run without --check:")
    for problem in problems:
        print(f"  {problem}")
    return 1


def _report_written(
    installed: install.Installed,
    rendered: Rendered,
    stamp_data: dict[str, Any],
    options: Options,
) -> None:
    verb = "replaced the previous copy at" if installed.replaced else "wrote"
    print(
        f"{verb} {installed.target}/ ({len(rendered.files)} files, firecrawl-feedback "
        f"{stamp_data['project_version']}; generated client in {GENERATED_SUBPACKAGE}/)"
    )
    for init in installed.created_inits:
        print(f"  created {init} (empty; the intermediate package had none)")
    hint = "" if options.with_testing else " (pass --with-testing for the reference server)"
    print(f"  left out: {', '.join(f'{p}/' for p in options.omitted)}{hint}")
    files = ", ".join(f"{path} ({n})" for path, n in sorted(rendered.changed_lines.items()))
    print(
        f"  rewrote {rendered.total_changed_lines} lines in {len(rendered.changed_lines)} "
        f"files: {files or 'none'}"
    )
    requirements = ", ".join(map(json.dumps, stamp_data["dependencies"]))
    plugin = " (and pytest, for testing.pytest_plugin)" if options.with_testing else ""
    print(f"  your package must depend on: {requirements}{plugin}")
    for warning in rendered.warnings:
        print(f"  warning: {warning}")


if __name__ == "__main__":
    raise SystemExit(main())
