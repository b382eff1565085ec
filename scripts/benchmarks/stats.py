"""Medians with their spread, and side-by-side ratios."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """Median, min and max of repeated measurements."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def show(self, scale: float = 1.0, digits: int = 2, unit: str = "") -> str:
        m, lo, hi = (v * scale for v in (self.median, self.low, self.high))
        return f"{m:.{digits}f}{unit} ({lo:.{digits}f}-{hi:.{digits}f})"


def ratios(numerators: list[float], denominators: list[float]) -> Spread:
    """Per-round ratios (each pair measured side by side), summarised."""
    return Spread.of([n / d for n, d in zip(numerators, denominators, strict=True)])


def verdict(value: float, target: float, aim: float, *, higher_is_better: bool = False) -> str:
    """'meets aim', 'meets target' or 'MISSES target'."""
    if higher_is_better:
        value, target, aim = -value, -target, -aim
    if value <= aim:
        return "meets aim"
    if value <= target:
        return "meets target"
    return "MISSES target"
