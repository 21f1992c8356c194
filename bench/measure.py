"""A bench's outcome: its value, the baseline measured beside it, and what they mean."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Measurement:
    value: float
    baseline: float | None
    unit: str
    target: float
    what: str  # one line for docs/performance.md: what is measured against what
    details: dict[str, object] = field(default_factory=dict)
    # Some budgets are a bound (p99 < 300 ms, < 5 s; docs/performance.md): then the value is held
    # to the target, and the baseline measured beside it only says what the machine could do.
    absolute: bool = False

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool:
        return target_met(self.as_result())

    def as_result(self) -> dict[str, object]:
        ratio = self.ratio
        return {
            "value": round(self.value, 3),
            "baseline": None if self.baseline is None else round(self.baseline, 3),
            "ratio": None if ratio is None else round(ratio, 4),
            "target": self.target,
            "unit": self.unit,
            "absolute": self.absolute,
        }


def target_met(entry: dict[str, object]) -> bool:
    """A ratio target: ratio ≥ target. A bound (absolute, or no baseline): value ≤ target for
    times, ≥ target for rates."""
    value, target, ratio = entry["value"], entry["target"], entry.get("ratio")
    assert isinstance(value, int | float) and isinstance(target, int | float)
    if ratio is not None and not entry.get("absolute"):
        assert isinstance(ratio, int | float)
        return ratio >= target
    if entry["unit"] in LOWER_IS_BETTER:
        return value <= target
    return value >= target


LOWER_IS_BETTER = ("ms", "s", "KB")
