"""PATCH a plan, toggle it, or replace its advanced config: each change writes one changelog
entry per changed field (docs/properties.md, Property 9), moves the version up and raises
billing.plan.updated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from uuid import UUID

from isp_billing.domain.plans import (
    AdvancedConfig,
    FieldChange,
    ServicePlan,
    advanced_changes,
    field_changes,
)
from isp_billing.use_cases.clock import actor_sub, utc_now
from isp_billing.use_cases.get_plan import PlanDetail, get_plan, plan_to_change
from isp_billing.use_cases.plan_events import raise_plan_event
from isp_billing.use_cases.ports import UnitOfWork


async def update_plan(uow: UnitOfWork, plan_id: UUID, changes: Mapping[str, Any]) -> PlanDetail:
    plan = await plan_to_change(uow, plan_id)
    logged = field_changes(plan.basic_values(), changes)
    await _save(uow, plan, logged, **{c.field: changes[c.field] for c in logged})
    return await get_plan(uow, plan_id)


async def toggle_plan(uow: UnitOfWork, plan_id: UUID) -> PlanDetail:
    plan = await plan_to_change(uow, plan_id)
    logged = [FieldChange("is_active", plan.is_active, not plan.is_active)]
    await _save(uow, plan, logged, is_active=not plan.is_active)
    return await get_plan(uow, plan_id)


async def set_advanced(uow: UnitOfWork, plan_id: UUID, config: AdvancedConfig) -> PlanDetail:
    plan = await plan_to_change(uow, plan_id)
    logged = advanced_changes(plan.advanced, config)
    now = utc_now()
    await _save(
        uow,
        plan,
        logged,
        advanced=config,
        advanced_created_at=plan.advanced_created_at or now,
        advanced_updated_at=now,
    )
    if plan.cycle is not config.billing_cycle:
        await uow.accounts.reanchor_plan(plan.id, config.billing_cycle.months)
    return await get_plan(uow, plan_id)


async def _save(
    uow: UnitOfWork, plan: ServicePlan, logged: list[FieldChange], **values: Any
) -> None:
    if not logged:
        return  # nothing changed: no version, no event, no changelog
    now = max(utc_now(), plan.updated_at)
    changed = replace(plan, **values, version=plan.version + 1, updated_at=now)
    await uow.plans.save(changed)
    await uow.plans.add_changelog(plan.id, logged, actor_sub(), now)
    raise_plan_event(uow, "updated", changed)
