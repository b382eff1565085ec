"""Wall time of scripts/regenerate.py (into a temporary folder) and of its --check."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .stats import Spread

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "regenerate.py"


def _seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, Spread]:
    """Regeneration never writes into the checkout: it goes to a temporary --out folder."""
    full: list[float] = []
    check: list[float] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="bench-regen-") as tmp:
            full.append(_seconds(["--out", tmp]))
        check.append(_seconds(["--check"]))
    return {"regenerate (into a temp dir)": Spread.of(full), "regenerate --check": Spread.of(check)}
