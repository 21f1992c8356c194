from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from isp_billing.domain.dates import check_overdue_as_of
from isp_billing.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class OverdueResult:
    as_of: date
    became_overdue: int
    settled: int


async def overdue_check(uow: UnitOfWork, as_of: date | None = None) -> OverdueResult:
    """Every account's verdict as of the day: overdue exactly when an invoice is open past its
    due date plus the plan's grace period. A flip publishes billing.account.overdue or
    billing.account.settled (customers suspends or restores on them). `as_of` is never after the
    tenant's today: a check "as of" a later day would suspend subscribers who are not late."""
    today = (await uow.settings.get()).today()
    if as_of is not None:
        check_overdue_as_of(as_of, today)
    day = as_of or today
    events = await uow.ledger.refresh_accounts(None, overdue_as_of=day)
    return OverdueResult(
        day, events.get("billing.account.overdue", 0), events.get("billing.account.settled", 0)
    )
