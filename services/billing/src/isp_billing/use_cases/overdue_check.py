from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from isp_billing.adapters.unit_of_work import BillingUnitOfWork


@dataclass(frozen=True)
class OverdueResult:
    as_of: date
    became_overdue: int
    settled: int


async def overdue_check(uow: BillingUnitOfWork, as_of: date | None = None) -> OverdueResult:
    """Every account's verdict as of the day: overdue exactly when an invoice is open past its
    due date plus the plan's grace period. A flip publishes billing.account.overdue or
    billing.account.settled (customers suspends or restores on them)."""
    day = as_of or (await uow.settings.get()).today()
    events = await uow.ledger.refresh_accounts(None, overdue_as_of=day)
    return OverdueResult(
        day, events.get("billing.account.overdue", 0), events.get("billing.account.settled", 0)
    )
