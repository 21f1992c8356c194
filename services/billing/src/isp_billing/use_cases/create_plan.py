from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from isp_billing.domain.plans import AdvancedConfig, ServicePlan
from isp_billing.use_cases.clock import utc_now
from isp_billing.use_cases.get_plan import PlanDetail
from isp_billing.use_cases.plan_events import raise_plan_event
from isp_billing.use_cases.ports import UnitOfWork


async def create_plan(
    uow: UnitOfWork, fields: Mapping[str, Any], advanced: AdvancedConfig | None
) -> PlanDetail:
    now = utc_now()
    plan = ServicePlan(
        id=uuid.uuid4(),
        name=fields["name"],
        description=fields.get("description"),
        bandwidth_download=fields["bandwidth_download"],
        bandwidth_upload=fields["bandwidth_upload"],
        monthly_price=fields["monthly_price"],
        is_active=fields.get("is_active", True),
        advanced=advanced,
        advanced_created_at=now if advanced else None,
        advanced_updated_at=now if advanced else None,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await uow.settings.ensure()
    await uow.plans.add(plan)
    raise_plan_event(uow, "created", plan)
    return PlanDetail(plan, [])
