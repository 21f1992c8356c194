from __future__ import annotations

from uuid import UUID

from isp_billing.use_cases.ports import UnitOfWork


async def resettle(uow: UnitOfWork, customer_id: UUID, *, judge_overdue: bool) -> None:
    """After the ledger of one customer changed: allocate again, recompute the account and
    publish what changed. With `judge_overdue`, the verdict is taken as of the tenant's today."""
    await uow.ledger.reallocate([customer_id])
    today = (await uow.settings.get()).today() if judge_overdue else None
    await uow.ledger.refresh_accounts([customer_id], overdue_as_of=today)
