"""The revenue report: what payments brought in over a range of days, grouped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from isp_billing.domain.enums import RevenueGrouping
from isp_billing.domain.ledger import ZERO, RevenueGroup
from isp_billing.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class Revenue:
    date_from: date
    date_to: date
    group_by: RevenueGrouping
    currency: str
    total: Decimal
    count: int
    groups: list[RevenueGroup]


async def revenue(
    uow: UnitOfWork, date_from: date, date_to: date, group_by: RevenueGrouping
) -> Revenue:
    """The sum of non-void payments dated in [date_from, date_to] (both included)."""
    # An inverted range holds no day: an empty report, not an error.
    groups = []
    if date_from <= date_to:
        groups = await uow.payments.revenue(date_from, date_to, group_by)
    currency = (await uow.settings.get()).currency
    return Revenue(
        date_from,
        date_to,
        group_by,
        currency,
        sum((g.amount for g in groups), ZERO),
        sum(g.count for g in groups),
        groups,
    )
