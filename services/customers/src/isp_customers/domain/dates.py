"""The tenant's calendar: which day it is there, and the window a lifecycle date must fall in
(docs/customers.md, "Dates")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Until billing publishes a tenant's settings, its timezone is billing's default for a tenant
# that never saved any: UTC.
DEFAULT_TIMEZONE = "UTC"
EARLIEST = date(2000, 1, 1)


class DateOutOfRange(ValueError):
    """A date outside its window; the message says which window (the route names the field)."""


def local_today(now: datetime, timezone: str | None) -> date:
    """The calendar day at `now` (aware) in the tenant's timezone: 23:00 UTC is already the next
    day for a UTC+7 tenant."""
    try:
        zone = ZoneInfo(timezone or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        # Billing only accepts known IANA names; a name this host's tz database lacks falls
        # back to the default rather than refusing every lifecycle change of the tenant.
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return now.astimezone(zone).date()


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 2, 28)


def check_lifecycle_date(day: date, today: date) -> None:
    """An activation, plan change or termination date: back to 2000-01-01 (records entered
    late), ahead by one year at most (a scheduled termination, a plan change agreed for later)."""
    if day < EARLIEST:
        raise DateOutOfRange(f"must not be before {EARLIEST.isoformat()}")
    latest = one_year_after(today)
    if day > latest:
        raise DateOutOfRange(
            f"must not be after {latest.isoformat()} (one year after the tenant's today)"
        )
