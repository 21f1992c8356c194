"""When an account is overdue (Property 15)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def is_overdue(open_due_dates: Iterable[date], grace_period_days: int, today: date) -> bool:
    """Overdue exactly when some open invoice is past its due date plus the grace period."""
    grace = timedelta(days=grace_period_days)
    return any(due + grace < today for due in open_due_dates)
