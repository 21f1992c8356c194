from __future__ import annotations

from isp_common.contracts.billing import ServicePlanSnapshot

from isp_customers.use_cases.ports import UnitOfWork


async def apply_plan_snapshot(uow: UnitOfWork, snapshot: ServicePlanSnapshot) -> bool:
    """Keeps the plan replica that creation and plan changes are checked against. A price change
    does not rewrite customers' monthly_fee: billing charges from its own plans."""
    return await uow.service_plans.upsert(snapshot)
