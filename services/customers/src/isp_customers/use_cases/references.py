"""Plans and ODPs a customer is put on: the local replica first, the owning service second."""

from __future__ import annotations

from uuid import UUID

from isp_customers.domain.errors import invalid_field
from isp_customers.domain.references import Odp, ServicePlan
from isp_customers.use_cases.ports import ReferenceLookup, UnitOfWork


async def assignable_plan(
    uow: UnitOfWork, references: ReferenceLookup, plan_id: UUID, field: str
) -> ServicePlan:
    plan = await uow.service_plans.get(plan_id)
    if plan is None:
        snapshot = await references.service_plan(plan_id)
        if snapshot is None:
            raise invalid_field(field, "unknown service plan")
        await uow.service_plans.upsert(snapshot)
        plan = await uow.service_plans.get(plan_id)
        if plan is None:  # pragma: no cover - the upsert above just wrote it
            raise invalid_field(field, "unknown service plan")
    plan.ensure_assignable(field)
    return plan


async def reserve_odp_port(
    uow: UnitOfWork, references: ReferenceLookup, odp_id: UUID, customer_id: UUID | None
) -> Odp:
    """Checks the ODP has a free port for the customer. The ODP's row stays locked until commit,
    so two placements on one ODP cannot both take its last port."""
    odp = await uow.odps.get(odp_id, for_update=True)
    if odp is None:
        snapshot = await references.odp(odp_id)
        if snapshot is None:
            raise invalid_field("odp_id", "unknown ODP")
        await uow.odps.upsert(snapshot)
        odp = await uow.odps.get(odp_id, for_update=True)
        if odp is None:  # pragma: no cover - the upsert above just wrote it
            raise invalid_field("odp_id", "unknown ODP")
    odp.ensure_can_take(await uow.customers.count_live_on_odp(odp_id, excluding=customer_id))
    return odp
