"""Loading a request to change it, writing a change with its event, and ending a boost."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from isp_common.errors import NotFound

from isp_boost.domain.boost import BoostChange, BoostRequest
from isp_boost.domain.references import Speeds
from isp_boost.domain.status import EndReason
from isp_boost.use_cases.ports import UnitOfWork
from isp_boost.use_cases.snapshots import boost_snapshot

REQUEST = "speed boost request"


async def request_to_change(uow: UnitOfWork, request_id: UUID) -> BoostRequest:
    """The request, locked until commit so that concurrent transitions queue up."""
    request = await uow.requests.get(request_id, for_update=True)
    if request is None:
        raise NotFound(REQUEST)
    return request


async def save_change(
    uow: UnitOfWork, change: BoostChange, restore_speeds: Speeds | None = None
) -> BoostRequest:
    await uow.requests.save(change.request)
    return raise_change_event(uow, change, restore_speeds)


def raise_change_event(
    uow: UnitOfWork, change: BoostChange, restore_speeds: Speeds | None = None
) -> BoostRequest:
    request = change.request
    uow.raise_event(
        change.event.event_type,
        request.id,
        request.version,
        boost_snapshot(request, restore_speeds),
    )
    return request


async def end_boost(
    uow: UnitOfWork, request: BoostRequest, reason: EndReason, now: datetime
) -> BoostRequest:
    """Ends an activated boost (expired when its time is up, ended early otherwise), closes its
    history row and raises `boost.boost.ended` carrying the speeds the subscriber returns to."""
    change = request.expire(now) if reason is EndReason.EXPIRED else request.end(reason, now)
    ended = change.request
    assert ended.ended_at is not None and ended.end_reason is not None
    await uow.history.end(ended.id, ended.ended_at, ended.end_reason)
    return await save_change(uow, change, await current_plan_speeds(uow, ended))


async def current_plan_speeds(uow: UnitOfWork, request: BoostRequest) -> Speeds | None:
    """The speeds of the customer's plan as the replicas know them now: the plan may have
    changed while the boost ran, and it is the current plan the subscriber goes back to."""
    customer = await uow.customers.get(request.customer_id)
    if customer is None or customer.service_plan_id is None:
        return None
    plan = await uow.service_plans.get(customer.service_plan_id)
    return plan.speeds if plan is not None else None
