from __future__ import annotations

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from isp_common.contracts.boost import BoostSnapshot

from isp_billing.domain.enums import InvoiceKind, InvoiceStatus
from isp_billing.domain.ledger import INVOICE_COUNTER, ZERO, Invoice, invoice_number
from isp_billing.use_cases.clock import utc_now
from isp_billing.use_cases.ports import UnitOfWork
from isp_billing.use_cases.settle import resettle


async def charge_boost(uow: UnitOfWork, boost: BoostSnapshot) -> None:
    """A boost that has been activated (its snapshot says when, whatever its status now) is
    charged as an invoice of its own (one line), due like any invoice; the account's credit pays
    it if there is any. One invoice per boost, whatever the number, order or verbs of the
    deliveries; a boost never activated (requested, approved, rejected) is not charged."""
    if boost.activated_at is None:
        return
    source = f"boost:{boost.id}"
    if await uow.invoices.source_exists(boost.customer_id, source):
        return
    await uow.settings.ensure()
    settings = await uow.settings.get()
    zone = ZoneInfo(settings.timezone)
    start = boost.activated_at.astimezone(zone).date() if boost.activated_at else settings.today()
    end = boost.expires_at.astimezone(zone).date() if boost.expires_at else start
    now = utc_now()
    total = boost.total_price
    invoice = Invoice(
        id=uuid.uuid4(),
        invoice_number=invoice_number(await uow.next_number(INVOICE_COUNTER)),
        customer_id=boost.customer_id,
        kind=InvoiceKind.SPEED_BOOST,
        status=InvoiceStatus.PAID if total <= ZERO else InvoiceStatus.OPEN,
        period_start=start,
        period_end=max(start, end),
        issue_date=start,
        due_date=start + timedelta(days=settings.invoice_due_days),
        total=total,
        amount_paid=ZERO,
        lines=[
            {
                "kind": InvoiceKind.SPEED_BOOST.value,
                "payment_for": "speed_boost",
                "description": f"Speed boost {boost.requested_speed_download}/"
                f"{boost.requested_speed_upload} kbps for {boost.duration_hours} h",
                "boost_id": str(boost.id),
                "duration_hours": boost.duration_hours,
                "price_per_hour": format(boost.price_per_hour, "f"),
                "amount": format(total, "f"),
            }
        ],
        void_reason=None,
        voided_at=None,
        created_at=now,
        updated_at=now,
    )
    if await uow.invoices.add(invoice, source):
        await resettle(uow, boost.customer_id, judge_overdue=False)
