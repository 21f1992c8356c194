"""Retry pacing and the per-router circuit breaker: pure, the clock is passed in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum


def backoff(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry `attempt` (1, 2, …): exponential, capped, full jitter, so
    many lanes that failed together do not come back together."""
    ceiling = min(cap, base * 2 ** (attempt - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


class BreakerState(StrEnum):
    CLOSED = "closed"  # calls go through
    OPEN = "open"  # calls are refused until the cool-down ends
    HALF_OPEN = "half_open"  # one trial call decides


@dataclass
class CircuitBreaker:
    """Opens after `threshold` consecutive failures; stays open for a cool-down that doubles
    with each failed trial (up to `max_cooldown`); one success closes it."""

    threshold: int = 3
    cooldown: float = 1.0
    max_cooldown: float = 30.0
    failures: int = 0
    opened_at: float | None = None
    current_cooldown: float = field(default=0.0)

    def state(self, now: float) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if now - self.opened_at >= self.current_cooldown:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allows(self, now: float) -> bool:
        return self.state(now) is not BreakerState.OPEN

    def retry_in(self, now: float) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.opened_at + self.current_cooldown - now)

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self.current_cooldown = 0.0

    def record_failure(self, now: float) -> None:
        self.failures += 1
        if self.opened_at is not None:  # a failed trial: open again, for longer
            self.current_cooldown = min(self.max_cooldown, self.current_cooldown * 2)
            self.opened_at = now
        elif self.failures >= self.threshold:
            self.current_cooldown = self.cooldown
            self.opened_at = now
