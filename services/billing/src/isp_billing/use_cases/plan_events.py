"""The plan's snapshot and its event (billing.plan.created/updated/deleted)."""

from __future__ import annotations

from isp_common.contracts.billing import PlanAdvancedSnapshot, ServicePlanSnapshot

from isp_billing.domain.plans import ServicePlan
from isp_billing.use_cases.ports import UnitOfWork

_ADVANCED_IN_CONTRACT = tuple(PlanAdvancedSnapshot.model_fields)


def plan_snapshot(plan: ServicePlan, *, is_deleted: bool = False) -> ServicePlanSnapshot:
    advanced = None
    if plan.advanced is not None:
        values = plan.advanced.model_dump(mode="json", include=set(_ADVANCED_IN_CONTRACT))
        advanced = PlanAdvancedSnapshot(**values)
    return ServicePlanSnapshot(
        id=plan.id,
        name=plan.name,
        description=plan.description,
        bandwidth_download=plan.bandwidth_download,
        bandwidth_upload=plan.bandwidth_upload,
        monthly_price=plan.monthly_price,
        is_active=plan.is_active,
        advanced=advanced,
        is_deleted=is_deleted,
        version=plan.version,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def raise_plan_event(
    uow: UnitOfWork, verb: str, plan: ServicePlan, *, is_deleted: bool = False
) -> None:
    uow.raise_event(
        f"billing.plan.{verb}", plan.id, plan.version, plan_snapshot(plan, is_deleted=is_deleted)
    )
