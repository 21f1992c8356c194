"""Billing cycles and periods, anchored on the activation day and billed in advance.

Period k of an account starts on `anchor + k × cycle` months. Each start is computed from the
anchor, never from the previous period, so an account anchored on the 31st is billed on the 31st,
the last day of shorter months (Feb 28/29, Apr 30) and the 31st again: Postgres' `date + interval`
does the same, which is what the set-based billing run relies on.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from isp_common.money import round_money


class BillingCycle(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        return _MONTHS[self]


_MONTHS = {
    BillingCycle.MONTHLY: 1,
    BillingCycle.QUARTERLY: 3,
    BillingCycle.SEMI_ANNUAL: 6,
    BillingCycle.YEARLY: 12,
}


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# One run issues at most this many invoices per customer: an account anchored years back (a
# backdated activation) catches up a year per run, never an unbounded batch in one statement.
MAX_PERIODS_PER_RUN = 12


def period_price(monthly_price: Decimal, cycle_months: int) -> Decimal:
    return monthly_price * cycle_months


def proration(
    charged: Decimal, new_period_price: Decimal, current: Period, effective: date
) -> Decimal:
    """What an upgrade on `effective` adds for the rest of the period already billed: the new
    price minus what was charged, for the days left (the effective day included), rounded half
    up to the cent. Zero or less means nothing is added (see docs/billing.md: a downgrade takes
    effect on the next invoice)."""
    if not current.start <= effective <= current.end:
        return Decimal("0.00")
    remaining = (current.end - effective).days + 1
    return round_money((new_period_price - charged) * remaining / current.days)
