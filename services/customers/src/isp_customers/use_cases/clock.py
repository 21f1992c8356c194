from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_today() -> date:
    """Customers does not know the tenant's timezone (billing does): dates default to UTC's."""
    return utc_now().date()
