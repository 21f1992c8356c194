from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from isp_common.auth import Principal
from isp_common.pagination import PageRequest
from isp_common.web import Envelope, ListEnvelope, PageParams, created, ok, ok_page, require

from isp_billing.adapters.receipt_pdf import render_receipt
from isp_billing.api.date_fields import date_field
from isp_billing.api.dependencies import MONEY_READERS, MONEY_WRITERS, RuntimeDep
from isp_billing.api.presenters import PaymentOut, present_payment
from isp_billing.api.schemas import PaymentCreate, VoidRequest
from isp_billing.domain.enums import PaymentMethod, PaymentStatus
from isp_billing.domain.listing import PaymentFilter
from isp_billing.domain.text import IsoDate
from isp_billing.use_cases.payment_reads import get_payment, get_receipt, list_payments
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
    runtime: RuntimeDep, principal: Principal, where: PaymentFilter, page: PageRequest
) -> Response:
    result = await runtime.run(principal.tenant_id, list_payments, where, page)
    return ok_page([present_payment(p) for p in result.items], result)


@router.get("/payments", response_model=ListEnvelope[PaymentOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*MONEY_READERS),
    customer_id: UUID | None = None,
    status: PaymentStatus | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    payment_method: PaymentMethod | None = None,
) -> Response:
    where = PaymentFilter(
        principal.customer_filter(customer_id), status, date_from, date_to, payment_method
    )
    return await _page(runtime, principal, where, page)


@router.get("/customers/{customer_id}/payments", response_model=ListEnvelope[PaymentOut])
async def customer_payments(
    customer_id: UUID,
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*MONEY_READERS),
    status: PaymentStatus | None = None,
) -> Response:
    principal.ensure_can_see_customer(customer_id)
    return await _page(runtime, principal, PaymentFilter(customer_id, status), page)


@router.get("/payments/{payment_id}", response_model=Envelope[PaymentOut])
async def get(
    payment_id: UUID, runtime: RuntimeDep, principal: Principal = require(*MONEY_READERS)
) -> Response:
    payment = await runtime.run(principal.tenant_id, get_payment, payment_id)
    principal.ensure_can_see_customer(payment.customer_id, "payment")
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
    principal.ensure_can_see_customer(found.payment.customer_id, "payment")
    return Response(
        render_receipt(found),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{found.payment.receipt_number}.pdf"'},
    )
