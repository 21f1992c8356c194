from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from isp_common.auth import Principal
from isp_common.text import SINGLE_LINE
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

from isp_billing.api.dependencies import PLAN_WRITERS, READERS, RuntimeDep
from isp_billing.api.presenters import (
    PlanDetailOut,
    PlanOut,
    present_plan,
    present_plan_detail,
)
from isp_billing.api.schemas import PlanCreate, PlanPatch
from isp_billing.domain.listing import PlanFilter
from isp_billing.domain.plans import AdvancedConfig
from isp_billing.use_cases.create_plan import create_plan
from isp_billing.use_cases.delete_plan import delete_plan
from isp_billing.use_cases.get_plan import get_plan
from isp_billing.use_cases.list_plans import list_plans
from isp_billing.use_cases.update_plan import set_advanced, toggle_plan, update_plan

router = APIRouter(prefix="/service-plans", tags=["service plans"])


class PlanCreateWithAdvanced(PlanCreate):
    advanced: AdvancedConfig | None = None


@router.post("", status_code=201, response_model=Envelope[PlanDetailOut])
async def create(
    body: PlanCreateWithAdvanced, runtime: RuntimeDep, principal: Principal = require(*PLAN_WRITERS)
) -> Response:
    fields = body.model_dump(exclude={"advanced"})
    detail = await runtime.run(principal.tenant_id, create_plan, fields, body.advanced)
    return created(present_plan_detail(detail))


@router.get("", response_model=ListEnvelope[PlanOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
    search: Annotated[str | None, Query(max_length=100), SINGLE_LINE] = None,
    is_active: bool | None = None,
) -> Response:
    result = await runtime.run(
        principal.tenant_id,
        list_plans,
        PlanFilter(search=search or None, is_active=is_active),
        page,
    )
    return ok_page([present_plan(p) for p in result.items], result)


@router.get("/{plan_id}", response_model=Envelope[PlanDetailOut])
async def get(
    plan_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    return ok(present_plan_detail(await runtime.run(principal.tenant_id, get_plan, plan_id)))


@router.patch("/{plan_id}", response_model=Envelope[PlanDetailOut])
async def patch(
    plan_id: UUID,
    body: PlanPatch,
    runtime: RuntimeDep,
    principal: Principal = require(*PLAN_WRITERS),
) -> Response:
    detail = await runtime.run(principal.tenant_id, update_plan, plan_id, body.changes())
    return ok(present_plan_detail(detail))


@router.delete("/{plan_id}", response_model=Envelope[dict[str, Any]])
async def delete(
    plan_id: UUID, runtime: RuntimeDep, principal: Principal = require(*PLAN_WRITERS)
) -> Response:
    await runtime.run(principal.tenant_id, delete_plan, plan_id)
    return ok({"id": str(plan_id), "deleted": True})


@router.post("/{plan_id}/toggle", response_model=Envelope[PlanDetailOut])
async def toggle(
    plan_id: UUID, runtime: RuntimeDep, principal: Principal = require(*PLAN_WRITERS)
) -> Response:
    return ok(present_plan_detail(await runtime.run(principal.tenant_id, toggle_plan, plan_id)))


@router.put("/{plan_id}/advanced", response_model=Envelope[PlanDetailOut])
async def put_advanced(
    plan_id: UUID,
    body: AdvancedConfig,
    runtime: RuntimeDep,
    principal: Principal = require(*PLAN_WRITERS),
) -> Response:
    detail = await runtime.run(principal.tenant_id, set_advanced, plan_id, body)
    return ok(present_plan_detail(detail))
