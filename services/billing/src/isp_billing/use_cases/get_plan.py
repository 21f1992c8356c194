from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_common.errors import NotFound

from isp_billing.domain.plans import ChangelogEntry, ServicePlan
from isp_billing.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class PlanDetail:
    plan: ServicePlan
    changelog: list[ChangelogEntry]


async def plan_to_change(uow: UnitOfWork, plan_id: UUID) -> ServicePlan:
    """The plan, locked until commit so that concurrent changes log against the right values."""
    plan = await uow.plans.get(plan_id, for_update=True)
    if plan is None:
        raise NotFound("service plan")
    return plan


async def get_plan(uow: UnitOfWork, plan_id: UUID) -> PlanDetail:
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise NotFound("service plan")
    return PlanDetail(plan, await uow.plans.changelog(plan_id))
