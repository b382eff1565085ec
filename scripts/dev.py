"""Set up the project's virtual environment from the lock file, then run a task.

    python3 scripts/dev.py demo     # the main job on embedded defaults (no key, no internet)
    python3 scripts/dev.py test     # the whole test suite (pytest; includes mypy, ruff, drift)
    python3 scripts/dev.py regenerate [ARGS]  # spec sync: scripts/regenerate.py ARGS
    python3 scripts/dev.py lock     # re-resolve requirements/dev.lock (needs `uv` on PATH)

Needs only Python 3.11+ with pip. The environment lives in .venv/ and is
rebuilt whenever requirements/dev.lock or pyproject.toml changes. Arguments
after the task go to it (pytest's, or regenerate.py's: --source ~/firecrawl-docs
--report pr.md); regenerate runs in the caller's folder, so relative paths work.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "dev.lock"
STAMP = VENV / ".installed-from"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
PRISM_DIR = ROOT / "tests" / "conformance" / "prism"
# zod and uuid, the server's validation libraries, for the validation parity tests.
ZOD_DIR = ROOT / "tests" / "conformance" / "zod"
# pyright, the checker under VS Code's Pylance, for the IDE typing tests.
PYRIGHT_DIR = ROOT / "tests" / "conformance" / "pyright"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for file in (LOCK, ROOT / "pyproject.toml"):
        digest.update(file.read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    wanted = _fingerprint()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    print(f"setting up {VENV.relative_to(ROOT)}/ from {LOCK.relative_to(ROOT)} ...", flush=True)
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    _run([*pip, "install", "--require-hashes", "--no-deps", "-r", str(LOCK)])
    _run([*pip, "install", "--no-deps", "--no-build-isolation", "--editable", str(ROOT)])
    STAMP.write_text(wanted + "\n")


def ensure_prism() -> None:
    """Install the locked Prism mock server for the conformance tests when npm is here."""
    _npm_ci(PRISM_DIR, "Prism")


def ensure_zod() -> None:
    """Install the locked zod and uuid for the validation parity tests when npm is here."""
    _npm_ci(ZOD_DIR, "zod")


def ensure_pyright() -> None:
    """Install the locked pyright for the IDE typing tests when npm is here."""
    _npm_ci(PYRIGHT_DIR, "pyright")


def _npm_ci(folder: Path, what: str) -> None:
    lock = folder / "package-lock.json"
    stamp = folder / "node_modules" / ".installed-from"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        print(
            f"notice: node/npm not found; the {what} conformance tests will be skipped "
            "(install Node.js 20+ to run them)",
            flush=True,
        )
        return
    print(f"installing {what} from {lock.relative_to(ROOT)} (npm ci) ...", flush=True)
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=folder, check=False
    )
    if result.returncode != 0:
        print(f"notice: npm ci failed; the {what} conformance tests will be skipped", flush=True)
        return
    stamp.write_text(wanted + "\n")


def _run(command: list[str]) -> None:
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "regenerate", "lock"}:
        print(__doc__, file=sys.stderr)
        return 2
    task, rest = argv[0], argv[1:]
    if task == "lock":
        return subprocess.call(
            [
                "uv",
                "pip",
                "compile",
                "pyproject.toml",
                "--extra",
                "dev",
                "--extra",
                "cli",
                "--generate-hashes",
                "--universal",
                "--python-version",
                "3.11",
                "--custom-compile-command",
                "python3 scripts/dev.py lock",
                "-o",
                str(LOCK.relative_to(ROOT)),
                *rest,
            ],
            cwd=ROOT,
        )
    ensure_venv()
    if task == "regenerate":
        # The generator and ruamel.yaml are locked dev dependencies: run in .venv.
        return subprocess.call([str(PYTHON), str(ROOT / "scripts" / "regenerate.py"), *rest])
    if task == "demo":
        script = BIN / ("firecrawl-feedback.exe" if os.name == "nt" else "firecrawl-feedback")
        command = [str(script), "demo", *rest]
    else:
        ensure_prism()
        ensure_zod()
        ensure_pyright()
        command = [str(PYTHON), "-m", "pytest", *rest]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
