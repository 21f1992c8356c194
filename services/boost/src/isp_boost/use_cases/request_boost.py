from __future__ import annotations

import uuid
from dataclasses import dataclass

from isp_common.errors import Conflict, NotFound

from isp_boost.domain.boost import BoostRequest, check_boost_above_plan, request_number
from isp_boost.domain.references import Speeds
from isp_boost.use_cases.boost_changes import raise_change_event
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork

REQUEST_COUNTER = "boost_request"


@dataclass(frozen=True)
class NewBoostRequest:
    customer_id: uuid.UUID
    speeds: Speeds
    duration_hours: int
    customer_notes: str | None
    requested_by: str


async def request_boost(uow: UnitOfWork, command: NewBoostRequest) -> BoostRequest:
    """A pending request, priced now from the tenant's per-hour price (a later price change does
    not touch it). The customer must be active; when its plan is known, the boost must not be
    slower than the plan in either direction."""
    customer = await uow.customers.get(command.customer_id)
    if customer is None or customer.is_deleted:
        raise NotFound("customer")
    if not customer.can_be_boosted:
        raise Conflict(
            f"a {customer.status} customer cannot get a boost",
            {"reason": "customer_not_active", "customer_status": customer.status},
        )
    if customer.service_plan_id is not None:
        plan = await uow.service_plans.get(customer.service_plan_id)
        if plan is not None:
            check_boost_above_plan(command.speeds, plan.speeds)
    pricing = await uow.pricing.get()
    if pricing.price_per_hour is None:
        raise Conflict(
            "the boost price is not set yet: PUT /speed-boosts/pricing first",
            {"reason": "pricing_not_configured"},
        )
    change = BoostRequest.new(
        id=uuid.uuid4(),
        customer_id=customer.id,
        number=request_number(await uow.next_number(REQUEST_COUNTER)),
        speeds=command.speeds,
        duration_hours=command.duration_hours,
        price_per_hour=pricing.price_per_hour,
        requested_by=command.requested_by,
        customer_notes=command.customer_notes,
        now=utc_now(),
    )
    await uow.requests.add(change.request)
    return raise_change_event(uow, change)
