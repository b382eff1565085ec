"""Import cost in fresh interpreters: -X importtime totals and wall time, interleaved.

Method: for each round, one fresh interpreter per statement, in alternating
order, runs ``python -X importtime -c "<statement>"``; the sum of the self
times of every module it loads is its import cost (interpreter start-up
excluded; lazily loaded modules count when the statement touches them). The
same rounds also time ``python -c "<statement>"`` minus ``python -c "pass"``
(wall clock, noisier, but includes everything). Ratios are taken per round.

Every interpreter reads compiled bytecode, as an installed package does (pip
compiles it at install): the environment may set PYTHONDONTWRITEBYTECODE, and
this checkout's sources have no ``__pycache__``, so without a cache every
import of ours would be compiled from source while httpx's is not. The
children get a private PYTHONPYCACHEPREFIX, filled by one warm-up run.

Every interpreter first hides click, rich and pygments: when they are
installed (this dev environment has them, for the generator's CLI), ``import
httpx`` also loads its own command line, which would inflate the floor. A user
who installs only this library's runtime dependencies has none of them.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from .stats import Spread, ratios

FLOOR = "httpx"
OURS = "firecrawl_feedback"
ALTERNATIVES = ("firecrawl", "openai")
#: Label -> statement; the first two are the floor and ours (the issue's measure).
STATEMENTS = {
    FLOOR: "import httpx",
    OURS: "import firecrawl_feedback",
    "firecrawl_feedback + FeedbackClient": "from firecrawl_feedback import FeedbackClient",
    "httpx + attrs (floor with models)": "import httpx, attrs",
    "generated client alone": (
        "import firecrawl_feedback_api.models, firecrawl_feedback_api.api.feedback"
        ".submit_endpoint_feedback, firecrawl_feedback_api.api.feedback.submit_search_feedback"
    ),
}
_PRELUDE = 'import sys; sys.modules.update(dict.fromkeys(("click", "rich", "pygments"))); '
_CACHE = tempfile.mkdtemp(prefix="bench-pycache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _CACHE,
}

#: Must not be loaded by ``import firecrawl_feedback`` (also a test: test_import_weight.py).
LAZY = (
    "firecrawl_feedback._cli",
    "firecrawl_feedback.testing",
    "tqdm",
    "aiolimiter",
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


def _total_us(statement: str) -> int:
    return sum(_self_times(statement).values())


def _wall_s(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _PRELUDE + statement], check=True, env=_ENV)
    return time.perf_counter() - start


def _self_times(statement: str) -> dict[str, int]:
    """Self time (microseconds) of every module ``statement`` loads."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _PRELUDE + statement],
        capture_output=True,
        text=True,
        check=True,
        env=_ENV,
    )
    times = {}
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].split(":")[-1].strip().isdigit():
            times[parts[2].strip()] = int(parts[0].split(":")[-1])
    return times


def _beyond_floor(count: int = 15) -> tuple[int, list[tuple[str, int]]]:
    """What ours with the client loads that ``import httpx`` does not: total, top."""
    floor = _self_times(STATEMENTS[FLOOR])
    ours = _self_times(STATEMENTS["firecrawl_feedback + FeedbackClient"])
    extra = {name: us for name, us in ours.items() if name not in floor}
    top = sorted(extra.items(), key=lambda row: -row[1])[:count]
    return sum(extra.values()), top


def _eager_heavy() -> list[str]:
    script = _PRELUDE + f"import json, {OURS}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=_ENV
    ).stdout
    loaded = set(json.loads(out))
    return [name for name in LAZY if name in loaded]


def measure(rounds: int) -> ImportResult:
    present = [m for m in ALTERNATIVES if importlib.util.find_spec(m) is not None]
    missing = [m for m in ALTERNATIVES if m not in present]
    statements = {**STATEMENTS, **{m: f"import {m}" for m in present}}
    modules = list(statements)
    for statement in statements.values():  # compile everything into the cache first
        _wall_s(statement)
    imp: dict[str, list[float]] = {m: [] for m in modules}
    wall: dict[str, list[float]] = {m: [] for m in modules}
    for index in range(rounds):
        order = modules if index % 2 == 0 else modules[::-1]  # alternate who goes first
        for module in order:
            imp[module].append(_total_us(statements[module]))
        base = _wall_s("pass")
        for module in order:
            wall[module].append(_wall_s(statements[module]) - base)
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
