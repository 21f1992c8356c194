from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_identity.domain.accounts import PortalAccount
from isp_identity.use_cases.ports import UnitOfWork


async def get_portal_account(uow: UnitOfWork, customer_id: UUID) -> PortalAccount:
    """NOT_FOUND for a customer identity has not heard of, or one deleted."""
    account = await uow.portal_accounts.get(customer_id)
    if account is None or account.customer_deleted:
        raise NotFound("customer")
    return account
