"""Writing, replacing, refusing and checking copies with scripts/vendor.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from vendoring.names import STAMP_FILE

from .conftest import PACKAGE, ROOT, VendorRun


def _copy(into: Path, package: str = PACKAGE) -> Path:
    return into.joinpath(*package.split("."))


def test_script_runs_from_the_command_line(tmp_path: Path) -> None:
    """`python3 scripts/vendor.py --into DIR --package NAME` writes the copy and reports it."""
    result = subprocess.run(
        [sys.executable, "scripts/vendor.py", "--into", str(tmp_path), "--package", PACKAGE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (_copy(tmp_path) / "_generated" / "client.py").is_file()
    assert "rewrote " in result.stdout
    assert "left out: _cli/, testing/" in result.stdout
    # What the copy imports and the vendoring package must declare, as pyproject says it.
    assert '  your package must depend on: "httpx>=' in result.stdout
    assert '"ada-url>=' in result.stdout


def test_missing_parent_packages_get_an_empty_init_and_existing_ones_are_kept(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """Only missing intermediate __init__.py files are created, and the output names them."""
    (tmp_path / "acme_sdk").mkdir()
    (tmp_path / "acme_sdk" / "__init__.py").write_text("AUTHOR = 'acme'\n", encoding="utf-8")
    run = run_vendor("--into", tmp_path, "--package", PACKAGE)
    assert run.code == 0, run.err
    assert (tmp_path / "acme_sdk" / "__init__.py").read_text(
        encoding="utf-8"
    ) == "AUTHOR = 'acme'\n"
    assert (tmp_path / "acme_sdk" / "_vendor" / "__init__.py").read_bytes() == b""
    assert f"created {tmp_path / 'acme_sdk' / '_vendor' / '__init__.py'}" in run.out
    assert f"created {tmp_path / 'acme_sdk' / '__init__.py'}" not in run.out


def test_revendoring_replaces_the_copy_without_stale_files(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """A file planted in a previous copy is gone after vendoring again."""
    assert run_vendor("--into", tmp_path, "--package", PACKAGE).code == 0
    stale = _copy(tmp_path) / "_stale_module.py"
    stale.write_text("import firecrawl_feedback\n", encoding="utf-8")
    (_copy(tmp_path) / "_generated" / "__pycache__").mkdir()
    run = run_vendor("--into", tmp_path, "--package", PACKAGE)
    assert run.code == 0, run.err
    assert "replaced the previous copy" in run.out
    assert not stale.exists()
    assert not (_copy(tmp_path) / "_generated" / "__pycache__").exists()
    assert [p.name for p in _copy(tmp_path).parent.iterdir() if p.name.startswith(".")] == []


def test_refuses_to_replace_a_folder_that_is_not_a_copy(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """A folder without our stamp is left exactly as it was; exit 2 with a clear error."""
    theirs = _copy(tmp_path)
    theirs.mkdir(parents=True)
    (theirs / "precious.py").write_text("KEEP = True\n", encoding="utf-8")
    (theirs / STAMP_FILE).write_text('{"vendored": "something else"}\n', encoding="utf-8")
    run = run_vendor("--into", tmp_path, "--package", PACKAGE)
    assert run.code == 2
    assert f"refusing to replace {theirs}" in run.err
    assert "not a copy made by scripts/vendor.py" in run.err
    assert sorted(p.name for p in theirs.iterdir()) == [STAMP_FILE, "precious.py"]
    assert not (tmp_path / "acme_sdk" / "__init__.py").exists()  # refused before any change


def test_an_empty_folder_at_the_target_is_filled(tmp_path: Path, run_vendor: VendorRun) -> None:
    """A folder made ready for the copy (empty) holds nothing to lose; the copy goes there."""
    _copy(tmp_path).mkdir(parents=True)
    run = run_vendor("--into", tmp_path, "--package", PACKAGE)
    assert run.code == 0, run.err
    assert (_copy(tmp_path) / STAMP_FILE).is_file()
    assert run_vendor("--into", tmp_path, "--package", PACKAGE, "--check").code == 0


@pytest.mark.parametrize("check", [(), ("--check",)])
def test_a_copy_inside_a_previous_copy_is_refused(
    tmp_path: Path, run_vendor: VendorRun, check: tuple[str, ...]
) -> None:
    """The outer copy's next vendoring would delete the inner one; exit 2, the outer untouched."""
    assert run_vendor("--into", tmp_path, "--package", PACKAGE).code == 0
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for inner in (f"{PACKAGE}.inner", f"{PACKAGE}._generated.inner"):
        run = run_vendor("--into", tmp_path, "--package", inner, *check)
        assert run.code == 2
        assert run.err == (
            f"error: --package {inner}: inside the vendored copy at {_copy(tmp_path)}, which "
            "its next vendoring replaces whole; choose a package outside it\n"
        )
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert run_vendor("--into", tmp_path, "--package", PACKAGE, "--check").code == 0


