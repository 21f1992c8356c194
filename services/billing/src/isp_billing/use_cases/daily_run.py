from __future__ import annotations

from datetime import date

from isp_billing.use_cases.billing_run import billing_run
from isp_billing.use_cases.overdue_check import overdue_check
from isp_billing.use_cases.ports import UnitOfWork


async def daily_run(uow: UnitOfWork, day: date) -> None:
    """The tenant's day: issue what is due, then judge overdue accounts; marked done for the day
    in the same transaction, so a crash mid-way runs it again and nothing twice."""
    await billing_run(uow, day)
    await overdue_check(uow, day)
    await uow.settings.mark_daily_run(day)
