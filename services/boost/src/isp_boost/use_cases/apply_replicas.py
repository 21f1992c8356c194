"""Keeping the replicas from customers' and billing's events, and what a customer's end means."""

from __future__ import annotations

from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerSnapshot

from isp_boost.domain.lifecycle import Command, is_allowed
from isp_boost.domain.status import BoostStatus, EndReason
from isp_boost.use_cases.boost_changes import end_boost, save_change
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork

SYSTEM = "system"
GONE = {"terminated": EndReason.CUSTOMER_TERMINATED}
WHY = {
    EndReason.CUSTOMER_TERMINATED: "the customer was terminated",
    EndReason.CUSTOMER_DELETED: "the customer was deleted",
}


async def apply_plan_snapshot(uow: UnitOfWork, snapshot: ServicePlanSnapshot) -> bool:
    return await uow.service_plans.upsert(snapshot)


async def apply_customer_snapshot(uow: UnitOfWork, snapshot: CustomerSnapshot) -> bool:
    """Keeps the replica; a deleted or terminated customer keeps no live boost: the active one
    ends (`boost.boost.ended`) and open requests are rejected.

    Level-triggered: the reason is read off the snapshot alone, termination first, so that a
    customer terminated and then deleted ends the boost for the same reason whether
    `terminated` is applied or comes back stale behind `deleted` (whose snapshot still says
    terminated)."""
    newer = await uow.customers.upsert(snapshot)
    if not newer:
        return False
    reason = GONE.get(snapshot.status)
    if reason is None and snapshot.is_deleted:
        reason = EndReason.CUSTOMER_DELETED
    if reason is not None:
        await _close_everything_of(uow, snapshot, reason)
    return True


async def _close_everything_of(
    uow: UnitOfWork, snapshot: CustomerSnapshot, reason: EndReason
) -> None:
    now = utc_now()
    for request in await uow.requests.open_for(snapshot.id):
        if request.status is BoostStatus.ACTIVATED:
            await end_boost(uow, request, reason, now)
        elif is_allowed(request.status, Command.REJECT):
            await save_change(uow, request.reject(SYSTEM, WHY[reason], now))
