from __future__ import annotations

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require

from isp_tickets.api.dependencies import SLA_READERS, SLA_WRITERS, RuntimeDep
from isp_tickets.api.presenters import SlaPolicyOut, present_sla
from isp_tickets.api.schemas import SlaPolicyBody
from isp_tickets.use_cases.sla_policy import get_sla_policy, set_sla_policy

router = APIRouter(prefix="/tickets/sla", tags=["ticket SLA"])


@router.get("", response_model=Envelope[SlaPolicyOut])
async def get(runtime: RuntimeDep, principal: Principal = require(*SLA_READERS)) -> Response:
    """The tenant's hours per priority (defaults until set: low 72, medium 24, high 8, urgent 4)."""
    return ok(present_sla(await runtime.run(principal.tenant_id, get_sla_policy)))


@router.put("", response_model=Envelope[SlaPolicyOut])
async def put(
    body: SlaPolicyBody, runtime: RuntimeDep, principal: Principal = require(*SLA_WRITERS)
) -> Response:
    """Replaces the policy. It applies to tickets opened or re-prioritised from now on."""
    policy = await runtime.run(
        principal.tenant_id, set_sla_policy, body.to_policy(), by=principal.sub
    )
    return ok(present_sla(policy))
