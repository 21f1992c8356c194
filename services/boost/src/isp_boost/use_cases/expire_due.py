from __future__ import annotations

from datetime import datetime

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.status import EndReason
from isp_boost.use_cases.boost_changes import end_boost
from isp_boost.use_cases.ports import UnitOfWork

BATCH = 500


async def expire_due_boosts(uow: UnitOfWork, now: datetime) -> list[BoostRequest]:
    """Expires this tenant's activated boosts whose `activated_at + duration_hours` has come;
    each raises `boost.boost.ended`. At most BATCH per call: the job calls again while any
    remain, so one transaction never grows without bound."""
    return [
        await end_boost(uow, request, EndReason.EXPIRED, now)
        for request in await uow.requests.due(now, BATCH)
    ]
