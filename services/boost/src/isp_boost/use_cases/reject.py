from __future__ import annotations

from uuid import UUID

from isp_boost.domain.boost import BoostRequest
from isp_boost.use_cases.boost_changes import request_to_change, save_change
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork


async def reject_request(
    uow: UnitOfWork, request_id: UUID, rejected_by: str, reason: str
) -> BoostRequest:
    request = await request_to_change(uow, request_id)
    return await save_change(uow, request.reject(rejected_by, reason, utc_now()))
