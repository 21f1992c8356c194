from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_identity.domain.accounts import StaffUser
from isp_identity.use_cases.ports import UnitOfWork


async def get_user(uow: UnitOfWork, user_id: UUID) -> StaffUser:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound("user")
    return user
