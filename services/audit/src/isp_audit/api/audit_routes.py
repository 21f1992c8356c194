from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from isp_common import context
from isp_common.auth import Principal
from isp_common.text import SINGLE_LINE
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

from isp_audit.api.dependencies import (
    AUDITORS,
    CUSTOMER_TRAIL_READERS,
    LOGGERS,
    RuntimeDep,
)
from isp_audit.api.presenters import AuditLogOut, VerificationOut, present, present_report
from isp_audit.api.schemas import (
    DATE_BOUND_HELP,
    DATE_BOUND_SCHEMA,
    AuditLogCreate,
    created_range,
)
from isp_audit.domain.categories import Category
from isp_audit.domain.listing import AuditFilter
from isp_audit.use_cases.log_action import Caller, log_action
from isp_audit.use_cases.read_trail import get_audit_log, list_audit_logs
from isp_audit.use_cases.verify_chain import verify_chain

router = APIRouter(prefix="/audit-logs", tags=["audit"])
customer_router = APIRouter(prefix="/customers", tags=["audit"])

ShortText = Annotated[str | None, Query(min_length=1, max_length=255), SINGLE_LINE]
DateBound = Annotated[
    str | None, Query(description=DATE_BOUND_HELP, json_schema_extra=DATE_BOUND_SCHEMA)
]


@router.post("", status_code=201, response_model=Envelope[AuditLogOut])
async def create(
    body: AuditLogCreate, runtime: RuntimeDep, principal: Principal = require(*LOGGERS)
) -> Response:
    ctx = context.get()
    caller = Caller(sub=principal.sub, ip=ctx.actor.ip, correlation_id=ctx.correlation_id)
    record = await runtime.run(principal.tenant_id, log_action, body.to_command(), caller)
    return created(present(record))


@router.get("", response_model=ListEnvelope[AuditLogOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*AUDITORS),
    category: Category | None = None,
    action: ShortText = None,
    customer_id: UUID | None = None,
    performed_by: ShortText = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
    event_type: ShortText = None,
    aggregate_id: UUID | None = None,
) -> Response:
    start, before = created_range(date_from, date_to)
    where = AuditFilter(
        category=category,
        action=action,
        customer_id=customer_id,
        performed_by=performed_by,
        created_from=start,
        created_before=before,
        event_type=event_type,
        aggregate_id=aggregate_id,
    )
    result = await runtime.run(principal.tenant_id, list_audit_logs, where, page)
    return ok_page([present(record) for record in result.items], result)


# Before `/{record_id}`, which would otherwise take "verify" for an id.
@router.get("/verify", response_model=Envelope[VerificationOut])
async def verify(runtime: RuntimeDep, principal: Principal = require(*AUDITORS)) -> Response:
    return ok(present_report(await runtime.run(principal.tenant_id, verify_chain)))


@router.get("/{record_id}", response_model=Envelope[AuditLogOut])
async def get(
    record_id: UUID, runtime: RuntimeDep, principal: Principal = require(*AUDITORS)
) -> Response:
    return ok(present(await runtime.run(principal.tenant_id, get_audit_log, record_id)))


@customer_router.get("/{customer_id}/audit-logs", response_model=ListEnvelope[AuditLogOut])
async def customer_trail(
    customer_id: UUID,
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*CUSTOMER_TRAIL_READERS),
    category: Category | None = None,
    action: ShortText = None,
    date_from: DateBound = None,
    date_to: DateBound = None,
) -> Response:
    """Newest first. A customer that never appeared in the trail has an empty one (the audit
    service keeps no customer list to answer 404 from)."""
    start, before = created_range(date_from, date_to)
    where = AuditFilter(
        category=category,
        action=action,
        customer_id=customer_id,
        created_from=start,
        created_before=before,
    )
    result = await runtime.run(principal.tenant_id, list_audit_logs, where, page)
    return ok_page([present(record) for record in result.items], result)
