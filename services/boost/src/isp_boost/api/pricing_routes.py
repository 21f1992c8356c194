from __future__ import annotations

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require

from isp_boost.api.dependencies import (
    PRICERS,
    READERS,
    RuntimeDep,
)
from isp_boost.api.presenters import PricingOut, present_pricing
from isp_boost.api.schemas import PricingBody
from isp_boost.use_cases.boost_reads import get_pricing
from isp_boost.use_cases.set_pricing import set_pricing

router = APIRouter(prefix="/speed-boosts/pricing", tags=["speed boost pricing"])


@router.get("", response_model=Envelope[PricingOut])
async def get(runtime: RuntimeDep, principal: Principal = require(*READERS)) -> Response:
    """The tenant's price of one hour of boost (`price_per_hour` null until set)."""
    return ok(present_pricing(await runtime.run(principal.tenant_id, get_pricing)))


@router.put("", response_model=Envelope[PricingOut])
async def put(
    body: PricingBody, runtime: RuntimeDep, principal: Principal = require(*PRICERS)
) -> Response:
    """Applies to requests made from now on; earlier requests keep their price."""
    pricing = await runtime.run(
        principal.tenant_id, set_pricing, body.price_per_hour, principal.sub
    )
    return ok(present_pricing(pricing))
