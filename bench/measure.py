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

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool:
        """Met when ratio ≥ target; without a baseline, value ≤ target for times, ≥ for rates."""
        if self.ratio is not None:
            return self.ratio >= self.target
        if self.unit in ("ms", "s"):
            return self.value <= self.target
        return self.value >= self.target

    def as_result(self) -> dict[str, object]:
        ratio = self.ratio
        return {
            "value": round(self.value, 3),
            "baseline": None if self.baseline is None else round(self.baseline, 3),
            "ratio": None if ratio is None else round(ratio, 4),
            "target": self.target,
            "unit": self.unit,
        }
