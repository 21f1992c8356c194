"""Reads of payments: one, a page of them, or one as its receipt."""

from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_billing.domain.ledger import Payment
from isp_billing.domain.listing import PaymentFilter
from isp_billing.domain.receipt import Receipt
from isp_billing.use_cases.ports import UnitOfWork


async def get_payment(uow: UnitOfWork, payment_id: UUID) -> Payment:
    payment = await uow.payments.get(payment_id)
    if payment is None:
        raise NotFound("payment")
    return payment


async def list_payments(
    uow: UnitOfWork, where: PaymentFilter, request: PageRequest
) -> Page[Payment]:
    return await uow.payments.page(where, request)


async def get_receipt(uow: UnitOfWork, payment_id: UUID) -> Receipt:
    payment = await get_payment(uow, payment_id)
    return Receipt(payment, await uow.accounts.get(payment.customer_id), await uow.settings.get())
