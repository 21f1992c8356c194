from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

from isp_boost.api.dependencies import (
    DECIDERS,
    READERS,
    REQUESTERS,
    RuntimeDep,
)
from isp_boost.api.presenters import BoostRequestOut, present_request
from isp_boost.api.schemas import ApproveBody, BoostCreate, RejectBody
from isp_boost.domain.listing import BoostFilter
from isp_boost.domain.references import Speeds
from isp_boost.domain.status import BoostStatus
from isp_boost.use_cases.activate import activate_request
from isp_boost.use_cases.approve import approve_request
from isp_boost.use_cases.boost_changes import REQUEST
from isp_boost.use_cases.boost_reads import get_request, list_requests
from isp_boost.use_cases.reject import reject_request
from isp_boost.use_cases.request_boost import NewBoostRequest, request_boost

# Far beyond any real list, and an OFFSET Postgres can still take.
router = APIRouter(prefix="/speed-boosts", tags=["speed boosts"])


@router.post("", status_code=201, response_model=Envelope[BoostRequestOut])
async def create(
    body: BoostCreate, runtime: RuntimeDep, principal: Principal = require(*REQUESTERS)
) -> Response:
    """A pending request priced from the tenant's per-hour price; a subscriber's token may ask
    for itself only (any other customer is not found)."""
    principal.ensure_can_see_customer(body.customer_id)
    command = NewBoostRequest(
        customer_id=body.customer_id,
        speeds=Speeds(body.requested_speed_download, body.requested_speed_upload),
        duration_hours=body.duration_hours,
        customer_notes=body.customer_notes,
        requested_by=principal.sub,
    )
    return created(present_request(await runtime.run(principal.tenant_id, request_boost, command)))


@router.get("", response_model=ListEnvelope[BoostRequestOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*READERS),
    customer_id: UUID | None = None,
    status: BoostStatus | None = None,
) -> Response:
    """Newest first."""
    where = BoostFilter(
        customer_id=customer_id,
        status=status,
        only_customer_id=principal.only_customer_id,
    )
    result = await runtime.run(principal.tenant_id, list_requests, where, page)
    return ok_page([present_request(item) for item in result.items], result)


@router.get("/{request_id}", response_model=Envelope[BoostRequestOut])
async def get(
    request_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    request = await runtime.run(principal.tenant_id, get_request, request_id)
    principal.ensure_can_see_customer(request.customer_id, REQUEST)
    return ok(present_request(request))


@router.post("/{request_id}/approve", response_model=Envelope[BoostRequestOut])
async def approve(
    request_id: UUID,
    runtime: RuntimeDep,
    body: ApproveBody | None = None,
    principal: Principal = require(*DECIDERS),
) -> Response:
    """pending → approved."""
    notes = body.admin_notes if body else None
    request = await runtime.run(
        principal.tenant_id, approve_request, request_id, principal.sub, notes
    )
    return ok(present_request(request))


@router.post("/{request_id}/reject", response_model=Envelope[BoostRequestOut])
async def reject(
    request_id: UUID,
    body: RejectBody,
    runtime: RuntimeDep,
    principal: Principal = require(*DECIDERS),
) -> Response:
    """pending or approved → rejected, with the reason."""
    request = await runtime.run(
        principal.tenant_id, reject_request, request_id, principal.sub, body.reason
    )
    return ok(present_request(request))


@router.post("/{request_id}/activate", response_model=Envelope[BoostRequestOut])
async def activate(
    request_id: UUID, runtime: RuntimeDep, principal: Principal = require(*DECIDERS)
) -> Response:
    """approved → activated: runs from now for duration_hours; CONFLICT while the customer has
    another active boost."""
    request = await runtime.run(principal.tenant_id, activate_request, request_id)
    return ok(present_request(request))
