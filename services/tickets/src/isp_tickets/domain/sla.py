"""SLA: how many hours a ticket of each priority has until it is due to be resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from isp_tickets.domain.status import Priority

MAX_HOURS = 24 * 365


@dataclass(frozen=True, kw_only=True)
class SlaPolicy:
    low_hours: int = 72
    medium_hours: int = 24
    high_hours: int = 8
    urgent_hours: int = 4

    def hours_for(self, priority: Priority) -> int:
        hours: int = getattr(self, f"{priority.value}_hours")
        return hours

    def due_at(self, opened_at: datetime, priority: Priority) -> datetime:
        return opened_at + timedelta(hours=self.hours_for(priority))


DEFAULT_SLA = SlaPolicy()


def is_breached(
    sla_due_at: datetime, resolved_at: datetime | None, closed_at: datetime | None, now: datetime
) -> bool:
    """Breached when the ticket was (or, still unresolved, is now) past its due time. A ticket
    closed without being resolved counts by when it was closed."""
    finished_at = resolved_at or closed_at or now
    return finished_at > sla_due_at
