"""Import cost in fresh interpreters: -X importtime totals and wall time, interleaved.

Method: for each round, one fresh interpreter per module, in alternating
order, runs ``python -X importtime -c "import M"``; the cumulative time on
M's own top-level line is M's import cost (interpreter start-up excluded).
The same rounds also time ``python -c "import M"`` minus ``python -c "pass"``
(wall clock, noisier, but includes everything). Ratios are taken per round.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from dataclasses import dataclass

from .stats import Spread, ratios

FLOOR = "httpx"
OURS = "firecrawl_feedback"
ALTERNATIVES = ("firecrawl", "openai")
#: Must not be loaded by ``import firecrawl_feedback`` (also a test: test_import_weight.py).
LAZY = (
    "firecrawl_feedback._cli",
    "firecrawl_feedback.testing",
    "tqdm",
    "aiolimiter",
    "stamina",
    "tenacity",
    "jsonschema",
    "http.server",
)


@dataclass
class ImportResult:
    rounds: int
    importtime_us: dict[str, Spread]
    wall_ms: dict[str, Spread]
    ratio_importtime: dict[str, Spread]
    ratio_wall: dict[str, Spread]
    missing: list[str]
    eager_heavy: list[str]
    beyond_floor_us: int
    beyond_floor_top: list[tuple[str, int]]


def _cumulative_us(module: str) -> int:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].rstrip() == f" {module}":
            return int(parts[1])
    raise RuntimeError(f"no importtime line for {module}")


def _wall_s(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def _self_times(module: str) -> dict[str, int]:
    """Self time (microseconds) of every module ``import module`` loads."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    times = {}
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].split(":")[-1].strip().isdigit():
            times[parts[2].strip()] = int(parts[0].split(":")[-1])
    return times


def _beyond_floor(count: int = 15) -> tuple[int, list[tuple[str, int]]]:
    """What ``import firecrawl_feedback`` loads that ``import httpx`` does not: total, top."""
    floor = _self_times(FLOOR)
    ours = _self_times(OURS)
    extra = {name: us for name, us in ours.items() if name not in floor}
    top = sorted(extra.items(), key=lambda row: -row[1])[:count]
    return sum(extra.values()), top


def _eager_heavy() -> list[str]:
    script = f"import json, sys, {OURS}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    return [name for name in LAZY if name in loaded]


def measure(rounds: int) -> ImportResult:
    present = [m for m in ALTERNATIVES if importlib.util.find_spec(m) is not None]
    missing = [m for m in ALTERNATIVES if m not in present]
    modules = [FLOOR, OURS, *present]
    imp: dict[str, list[float]] = {m: [] for m in modules}
    wall: dict[str, list[float]] = {m: [] for m in modules}
    for index in range(rounds):
        order = modules if index % 2 == 0 else modules[::-1]  # alternate who goes first
        for module in order:
            imp[module].append(_cumulative_us(module))
        base = _wall_s("pass")
        for module in order:
            wall[module].append(_wall_s(f"import {module}") - base)
    beyond_total, beyond_top = _beyond_floor()
    return ImportResult(
        rounds=rounds,
        importtime_us={m: Spread.of(v) for m, v in imp.items()},
        wall_ms={m: Spread.of([x * 1000 for x in v]) for m, v in wall.items()},
        ratio_importtime={m: ratios(imp[m], imp[FLOOR]) for m in modules if m != FLOOR},
        ratio_wall={m: ratios(wall[m], wall[FLOOR]) for m in modules if m != FLOOR},
        missing=missing,
        eager_heavy=_eager_heavy(),
        beyond_floor_us=beyond_total,
        beyond_floor_top=beyond_top,
    )
