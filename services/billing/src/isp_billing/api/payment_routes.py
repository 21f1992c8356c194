from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from isp_common.auth import Principal
from isp_common.errors import NotFound
from isp_common.pagination import PageRequest
from isp_common.web import MAX_PAGE, Envelope, ListEnvelope, created, ok, ok_page, require

from isp_billing.adapters.ledger import PaymentFilter
from isp_billing.adapters.receipt_pdf import render_receipt
from isp_billing.api.date_fields import date_field
from isp_billing.api.dependencies import MONEY_READERS, MONEY_WRITERS, RuntimeDep
from isp_billing.api.invoice_routes import own_customer
from isp_billing.api.presenters import PaymentOut, present_payment
from isp_billing.api.schemas import PaymentCreate, VoidRequest
from isp_billing.domain.enums import PaymentMethod, PaymentStatus
from isp_billing.domain.text import IsoDate
from isp_billing.use_cases.queries import get_payment, get_receipt, list_payments
from isp_billing.use_cases.record_payment import record_payment
from isp_billing.use_cases.void_payment import void_payment

router = APIRouter(tags=["payments"])


@router.post("/payments", status_code=201, response_model=Envelope[PaymentOut])
async def create(
    body: PaymentCreate, runtime: RuntimeDep, principal: Principal = require(*MONEY_WRITERS)
) -> Response:
    with date_field("payment_date"):
        payment = await runtime.run(principal.tenant_id, record_payment, body.to_command())
    return created(present_payment(payment))


async def _page(
    runtime: RuntimeDep, principal: Principal, where: PaymentFilter, page: int, per_page: int
) -> Response:
    result = await runtime.run(
        principal.tenant_id, list_payments, where, PageRequest(page=page, per_page=per_page)
    )
    return ok_page([present_payment(p) for p in result.items], result)


@router.get("/payments", response_model=ListEnvelope[PaymentOut])
async def list_(
    runtime: RuntimeDep,
    principal: Principal = require(*MONEY_READERS),
    customer_id: UUID | None = None,
    status: PaymentStatus | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    payment_method: PaymentMethod | None = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    where = PaymentFilter(
        own_customer(principal, customer_id), status, date_from, date_to, payment_method
    )
    return await _page(runtime, principal, where, page, per_page)


@router.get("/customers/{customer_id}/payments", response_model=ListEnvelope[PaymentOut])
async def customer_payments(
    customer_id: UUID,
    runtime: RuntimeDep,
    principal: Principal = require(*MONEY_READERS),
    status: PaymentStatus | None = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    principal.ensure_can_see_customer(customer_id)
    return await _page(runtime, principal, PaymentFilter(customer_id, status), page, per_page)


@router.get("/payments/{payment_id}", response_model=Envelope[PaymentOut])
async def get(
    payment_id: UUID, runtime: RuntimeDep, principal: Principal = require(*MONEY_READERS)
) -> Response:
    payment = await runtime.run(principal.tenant_id, get_payment, payment_id)
    if principal.is_customer and payment.customer_id != principal.customer_id:
        raise NotFound("payment")
    return ok(present_payment(payment))


@router.delete("/payments/{payment_id}", response_model=Envelope[PaymentOut])
async def void(
    payment_id: UUID,
    body: VoidRequest,
    runtime: RuntimeDep,
    principal: Principal = require(*MONEY_WRITERS),
) -> Response:
    payment = await runtime.run(principal.tenant_id, void_payment, payment_id, body.reason)
    return ok(present_payment(payment))


@router.get(
    "/payments/{payment_id}/receipt",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The receipt (PDF)"}},
)
async def receipt(
    payment_id: UUID, runtime: RuntimeDep, principal: Principal = require(*MONEY_READERS)
) -> Response:
    found = await runtime.run(principal.tenant_id, get_receipt, payment_id)
    if principal.is_customer and found.payment.customer_id != principal.customer_id:
        raise NotFound("payment")
    return Response(
        render_receipt(found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{found.payment.receipt_number}.pdf"'},
    )