def test_check_is_0_when_current_and_1_when_missing_or_edited(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """--check: missing -> 1, fresh -> 0 (even after Python wrote bytecode), edited file -> 1."""
    missing = run_vendor("--into", tmp_path, "--package", PACKAGE, "--check")
    assert missing.code == 1
    assert "missing: no copy at" in missing.out
    assert run_vendor("--into", tmp_path, "--package", PACKAGE).code == 0
    (_copy(tmp_path) / "__pycache__").mkdir()
    (_copy(tmp_path) / "__pycache__" / "_api.cpython-311.pyc").write_bytes(b"\0")
    current = run_vendor("--into", tmp_path, "--package", PACKAGE, "--check")
    assert current.code == 0, current.out
    assert "current:" in current.out
    with (_copy(tmp_path) / "_types.py").open("a", encoding="utf-8") as file:
        file.write("# local tweak\n")
    edited = run_vendor("--into", tmp_path, "--package", PACKAGE, "--check")
    assert edited.code == 1
    assert "edited: the files no longer match the content hash" in edited.out
    assert "changed: _types.py" in edited.out


def test_check_reports_a_changed_source_and_different_options(
    tmp_path: Path, source_root: Path, run_vendor: VendorRun
) -> None:
    """--check against a modified source lists the changed file; other options show in the stamp."""
    into = tmp_path / "sdk"
    into.mkdir()
    args = ("--into", into, "--package", PACKAGE, "--source-root", source_root)
    assert run_vendor(*args).code == 0
    assert run_vendor(*args, "--check").code == 0
    with (source_root / "wrapper/firecrawl_feedback/_urls.py").open("a", encoding="utf-8") as file:
        file.write("\nNEW_CONSTANT = 1\n")
    changed = run_vendor(*args, "--check")
    assert changed.code == 1
    assert "changed: _urls.py" in changed.out
    assert "edited:" not in changed.out  # the copy itself is as it was written
    other = run_vendor(*args, "--with-testing", "--check")
    assert other.code == 1
    assert (
        'stamp options: {"logger_name": null, "user_agent_product": null, "with_testing": false}'
        in other.out
    )
    assert "missing: testing/__init__.py" in other.out


def test_check_reports_a_new_spec_hash(
    tmp_path: Path, source_root: Path, run_vendor: VendorRun
) -> None:
    """A regenerated spec (new hash in spec.lock.json) makes the copy stale."""
    args = ("--into", tmp_path, "--package", PACKAGE, "--source-root", source_root)
    assert run_vendor(*args).code == 0
    lock_path = source_root / "openapi/spec.lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    old, lock["canonical_sha256"] = lock["canonical_sha256"], "0" * 64
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    run = run_vendor(*args, "--check")
    assert run.code == 1
    assert f'stamp spec_sha256: "{old}" in the copy, "{"0" * 64}" now' in run.out


def test_check_on_a_folder_that_is_not_a_copy_is_stale(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """A folder without a stamp is reported (exit 1), never treated as current."""
    _copy(tmp_path).mkdir(parents=True)
    run = run_vendor("--into", tmp_path, "--package", PACKAGE, "--check")
    assert run.code == 1
    assert "not a vendored copy" in run.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--package", "firecrawl_feedback._vendor"), "must not be 'firecrawl_feedback'"),
        (("--package", "firecrawl_feedback_api"), "must not be 'firecrawl_feedback_api'"),
        (("--package", "acme.class.ffb"), "'class' is not a Python identifier"),
        (("--package", "acme..ffb"), "'' is not a Python identifier"),
        (("--package", "acme.__init__"), "'__init__' is a name Python reserves"),
        (("--package", PACKAGE, "--logger-name", "a logger"), "--logger-name"),
        (("--package", PACKAGE, "--user-agent-product", "acme/1.0"), "not an HTTP token"),
    ],
)
def test_bad_arguments_exit_2(
    tmp_path: Path, run_vendor: VendorRun, args: tuple[str, ...], message: str
) -> None:
    """Unusable package names and option values are refused with exit 2, writing nothing."""
    run = run_vendor("--into", tmp_path, *args)
    assert run.code == 2
    assert message in run.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("check", [(), ("--check",)])
