from __future__ import annotations

from enum import StrEnum

from isp_common.contracts.billing import AccountSnapshot

from isp_customers.use_cases.clock import utc_now
from isp_customers.use_cases.customer_changes import save_change
from isp_customers.use_cases.ports import UnitOfWork


class AccountVerdict(StrEnum):
    OVERDUE = "overdue"
    SETTLED = "settled"


async def apply_account_snapshot(
    uow: UnitOfWork, snapshot: AccountSnapshot, verdict: AccountVerdict | None = None
) -> None:
    """Keeps the billing read model; `overdue` suspends an active customer (reason overdue),
    `settled` restores one suspended for overdue and leaves a manual suspension alone."""
    newer = await uow.accounts.upsert(snapshot)
    if verdict is None or not newer:
        return
    customer = await uow.customers.get(snapshot.customer_id, for_update=True)
    if customer is None:
        return
    if verdict is AccountVerdict.OVERDUE:
        change = customer.suspend_for_overdue(utc_now())
    else:
        change = customer.restore_after_settlement(utc_now())
    if change is not None:
        await save_change(uow, change)
