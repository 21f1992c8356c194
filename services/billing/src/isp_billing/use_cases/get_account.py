from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_billing.domain.ledger import Account
from isp_billing.use_cases.ports import UnitOfWork


async def get_account(uow: UnitOfWork, customer_id: UUID) -> Account:
    account = await uow.accounts.get(customer_id)
    if account is None or account.is_deleted:
        raise NotFound("customer")
    return account
