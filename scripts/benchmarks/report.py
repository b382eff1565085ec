"""The Markdown results block (for the README), section by section."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from collections import defaultdict

from .batch import CONCURRENCY, ThroughputResult
from .calls import GENERATED, RAW, VIA_HTTP_CLIENT, VIA_TRANSPORT, CallResult
from .imports import FLOOR, OURS, ImportResult
from .stats import Spread, verdict

#: The issue's targets (issue 10): at most this many times raw httpx.
IMPORT_TARGET = 1.25
CALL_TARGET = 1.35
LOOPBACK_TARGET = 1.10


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _ratio(spread: Spread) -> str:
    return spread.show(digits=2, unit="x")


def _meets(ratio: Spread, target: float) -> str:
    return "meets target" if ratio.median <= target else "MISSES target"


class Report:
    """Collects each section's lines; ``markdown()`` joins them under a machine header."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def imports(self, r: ImportResult) -> None:
        ratio = r.ratio_importtime[OURS]
        with_client = "firecrawl_feedback + FeedbackClient"
        self.lines += [
            f"### Import cost ({r.rounds} fresh interpreters each, alternating)",
            "",
            "| statement | -X importtime, all modules loaded | wall minus `python -c pass` |",
            "|---|---|---|",
        ]
        for module in r.importtime_us:
            self.lines.append(
                f"| `{module}` | {r.importtime_us[module].show(1e-3, 1, ' ms')} "
                f"| {r.wall_ms[module].show(1, 1, ' ms')} |"
            )
        for module in r.missing:
            self.lines.append(f"| `{module}` | not installed | not installed |")
        self.lines += [
            "",
            f"`from {OURS} import FeedbackClient` / `import {FLOOR}`: "
            f"{_ratio(r.ratio_wall[with_client])} by wall time "
            f"(target at most {IMPORT_TARGET:.2f}x: "
            f"{_meets(r.ratio_wall[with_client], IMPORT_TARGET)}), "
            f"{_ratio(r.ratio_importtime[with_client])} by importtime. "
            f"`import {OURS}` alone: {_ratio(r.ratio_wall[OURS])} by wall time, "
            f"{_ratio(ratio)} by importtime. The generated models load on a client's "
            "construction; for comparison, the generated client alone: "
            f"{_ratio(r.ratio_importtime['generated client alone'])}, httpx with attrs: "
            f"{_ratio(r.ratio_importtime['httpx + attrs (floor with models)'])} (importtime).",
            "",
            "Loaded eagerly that should not be: "
            + (", ".join(f"`{m}`" for m in r.eager_heavy) or "nothing")
            + " (checked: CLI, reference server, tqdm, aiolimiter, "
            "jsonschema, http.server).",
            "",
        ]
        groups: dict[str, int] = defaultdict(int)
        for name, us in r.beyond_floor_top:
            groups[name.split(".")[0]] += us
        top = ", ".join(f"`{name}` {us / 1000:.1f} ms" for name, us in r.beyond_floor_top[:8])
        self.lines += [
            f"Beyond `import httpx`, `from {OURS} import FeedbackClient` loads (one sample) "
            f"{r.beyond_floor_us / 1000:.1f} ms of modules (self time); the largest: {top}.",
            "",
        ]

    def _contenders(self, r: CallResult, labels: dict[str, str], target: float) -> None:
        self.lines += ["| contender | us per call | vs raw httpx |", "|---|---|---|"]
        for name, label in labels.items():
            ratio = "1.00x" if name == RAW else _ratio(r.ratios[name])
            self.lines.append(f"| {label} | {r.seconds[name].show(1e6, 1)} | {ratio} |")
        verdicts = ", ".join(
            f"{labels[name]} {_meets(r.ratios[name], target)}"
            for name in (VIA_TRANSPORT, VIA_HTTP_CLIENT)
        )
        self.lines += ["", f"Wrapper vs raw, target at most {target:.2f}x: {verdicts}.", ""]

    def calls(self, r: CallResult, profile: str | None) -> None:
        self.lines += [
            f"### Client-side cost per call ({r.count} sync calls x {r.rounds} rounds, "
            "httpx.MockTransport)",
            "",
        ]
        labels = {
            RAW: "raw `httpx.Client.post` (json=)",
            GENERATED: "bare generated `sync_detailed` (prebuilt model)",
            VIA_TRANSPORT: "`FeedbackClient(transport=mock).scrape`",
            VIA_HTTP_CLIENT: "`FeedbackClient(http_client=httpx.Client(transport=mock)).scrape`",
        }
        self._contenders(r, labels, CALL_TARGET)
        self.lines += ["| wrapper stage (timed alone) | us per call |", "|---|---|"]
        self.lines += [f"| {name} | {s.show(1e6, 1)} |" for name, s in r.stages.items()]
        extra = r.seconds[VIA_TRANSPORT].median - r.seconds[RAW].median
        staged = sum(s.median for s in r.stages.values())
        self.lines += [
            "",
            f"Wrapper (transport=) minus raw: {extra * 1e6:.1f} us per call, of which the "
            f"stages above account for {staged * 1e6:.1f} us; the rest is the generated "
            "client's request path, the retry loop and the result object.",
            "",
        ]
        if profile:
            self.lines += ["```text", profile.strip(), "```", ""]

    def loopback(self, r: CallResult) -> None:
        self.lines += [
            f"### Loopback round trip ({r.count} sync calls x {r.rounds} rounds, "
            "minimal asyncio server in its own process)",
            "",
        ]
        labels = {
            RAW: "raw `httpx.Client.post`",
            GENERATED: "bare generated client",
            VIA_TRANSPORT: "`FeedbackClient().scrape` (its own pool)",
            VIA_HTTP_CLIENT: "`FeedbackClient(http_client=httpx.Client()).scrape`",
        }
        self._contenders(r, labels, LOOPBACK_TARGET)

    def throughput(self, r: ThroughputResult) -> None:
        self.lines += [
            f"### Batch throughput ({r.count} submissions, concurrency {CONCURRENCY}, "
            f"{r.rounds} rounds)",
            "",
            f"- raw `httpx.AsyncClient` + semaphore: {r.per_second['raw'].show(1, 0)} per second",
            f"- `AsyncFeedbackClient`: {r.per_second['wrapper'].show(1, 0)} per second",
            f"- ratio {_ratio(r.ratio)} (target at least 0.8x, aim 0.9x: "
            f"{verdict(r.ratio.median, 0.8, 0.9, higher_is_better=True)})",
            "",
        ]

    def memory(
        self, small: int, small_run: tuple[int, float], large: int, large_run: tuple[int, float]
    ) -> None:
        growth = large_run[0] / small_run[0] - 1
        self.lines += [
            "### CLI batch peak memory (`firecrawl-feedback batch --max-rate 0`)",
            "",
            f"- {small} lines: max RSS {small_run[0] / 1024:.1f} MiB ({small_run[1]:.1f} s)",
            f"- {large} lines: max RSS {large_run[0] / 1024:.1f} MiB ({large_run[1]:.1f} s)",
            f"- growth {growth * 100:+.1f} % (at most +10 %: "
            f"{'meets target' if growth <= 0.10 else 'MISSES target'})",
            "",
        ]

    def regen(self, timings: dict[str, Spread]) -> None:
        self.lines += ["### Regeneration", ""]
        self.lines += [f"- {name}: {s.show(1, 2, ' s')}" for name, s in timings.items()]
        self.lines.append("")

    def markdown(self) -> str:
        header = [
            "## Benchmarks",
            "",
            f"{datetime.date.today().isoformat()}, {os.cpu_count()} cores, {_cpu_model()}, "
            f"Python {platform.python_version()} ({sys.implementation.name}), "
            f"{platform.system()} {platform.release()}. Medians with (min-max); "
            "rerun with `.venv/bin/python scripts/bench.py`.",
            "",
        ]
        return "\n".join(header + self.lines).rstrip()
