from __future__ import annotations

import uuid
from uuid import UUID

from isp_common.errors import Conflict

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.history import BoostHistory
from isp_boost.domain.lifecycle import Command, transition
from isp_boost.use_cases.boost_changes import request_to_change, save_change
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.ports import UnitOfWork


async def activate_request(uow: UnitOfWork, request_id: UUID) -> BoostRequest:
    """approved → activated: the boost runs from now for `duration_hours`. The original speeds
    are the customer's plan's now. A customer has at most one active boost: a second activation
    is a CONFLICT (checked here, and decided by the partial unique indexes in a race)."""
    request = await request_to_change(uow, request_id)
    transition(request.status, Command.ACTIVATE)  # INVALID_STATE before anything else
    customer = await uow.customers.get(request.customer_id)
    if customer is None or not customer.can_be_boosted:
        status = "deleted" if customer is None or customer.is_deleted else customer.status
        raise Conflict(
            f"a {status} customer cannot get a boost",
            {"reason": "customer_not_active", "customer_status": status},
        )
    plan = (
        await uow.service_plans.get(customer.service_plan_id)
        if customer.service_plan_id is not None
        else None
    )
    if plan is None:
        raise Conflict(
            "the customer's service plan is not known to the boost service yet",
            {"reason": "plan_unknown"},
        )
    active = await uow.requests.active_for(request.customer_id)
    if active is not None:
        raise Conflict(
            "the customer already has an active boost",
            {"reason": "active_boost_exists", "active_request_id": str(active.id)},
        )
    activated = await save_change(uow, request.activate(plan.speeds, utc_now()))
    await uow.history.add(BoostHistory.started_by(uuid.uuid4(), activated))
    return activated