def test_missing_into_folder_exits_2(
    tmp_path: Path, run_vendor: VendorRun, check: tuple[str, ...]
) -> None:
    """--into must be an existing folder, with or without --check."""
    run = run_vendor("--into", tmp_path / "nowhere", "--package", PACKAGE, *check)
    assert run.code == 2
    assert "no such folder" in run.err


def test_missing_required_argument_exits_2(run_vendor: VendorRun) -> None:
    """argparse's own usage errors also exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        run_vendor("--package", PACKAGE)
    assert exit_info.value.code == 2


def test_copy_inside_its_own_source_is_refused(source_root: Path, run_vendor: VendorRun) -> None:
    """Vendoring into the source package itself would copy the copy; refused with exit 2."""
    run = run_vendor(
        "--into", source_root / "wrapper", "--package", "acme.inner", "--source-root", source_root
    )
    assert run.code == 0  # a sibling of the source package is fine...
    nested = run_vendor(
        "--into",
        source_root / "wrapper/firecrawl_feedback",
        "--package",
        "acme",
        "--source-root",
        source_root,
    )
    assert nested.code == 2  # ...inside it is not
    assert "overlap its source" in nested.err


def test_an_import_of_a_left_out_part_is_refused(
    tmp_path: Path, source_root: Path, run_vendor: VendorRun
) -> None:
    """A module importing the CLI (even lazily, inside a function) makes vendoring fail, exit 2."""
    module = source_root / "wrapper/firecrawl_feedback/_urls.py"
    with module.open("a", encoding="utf-8") as file:
        file.write("\n\ndef _main() -> None:\n    from ._cli import main  # noqa\n\n    main()\n")
    run = run_vendor("--into", tmp_path, "--package", PACKAGE, "--source-root", source_root)
    assert run.code == 2
    assert f"imports {PACKAGE}._cli, which is left out" in run.err
    assert not _copy(tmp_path).exists()


def test_an_entry_point_string_to_a_left_out_part_is_refused(
    tmp_path: Path, source_root: Path, run_vendor: VendorRun
) -> None:
    """A string naming a left-out module (``"firecrawl_feedback._cli:main"``) is refused too."""
    module = source_root / "wrapper/firecrawl_feedback/_urls.py"
    with module.open("a", encoding="utf-8") as file:
        file.write('\nENTRY = "firecrawl_feedback._cli:main"\n')
    run = run_vendor("--into", tmp_path, "--package", PACKAGE, "--source-root", source_root)
    assert run.code == 2
    assert f"refers to {PACKAGE}._cli ('{PACKAGE}._cli:main')" in run.err


def test_logger_name_and_user_agent_can_be_overridden(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """--logger-name and --user-agent-product rewrite only those constants; env names stay."""
    run = run_vendor(
        "--into",
        tmp_path,
        "--package",
        PACKAGE,
        "--logger-name",
        "acme_sdk.feedback",
        "--user-agent-product",
        "acme-sdk-feedback",
    )
    assert run.code == 0, run.err
    defaults = (_copy(tmp_path) / "_defaults.py").read_text(encoding="utf-8")
    original = (ROOT / "wrapper/firecrawl_feedback/_defaults.py").read_text(encoding="utf-8")
    assert 'LOGGER_NAME: Final = "acme_sdk.feedback"' in defaults
    assert 'USER_AGENT_PRODUCT: Final = "acme-sdk-feedback"' in defaults
    assert 'ENV_API_KEY: Final = "FIRECRAWL_API_KEY"' in defaults
    changed = [
        a for a, b in zip(original.splitlines(), defaults.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 2


def test_default_logger_is_a_child_of_the_vendoring_package(
    tmp_path: Path, run_vendor: VendorRun
) -> None:
    """Without options the logger is named after the copy, and the User-Agent product is kept."""
    assert run_vendor("--into", tmp_path, "--package", PACKAGE).code == 0
    defaults = (_copy(tmp_path) / "_defaults.py").read_text(encoding="utf-8")
    assert f'LOGGER_NAME: Final = "{PACKAGE}"' in defaults
    assert 'USER_AGENT_PRODUCT: Final = "firecrawl-feedback-python"' in defaults
