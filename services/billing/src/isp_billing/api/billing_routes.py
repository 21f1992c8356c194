from __future__ import annotations

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require

from isp_billing.api.date_fields import date_field
from isp_billing.api.dependencies import MONEY_WRITERS, PLAN_WRITERS, STAFF_READERS, RuntimeDep
from isp_billing.api.presenters import (
    OverdueOut,
    RevenueOut,
    RunOut,
    SettingsOut,
    present_revenue,
)
from isp_billing.api.schemas import RunRequest
from isp_billing.domain.enums import RevenueGrouping
from isp_billing.domain.settings import BillingSettings
from isp_billing.domain.text import IsoDate
from isp_billing.use_cases.billing_run import billing_run
from isp_billing.use_cases.overdue_check import overdue_check
from isp_billing.use_cases.revenue_report import revenue
from isp_billing.use_cases.tenant_settings import get_settings, put_settings

router = APIRouter(prefix="/billing", tags=["billing"])


@router.post("/runs", response_model=Envelope[RunOut])
async def run(
    runtime: RuntimeDep,
    body: RunRequest | None = None,
    principal: Principal = require(*MONEY_WRITERS),
) -> Response:
    """Issues, now, every invoice due by `as_of` (200 with the counts); idempotent. `as_of` is at
    most one month after the tenant's today; at most 12 periods per customer per run."""
    as_of = body.as_of if body else None
    with date_field("as_of"):
        result = await runtime.run(principal.tenant_id, billing_run, as_of)
    return ok(RunOut.model_validate(vars(result)))


@router.post("/overdue-check", response_model=Envelope[OverdueOut])
async def check_overdue(
    runtime: RuntimeDep,
    body: RunRequest | None = None,
    principal: Principal = require(*MONEY_WRITERS),
) -> Response:
    """Judges every account as of `as_of` (default and latest: the tenant's today)."""
    as_of = body.as_of if body else None
    with date_field("as_of"):
        result = await runtime.run(principal.tenant_id, overdue_check, as_of)
    return ok(OverdueOut.model_validate(vars(result)))


@router.get("/revenue", response_model=Envelope[RevenueOut])
async def revenue_report(
    runtime: RuntimeDep,
    date_from: IsoDate,
    date_to: IsoDate,
    group_by: RevenueGrouping = RevenueGrouping.MONTH,
    principal: Principal = require(*MONEY_WRITERS),
) -> Response:
    report = await runtime.run(principal.tenant_id, revenue, date_from, date_to, group_by)
    return ok(present_revenue(report))


@router.get("/settings", response_model=Envelope[SettingsOut])
async def read_settings(
    runtime: RuntimeDep, principal: Principal = require(*STAFF_READERS)
) -> Response:
    return ok(await runtime.run(principal.tenant_id, get_settings))


@router.put("/settings", response_model=Envelope[SettingsOut])
async def write_settings(
    body: BillingSettings, runtime: RuntimeDep, principal: Principal = require(*PLAN_WRITERS)
) -> Response:
    return ok(await runtime.run(principal.tenant_id, put_settings, body))
