"""How far from the tenant's today a date sent to billing may be (docs/billing.md, "Dates").

Every bound is relative to the tenant's calendar day, never the server's: a date a caller sends
drives what billing does for every customer of the tenant (an overdue check as of 2999 would
suspend them all; a run as of 2999 would issue centuries of invoices).
"""

from __future__ import annotations

from datetime import date

from isp_billing.domain.cycles import add_months

EARLIEST = date(2000, 1, 1)
# A run may issue the next month's invoices ahead of time (billed in advance), no further.
RUN_MONTHS_AHEAD = 1


class DateOutOfRange(ValueError):
    """A date outside its window; the message says which window (the route names the field)."""


def _not_before_earliest(day: date) -> None:
    if day < EARLIEST:
        raise DateOutOfRange(f"must not be before {EARLIEST.isoformat()}")


def check_overdue_as_of(as_of: date, today: date) -> None:
    """An overdue check judges what is late by now, not what would be late some day."""
    _not_before_earliest(as_of)
    if as_of > today:
        raise DateOutOfRange(f"must not be after the tenant's today ({today.isoformat()})")


def latest_run_date(today: date) -> date:
    return add_months(today, RUN_MONTHS_AHEAD)


def check_run_as_of(as_of: date, today: date) -> None:
    _not_before_earliest(as_of)
    latest = latest_run_date(today)
    if as_of > latest:
        raise DateOutOfRange(
            f"must not be after {latest.isoformat()} (one month after the tenant's today)"
        )


def check_payment_date(payment_date: date, today: date) -> None:
    """A payment is recorded once received: it may be dated back (a transfer seen late), never
    ahead of the tenant's today."""
    _not_before_earliest(payment_date)
    if payment_date > today:
        raise DateOutOfRange(f"must not be after the tenant's today ({today.isoformat()})")
