from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.status import EndReason
from isp_boost.use_cases.boost_changes import end_boost
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork


async def deactivate_boost(uow: UnitOfWork, customer_id: UUID) -> BoostRequest:
    """Ends the customer's active boost now (status ended); 404 when there is none."""
    active = await uow.requests.active_for(customer_id, for_update=True)
    if active is None:
        raise NotFound("active speed boost")
    return await end_boost(uow, active, EndReason.DEACTIVATED, utc_now())
