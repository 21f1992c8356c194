from __future__ import annotations

from uuid import UUID

from isp_boost.domain.boost import BoostRequest
from isp_boost.use_cases.boost_changes import request_to_change, save_change
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork


async def approve_request(
    uow: UnitOfWork, request_id: UUID, approved_by: str, admin_notes: str | None = None
) -> BoostRequest:
    request = await request_to_change(uow, request_id)
    return await save_change(uow, request.approve(approved_by, utc_now(), admin_notes))
