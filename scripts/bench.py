"""Benchmarks: firecrawl_feedback against raw httpx and the bare generated client.

    .venv/bin/python scripts/bench.py                  # everything, full sizes
    .venv/bin/python scripts/bench.py --quick          # small sizes, for a smoke run
    .venv/bin/python scripts/bench.py --only imports calls --output bench.md

Every figure is a ratio of measurements taken side by side in one run
(medians over rounds, with min-max); nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmarks import batch, calls, imports, regen, sender, servers
from benchmarks.report import Report

SECTIONS = ("imports", "calls", "loopback", "batch", "memory", "regen", "sender")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="small sizes and few rounds")
    parser.add_argument("--import-rounds", type=int, default=None, metavar="N")
    parser.add_argument("--calls", type=int, default=None, metavar="N", help="mock calls/round")
    parser.add_argument("--loopback-calls", type=int, default=None, metavar="N")
    parser.add_argument("--batch-size", type=int, default=None, metavar="N")
    parser.add_argument(
        "--memory-sizes", type=int, nargs=2, default=None, metavar=("SMALL", "LARGE")
    )
    parser.add_argument("--rounds", type=int, default=None, metavar="N")
    parser.add_argument(
        "--sender-seconds", type=float, default=None, metavar="S", help="paced sender run"
    )
    parser.add_argument("--profile", action="store_true", help="add a cProfile of wrapper calls")
    parser.add_argument("--output", type=Path, default=None, metavar="FILE")
    args = parser.parse_args(argv)
    quick = args.quick
    rounds = args.rounds or (2 if quick else 5)
    report = Report()
    if "imports" in args.only:
        report.imports(imports.measure(args.import_rounds or (6 if quick else 30)))
    if "calls" in args.only:
        count = args.calls or (1_000 if quick else 10_000)
        result = calls.compare(calls.mock_contenders, count, rounds)
        result.stages = calls.stages(count, rounds)
        report.calls(result, calls.profile(count) if args.profile else None)
    if {"loopback", "batch", "memory"} & set(args.only):
        with servers.minimal_server() as url:
            if "loopback" in args.only:
                count = args.loopback_calls or (300 if quick else 2_000)
                report.loopback(
                    calls.compare(lambda: calls.loopback_contenders(url), count, rounds)
                )
            if "batch" in args.only:
                size = args.batch_size or (1_000 if quick else 10_000)
                report.throughput(batch.throughput(url, size, 2 if quick else 3))
            if "memory" in args.only:
                small, large = args.memory_sizes or (
                    (1_000, 10_000) if quick else (10_000, 100_000)
                )
                report.memory(
                    small, batch.cli_peak_kib(url, small), large, batch.cli_peak_kib(url, large)
                )
    if "regen" in args.only:
        report.regen(regen.measure(1 if quick else 3))
    if "sender" in args.only:
        seconds = args.sender_seconds or (15.0 if quick else 60.0)
        report.lines += [*sender.markdown(sender.measure(seconds, 500 if quick else 2_000)), ""]
    text = report.markdown()
    print(text)
    if args.output is not None:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
