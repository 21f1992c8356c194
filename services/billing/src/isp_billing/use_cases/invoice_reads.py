"""Reads of invoices: one, or a page of them."""

from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_billing.domain.ledger import Invoice
from isp_billing.domain.listing import InvoiceFilter
from isp_billing.use_cases.ports import UnitOfWork


async def get_invoice(uow: UnitOfWork, invoice_id: UUID) -> Invoice:
    invoice = await uow.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound("invoice")
    return invoice


async def list_invoices(
    uow: UnitOfWork, where: InvoiceFilter, request: PageRequest
) -> Page[Invoice]:
    return await uow.invoices.page(where, request)
