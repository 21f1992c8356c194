"""Reads: invoices, payments, accounts and revenue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from isp_common.contracts.billing import BillingSettingsSnapshot
from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_billing.adapters.ledger import InvoiceFilter, PaymentFilter, RevenueGroup
from isp_billing.adapters.unit_of_work import BillingUnitOfWork
from isp_billing.domain.enums import RevenueGrouping
from isp_billing.domain.ledger import ZERO, Account, Invoice, Payment
from isp_billing.domain.settings import BillingSettings


async def get_invoice(uow: BillingUnitOfWork, invoice_id: UUID) -> Invoice:
    invoice = await uow.ledger.invoice(invoice_id)
    if invoice is None:
        raise NotFound("invoice")
    return invoice


async def list_invoices(
    uow: BillingUnitOfWork, where: InvoiceFilter, request: PageRequest
) -> Page[Invoice]:
    return await uow.ledger.invoice_page(where, request)


async def get_payment(uow: BillingUnitOfWork, payment_id: UUID) -> Payment:
    payment = await uow.ledger.payment(payment_id)
    if payment is None:
        raise NotFound("payment")
    return payment


async def list_payments(
    uow: BillingUnitOfWork, where: PaymentFilter, request: PageRequest
) -> Page[Payment]:
    return await uow.ledger.payment_page(where, request)


async def get_account(uow: BillingUnitOfWork, customer_id: UUID) -> Account:
    account = await uow.accounts.get(customer_id)
    if account is None or account.is_deleted:
        raise NotFound("customer")
    return account


@dataclass(frozen=True)
class Receipt:
    payment: Payment
    account: Account | None
    settings: BillingSettings


async def get_receipt(uow: BillingUnitOfWork, payment_id: UUID) -> Receipt:
    payment = await get_payment(uow, payment_id)
    return Receipt(payment, await uow.accounts.get(payment.customer_id), await uow.settings.get())


@dataclass(frozen=True)
class Revenue:
    date_from: date
    date_to: date
    group_by: RevenueGrouping
    currency: str
    total: Decimal
    count: int
    groups: list[RevenueGroup]


async def revenue(
    uow: BillingUnitOfWork, date_from: date, date_to: date, group_by: RevenueGrouping
) -> Revenue:
    """The sum of non-void payments dated in [date_from, date_to] (both included)."""
    # An inverted range holds no day: an empty report, not an error.
    groups = await uow.ledger.revenue(date_from, date_to, group_by) if date_from <= date_to else []
    currency = (await uow.settings.get()).currency
    return Revenue(
        date_from,
        date_to,
        group_by,
        currency,
        sum((g.amount for g in groups), ZERO),
        sum(g.count for g in groups),
        groups,
    )


async def get_settings(uow: BillingUnitOfWork) -> BillingSettings:
    return await uow.settings.get()


async def put_settings(uow: BillingUnitOfWork, new: BillingSettings) -> BillingSettings:
    """Publishes billing.settings.updated: customers dates lifecycle changes in the tenant's
    timezone and keeps a replica of it."""
    version, updated_at = await uow.settings.put(new)
    snapshot = BillingSettingsSnapshot(
        timezone=new.timezone, currency=new.currency, version=version, updated_at=updated_at
    )
    uow.raise_event("billing.settings.updated", uow.tenant_id, version, snapshot)
    return await uow.settings.get()
