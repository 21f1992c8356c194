from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from isp_common.errors import Conflict

from isp_billing.use_cases.clock import utc_now
from isp_billing.use_cases.get_plan import plan_to_change
from isp_billing.use_cases.plan_events import raise_plan_event
from isp_billing.use_cases.ports import UnitOfWork


async def delete_plan(uow: UnitOfWork, plan_id: UUID) -> None:
    """Refused while customers (billing's replica of them) are on the plan; the plan's rows
    stay (soft delete) because invoices name it."""
    plan = await plan_to_change(uow, plan_id)
    using = await uow.plans.customers_using(plan_id)
    if using:
        raise Conflict(
            "the service plan is used by customers", {"customers": using, "plan_id": str(plan_id)}
        )
    now = max(utc_now(), plan.updated_at)
    await uow.plans.delete(plan_id, now)
    raise_plan_event(
        uow, "deleted", replace(plan, version=plan.version + 1, updated_at=now), is_deleted=True
    )
