from __future__ import annotations

from isp_common.contracts.billing import AccountSnapshot

from isp_customers.use_cases.clock import utc_now
from isp_customers.use_cases.customer_changes import save_change
from isp_customers.use_cases.ports import UnitOfWork


async def apply_account_snapshot(uow: UnitOfWork, snapshot: AccountSnapshot) -> None:
    """Keeps the billing read model and follows its verdict, level-triggered: an account that is
    overdue suspends an active customer (reason overdue), one that is not restores a customer
    suspended for overdue and leaves a manual suspension alone. Whatever the event's verb
    (`overdue`, `settled`, `updated`): an `overdue` or `settled` requeued behind a newer
    `updated` is skipped as stale, and the newer snapshot says the same thing."""
    if not await uow.accounts.upsert(snapshot):
        return
    customer = await uow.customers.get(snapshot.customer_id, for_update=True)
    if customer is None:
        return
    if snapshot.is_overdue:
        change = customer.suspend_for_overdue(utc_now())
    else:
        change = customer.restore_after_settlement(utc_now())
    if change is not None:
        await save_change(uow, change)
