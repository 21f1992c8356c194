from __future__ import annotations

from isp_common.pagination import Page, PageRequest

from isp_identity.domain.accounts import StaffUser
from isp_identity.use_cases.ports import UnitOfWork


async def list_users(uow: UnitOfWork, request: PageRequest) -> Page[StaffUser]:
    """Oldest first."""
    return await uow.users.page(request)
