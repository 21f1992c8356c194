from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from isp_common.auth import Principal
from isp_common.pagination import PageRequest
from isp_common.web import Envelope, ListEnvelope, PageParams, ok, ok_page, require

from isp_billing.api.dependencies import MONEY_READERS, RuntimeDep
from isp_billing.api.presenters import AccountOut, InvoiceOut, present_account, present_invoice
from isp_billing.domain.enums import InvoiceStatus
from isp_billing.domain.listing import InvoiceFilter
from isp_billing.use_cases.get_account import get_account
from isp_billing.use_cases.invoice_reads import get_invoice, list_invoices

router = APIRouter(tags=["invoices"])
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


async def _page(
    runtime: RuntimeDep,
    principal: Principal,
    customer_id: UUID | None,
    status: InvoiceStatus | None,
    period: str | None,
    page: PageRequest,
) -> Response:
    where = InvoiceFilter(principal.customer_filter(customer_id), status, period)
    result = await runtime.run(principal.tenant_id, list_invoices, where, page)
    return ok_page([present_invoice(i) for i in result.items], result)


@router.get("/invoices", response_model=ListEnvelope[InvoiceOut])
async def list_(
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*MONEY_READERS),
    customer_id: UUID | None = None,
    status: InvoiceStatus | None = None,
    period: Month = None,
) -> Response:
    return await _page(runtime, principal, customer_id, status, period, page)


@router.get("/invoices/{invoice_id}", response_model=Envelope[InvoiceOut])
async def get(
    invoice_id: UUID, runtime: RuntimeDep, principal: Principal = require(*MONEY_READERS)
) -> Response:
    invoice = await runtime.run(principal.tenant_id, get_invoice, invoice_id)
    principal.ensure_can_see_customer(invoice.customer_id, "invoice")
    return ok(present_invoice(invoice))


@router.get("/customers/{customer_id}/invoices", response_model=ListEnvelope[InvoiceOut])
async def customer_invoices(
    customer_id: UUID,
    runtime: RuntimeDep,
    page: PageParams,
    principal: Principal = require(*MONEY_READERS),
    status: InvoiceStatus | None = None,
) -> Response:
    principal.ensure_can_see_customer(customer_id)
    return await _page(runtime, principal, customer_id, status, None, page)


@router.get("/customers/{customer_id}/account", response_model=Envelope[AccountOut])
async def account(
    customer_id: UUID, runtime: RuntimeDep, principal: Principal = require(*MONEY_READERS)
) -> Response:
    principal.ensure_can_see_customer(customer_id)
    return ok(present_account(await runtime.run(principal.tenant_id, get_account, customer_id)))
