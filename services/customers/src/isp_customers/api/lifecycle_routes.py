from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.web import Envelope, ok, require

from isp_customers.api.date_fields import date_field
from isp_customers.api.dependencies import WRITERS, ReferencesDep, RuntimeDep
from isp_customers.api.presenters import CustomerOut, present
from isp_customers.api.schemas import (
    ActivateRequest,
    ChangePlanRequest,
    SuspendRequest,
    TerminateRequest,
)
from isp_customers.use_cases.activate import activate_customer
from isp_customers.use_cases.change_plan import change_plan
from isp_customers.use_cases.suspend import suspend_customer
from isp_customers.use_cases.terminate import terminate_customer

router = APIRouter(prefix="/customers/{customer_id}", tags=["customer lifecycle"])


@router.post("/activate", response_model=Envelope[CustomerOut])
async def activate(
    customer_id: UUID,
    runtime: RuntimeDep,
    body: ActivateRequest | None = None,
    principal: Principal = require(*WRITERS),
) -> Response:
    """pending_activation → active; also lifts a manual suspension (an overdue one is lifted
    by billing when the account is settled)."""
    activation_date = body.activation_date if body else None
    with date_field("activation_date"):
        details = await runtime.run(
            principal.tenant_id, activate_customer, customer_id, activation_date
        )
    return ok(present(details))


@router.post("/suspend", response_model=Envelope[CustomerOut])
async def suspend(
    customer_id: UUID,
    body: SuspendRequest,
    runtime: RuntimeDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    details = await runtime.run(principal.tenant_id, suspend_customer, customer_id, body.reason)
    return ok(present(details))


@router.post("/terminate", response_model=Envelope[CustomerOut])
async def terminate(
    customer_id: UUID,
    body: TerminateRequest,
    runtime: RuntimeDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    with date_field("termination_date"):
        details = await runtime.run(
            principal.tenant_id, terminate_customer, customer_id, body.reason, body.termination_date
        )
    return ok(present(details))


@router.post("/change-plan", response_model=Envelope[CustomerOut])
async def change_plan_route(
    customer_id: UUID,
    body: ChangePlanRequest,
    runtime: RuntimeDep,
    references: ReferencesDep,
    principal: Principal = require(*WRITERS),
) -> Response:
    with date_field("effective_date"):
        details = await runtime.run(
            principal.tenant_id,
            change_plan,
            customer_id,
            body.new_plan_id,
            reason=body.reason,
            effective_date=body.effective_date,
            references=references,
        )
    return ok(present(details))
