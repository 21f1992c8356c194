from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require

from isp_boost.api.dependencies import (
    DECIDERS,
    READERS,
    RuntimeDep,
)
from isp_boost.api.presenters import (
    ActiveBoostOut,
    BoostRequestOut,
    present_active,
    present_request,
)
from isp_boost.use_cases.boost_reads import get_active_boost
from isp_boost.use_cases.deactivate import deactivate_boost

router = APIRouter(
    prefix="/customers/{customer_id}/speed-boost",
    tags=["speed boosts"],
)


@router.get("", response_model=Envelope[ActiveBoostOut])
async def active(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*READERS)
) -> Response:
    """The customer's active boost; 404 when there is none."""
    principal.ensure_can_see_customer(customer_id)
    return ok(present_active(await runtime.run(principal.tenant_id, get_active_boost, customer_id)))


@router.post("/deactivate", response_model=Envelope[BoostRequestOut])
async def deactivate(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*DECIDERS)
) -> Response:
    """Ends the active boost now (status ended); 404 when there is none."""
    request = await runtime.run(principal.tenant_id, deactivate_boost, customer_id)
    return ok(present_request(request))
